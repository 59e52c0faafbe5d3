// The `schema pull` report (text): per workspace, the snapshot file, whether it changed, its counts
// and what appeared or went since the committed snapshot.
import type { WorkspacePull } from '../core/schema/snapshot.ts';
import { safeForText } from './safe.ts';
import type { Style } from './style.ts';

export interface SchemaPullReport {
  workspaces: readonly WorkspacePull[];
}

const MAX_NAMES = 10;

export function renderSchemaPull(raw: SchemaPullReport, style: Style): string {
  const report = safeForText(raw);
  const lines: string[] = [];
  for (const ws of report.workspaces) {
    if (ws.status === 'failed') {
      lines.push(`${style.bold(ws.name)}: ${style.red(`not pulled (${ws.file} left as it was): ${ws.error?.message ?? 'failed'}`)}`);
      if (ws.error?.hint) lines.push(`  ${style.dim(`→ ${ws.error.hint}`)}`);
      continue;
    }
    const counts = `${ws.tables} tables, ${ws.functions} functions, ${ws.watchlists} watchlists`;
    lines.push(`${style.bold(ws.name)}: ${ws.status === 'written' ? `wrote ${ws.file}` : `${ws.file} up to date`} (${counts})`);
    const c = ws.changes;
    if (c && ws.status === 'written') {
      for (const [label, names] of [
        ['+ tables', c.tablesAdded],
        ['- tables', c.tablesRemoved],
        ['~ tables', c.tablesChanged],
        ['+ functions', c.functionsAdded],
        ['- functions', c.functionsRemoved],
        ['~ functions', c.functionsChanged],
        ['+ watchlists', c.watchlistsAdded],
        ['- watchlists', c.watchlistsRemoved],
        ['~ watchlists', c.watchlistsChanged],
      ] as const) {
        if (names.length === 0) continue;
        const shown = names.slice(0, MAX_NAMES).join(', ') + (names.length > MAX_NAMES ? `, … (${names.length})` : '');
        lines.push(`  ${label.padEnd(12)} ${shown}`);
      }
    }
    for (const note of ws.notes) lines.push(`  note: ${note}`);
  }
  const failed = report.workspaces.filter((w) => w.status === 'failed').length;
  const written = report.workspaces.filter((w) => w.status === 'written').length;
  lines.push(
    `${report.workspaces.length} workspaces: ${written} written, ${report.workspaces.length - written - failed} unchanged, ${failed} failed`,
  );
  if (written) lines.push('next: review and commit the snapshots, then npm run cli -- validate');
  return `${lines.join('\n')}\n`;
}
