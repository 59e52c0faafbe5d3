// `sync-watchlist --format json`: the documented contract (docs/watchlist-sync.md) {"workspaces":[{"name","added","removed",
// "updated","unchanged","writes"}]} first in each workspace, then the details, in a fixed order.
import type { SyncResult, WorkspaceSyncResult } from '../core/sync/result.ts';

export function syncJson(result: SyncResult): string {
  const out = {
    alias: result.alias,
    environment: result.environment,
    dryRun: result.dryRun,
    durationMs: result.durationMs,
    feed: result.feed,
    workspaces: result.workspaces.map(workspaceJson),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function workspaceJson(w: WorkspaceSyncResult): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: w.name,
    added: w.added,
    removed: w.removed,
    updated: w.updated,
    unchanged: w.unchanged,
    writes: w.writes,
    status: w.status,
    // null: skipped, or failed before its plan (docs/watchlist-sync.md)
    mode: w.mode ?? null,
    duplicatesRemoved: w.duplicatesRemoved,
    itemWrites: w.itemWrites,
    watchlistWrites: w.watchlistWrites,
    uploads: w.uploads,
    changes: w.changes,
    failed: w.failed,
    durationMs: w.durationMs,
  };
  const optional: [string, unknown][] = [
    ['items', w.items],
    ['budget', w.budget],
    ['guard', w.guard],
    ['message', w.message],
    ['hint', w.hint],
    ['failures', w.failures.length ? w.failures : undefined],
    ['warnings', w.warnings.length ? w.warnings : undefined],
    ['plan', w.plan],
  ];
  for (const [key, value] of optional) if (value !== undefined) out[key] = value;
  return out;
}
