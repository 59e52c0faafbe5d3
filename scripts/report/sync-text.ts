// `sync-watchlist --format text` (people, CI logs): the feed, then one block per workspace with its
// counts, budget, and what to do when a guard tripped or writes failed.
import type { SyncResult, WorkspaceStatus, WorkspaceSyncResult } from '../core/sync/result.ts';
import { syncJson } from './sync-json.ts';
import { renderSyncMarkdown } from './sync-markdown.ts';
import { safeForText } from './safe.ts';
import type { Style } from './style.ts';
import { shaPrefix } from '../core/feed/provenance.ts';

export type SyncFormat = 'text' | 'json' | 'markdown';

export function renderSync(result: SyncResult, format: SyncFormat, style: Style): string {
  if (format === 'markdown') return renderSyncMarkdown(result);
  return format === 'json' ? syncJson(result) : syncText(safeForText(result), style);
}

const SHOWN_PLAN_ENTRIES = 10;

export function syncText(result: SyncResult, style: Style): string {
  const lines: string[] = [];
  lines.push(style.bold(`sync-watchlist ${result.alias} → ${result.environment}${result.dryRun ? ' (dry run: nothing written)' : ''}`));
  lines.push(feedLine(result));
  for (const problem of result.feed.problems.slice(0, 5)) lines.push(`  ${style.yellow('skipped')} ${problem}`);
  if (result.feed.problems.length > 5) lines.push(`  … ${result.feed.problems.length - 5} more malformed lines skipped`);
  for (const w of result.workspaces) lines.push('', ...workspaceLines(w, style, result.dryRun));
  lines.push('', summary(result, style));
  return `${lines.join('\n')}\n`;
}

function feedLine(result: SyncResult): string {
  const f = result.feed;
  if (f.fetched === 'skipped') return `feed ${f.source}: not downloaded (no workspace could be read)`;
  if (f.fetched === 'not-modified') return `feed ${f.source}: 304 Not Modified (unchanged since the last complete run)`;
  const parts = [
    `last update ${f.lastUpdate ?? '?'}`,
    `sha256 ${f.sha256 ? shaPrefix(f.sha256) : '?'}`,
    `${n(f.ips ?? 0)} IPs`,
    `${n(f.bytes ?? 0)} bytes`,
  ];
  if (f.reserved?.dropped)
    parts.push(
      `${n(f.reserved.dropped)} reserved/private addresses dropped (${f.reserved.examples.join(', ')}${f.reserved.dropped > f.reserved.examples.length ? ', …' : ''})`,
    );
  return `feed ${f.source}${f.finalUrl ? ` (redirected to ${f.finalUrl})` : ''}: ${parts.join(' · ')}`;
}

const LABEL: Record<WorkspaceStatus, (s: Style, t: string) => string> = {
  synced: (s, t) => s.green(t),
  unchanged: (s, t) => s.green(t),
  planned: (s, t) => s.bold(t),
  skipped: (s, t) => s.dim(t),
  guard: (s, t) => s.red(t),
  failed: (s, t) => s.red(t),
};

function workspaceLines(w: WorkspaceSyncResult, style: Style, dryRun: boolean): string[] {
  const lines = [`${style.bold(w.name)}  ${LABEL[w.status](style, w.status)}${w.mode ? ` (${w.mode})` : ''}  ${seconds(w.durationMs)}`];
  if (w.status !== 'skipped') {
    // Only a run that wrote something applied it; a dry run (even on an unchanged feed) plans.
    const verb =
      dryRun || w.status === 'planned' || w.status === 'guard' ? 'planned' : w.status === 'unchanged' ? 'nothing to apply' : 'applied';
    const dup = w.duplicatesRemoved ? `, ${n(w.duplicatesRemoved)} duplicates removed` : '';
    lines.push(
      `  ${verb}: ${n(w.added)} added, ${n(w.removed)} removed, ${n(w.updated)} updated${dup}, ${n(w.unchanged)} unchanged${w.items === undefined ? '' : ` → ${n(w.items)} items`}`,
    );
    lines.push(
      `  writes: ${n(w.writes)} (${n(w.itemWrites)} item, ${n(w.watchlistWrites)} watchlist${w.uploads ? ` incl. ${n(w.uploads)} bulk upload${w.uploads === 1 ? '' : 's'}` : ''}${w.writes - w.itemWrites - w.watchlistWrites ? `, ${w.writes - w.itemWrites - w.watchlistWrites} metadata` : ''}); item changes counted: ${n(w.changes)}`,
    );
  }
  if (w.budget) {
    const b = w.budget;
    lines.push(
      `  budget ${b.month}: ${n(b.used)} of ${n(b.limit)} item changes used (${b.percent}% of ${n(b.sentinelLimit)})${b.source === 'assumed' ? style.yellow(' — assumed, see below') : ''}`,
    );
  }
  for (const v of w.guard ?? []) {
    lines.push(`  ${style.red('✗')} ${v.message}`);
    lines.push(`    ${style.dim(`→ ${v.hint}`)}`);
  }
  if (!w.guard && w.message) lines.push(`  ${w.status === 'failed' ? style.red('✗ ') : ''}${w.message}`);
  if (!w.guard && w.hint) lines.push(`    ${style.dim(`→ ${w.hint}`)}`);
  for (const f of w.failures.slice(0, 5)) lines.push(`  ${style.red('failed')} ${f.kind} ${f.ip} (${f.id}): ${f.message}`);
  if (w.failed > 5) lines.push(`  … ${n(w.failed - 5)} more failed writes (the next run retries them)`);
  for (const warning of w.warnings) lines.push(`  ${style.yellow('warning')} ${warning}`);
  if (w.plan) lines.push(...planLines(w.plan));
  return lines;
}

function planLines(plan: NonNullable<WorkspaceSyncResult['plan']>): string[] {
  const lines: string[] = [];
  const section = (title: string, entries: string[]): void => {
    if (entries.length === 0) return;
    const more =
      entries.length > SHOWN_PLAN_ENTRIES ? ` … and ${n(entries.length - SHOWN_PLAN_ENTRIES)} more (--format json lists all)` : '';
    lines.push(`  ${title} (${n(entries.length)}): ${entries.slice(0, SHOWN_PLAN_ENTRIES).join(', ')}${more}`);
  };
  section(
    'add',
    plan.add.map((a) => `${a.ip} (${a.score})`),
  );
  section(
    'update',
    plan.update.map((u) => `${u.ip} ${u.from ?? '?'}→${u.to}`),
  );
  section('remove', plan.remove);
  section(
    'remove duplicate',
    plan.duplicates.map((d) => `${d.ip} (${d.id})`),
  );
  return lines;
}

function summary(result: SyncResult, style: Style): string {
  const counts = new Map<WorkspaceStatus, number>();
  for (const w of result.workspaces) counts.set(w.status, (counts.get(w.status) ?? 0) + 1);
  const parts = [...counts].map(([status, count]) => `${count} ${status}`);
  const writes = result.workspaces.reduce((sum, w) => sum + w.writes, 0);
  const text = `${result.workspaces.length} workspace${result.workspaces.length === 1 ? '' : 's'}: ${parts.join(', ') || 'none'}; ${n(writes)} writes in ${seconds(result.durationMs)}`;
  const bad = (counts.get('failed') ?? 0) + (counts.get('guard') ?? 0) > 0;
  return bad ? style.red(text) : style.green(text);
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
