// `sync-watchlist --format markdown`: the job summary of a sync. The feed, one row per workspace
// (counts, writes, the month's budget tally), then what stopped a workspace and what to do.
import type { SyncResult, WorkspaceStatus } from '../core/sync/result.ts';
import { cell, codeSpan, esc, table } from './markdown.ts';
import { safeForText } from './safe.ts';
import { shaPrefix } from '../core/feed/provenance.ts';

const STATUS: Record<WorkspaceStatus, string> = {
  synced: '✅ synced',
  unchanged: '✅ unchanged',
  planned: '📝 planned',
  skipped: '⏭️ skipped',
  guard: '⛔ guard',
  failed: '❌ failed',
};

export function renderSyncMarkdown(raw: SyncResult): string {
  const result = safeForText(raw);
  const mode = result.dryRun ? ' · dry run, nothing written' : '';
  const lines = [`### Watchlist sync · ${codeSpan(result.alias)} → ${codeSpan(result.environment)}${mode}`, '', feedLine(result), ''];
  const rows = result.workspaces.map((w) => [
    cell(w.name),
    STATUS[w.status],
    w.added,
    w.removed,
    w.updated,
    w.unchanged,
    w.writes,
    w.items ?? '',
    w.budget ? `${w.budget.used.toLocaleString('en-US')} / ${w.budget.limit.toLocaleString('en-US')} (${w.budget.month})` : '',
  ]);
  if (rows.length) {
    lines.push(
      ...table(
        ['Workspace', 'Status', 'Added', 'Removed', 'Updated', 'Unchanged', 'Writes', 'Items', 'Budget used / allowed'],
        'llrrrrrrl',
        rows,
      ),
      '',
    );
  } else {
    lines.push('No workspace selected.', '');
  }
  const attention: string[] = [];
  for (const w of result.workspaces) {
    if (w.status === 'guard')
      for (const v of w.guard ?? [])
        attention.push(`- **${esc(w.name)}** · guard ${codeSpan(v.guard)}: ${esc(v.message)} — _${esc(v.hint)}_`);
    else if (w.status === 'failed')
      attention.push(
        `- **${esc(w.name)}** · ${esc(w.message ?? `${w.failed} item write(s) failed; the next run retries them`)}${w.hint ? ` — _${esc(w.hint)}_` : ''}`,
      );
    for (const warning of w.warnings) attention.push(`- **${esc(w.name)}** · ${esc(warning)}`);
  }
  if (attention.length) lines.push('**Needs attention**', '', ...attention, '');
  return `${lines.join('\n').trimEnd()}\n`;
}

function feedLine(result: SyncResult): string {
  const f = result.feed;
  if (f.fetched === 'skipped') return `Feed ${codeSpan(f.source)}: not downloaded (no workspace could be read).`;
  if (f.fetched === 'not-modified') return `Feed ${codeSpan(f.source)}: unchanged since the last complete run (304).`;
  const ips = f.ips === undefined ? '' : `, ${f.ips.toLocaleString('en-US')} addresses`;
  const redirected = f.finalUrl ? ` (redirected to ${codeSpan(f.finalUrl)})` : '';
  const reserved = f.reserved?.dropped ? ` ${f.reserved.dropped.toLocaleString('en-US')} reserved/private addresses dropped.` : '';
  return `Feed ${codeSpan(f.source)}${redirected}: last update ${esc(f.lastUpdate ?? 'unknown')}${ips}, sha256 \`${f.sha256 ? shaPrefix(f.sha256) : '?'}\`.${reserved}`;
}
