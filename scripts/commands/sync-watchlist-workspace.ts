// Part of `sync-watchlist` (not a command of its own): one workspace, after its watchlist was read and
// the feed fetched. Plan → guards (before the first write) → apply → provenance line.
import { performance } from 'node:perf_hooks';
import type { SentinelApi } from '../azure/api.ts';
import type { LiveWatchlist } from '../core/plan/types.ts';
import { createBody, type WatchlistBody } from '../core/compile/watchlist.ts';
import { AppError } from '../core/errors.ts';
import type { AllowList } from '../core/feed/desired.ts';
import { normalizeKey } from '../core/feed/diff.ts';
import { type DecodedProvenance, encodeProvenance } from '../core/feed/provenance.ts';
import type { FeedSettings } from '../core/feed/settings.ts';
import type { Workspace } from '../core/model/workspaces.ts';
import { budgetStatus, type BudgetStatus } from '../core/sync/budget.ts';
import { describeBody, uploadBody } from '../core/sync/bodies.ts';
import { liveItemOf } from '../core/sync/items.ts';
import { type ItemWrite, type WriteCounts, countWrites, emptyCounts, itemWrites } from '../core/sync/ops.ts';
import { type FeedSnapshot, type SyncPlan, planSync } from '../core/sync/plan.ts';
import { forEachLimit } from '../core/pool.ts';
import { type ItemFailure, type SyncProgressEvent, type WorkspaceSyncResult, SHOWN_FAILURES } from '../core/sync/result.ts';
import type { ItemShape } from '../core/sync/settings.ts';
import { feedUnchanged, nextState, stateChanged } from '../core/sync/state.ts';
import { failureInfo } from './shared/targets.ts';

export interface WorkspaceRunContext {
  alias: string;
  /** The definition's description (the human text of a watchlist the sync creates). */
  description: string;
  compiled: WatchlistBody;
  /** Ownership mark for a watchlist the sync creates (see compile/metadata.ts). */
  metadata: (workspace: Workspace) => { name: string; body: unknown };
  shape: ItemShape;
  /** The CSV header row (compile/watchlist.ts csvHeader). */
  header: string;
  settings: FeedSettings;
  /** settings.allowList, compiled once per run. */
  allowList: AllowList;
  dryRun: boolean;
  /** Diff even when the feed is the one the last complete run applied. */
  full: boolean;
  now: Date;
  progress: (event: SyncProgressEvent) => void;
  itemConcurrency: number;
  maxConsecutiveFailures: number;
  rawContentMaxBytes?: number;
  /** The run's deadline: no item write starts after it. */
  signal?: AbortSignal;
}

export interface ReadWorkspace {
  workspace: Workspace;
  api: SentinelApi;
  /** Undefined: the watchlist does not exist there yet. */
  live?: LiveWatchlist;
  /** The live description, decoded once when the workspace is read (empty without a watchlist). */
  provenance: DecodedProvenance;
}

export type FeedOutcome = { kind: 'not-modified' } | { kind: 'body'; snapshot: FeedSnapshot };

interface ApplyOutcome {
  ok: WriteCounts;
  attempted: number;
  failures: ItemFailure[];
  stopped?: string;
}

export function emptyResult(name: string): WorkspaceSyncResult {
  return {
    name,
    status: 'synced',
    added: 0,
    removed: 0,
    updated: 0,
    duplicatesRemoved: 0,
    unchanged: 0,
    writes: 0,
    itemWrites: 0,
    watchlistWrites: 0,
    uploads: 0,
    changes: 0,
    failed: 0,
    failures: [],
    durationMs: 0,
    warnings: [],
  };
}

export async function syncWorkspace(ctx: WorkspaceRunContext, ws: ReadWorkspace, feed: FeedOutcome): Promise<WorkspaceSyncResult> {
  const started = performance.now();
  const result = emptyResult(ws.workspace.name);
  try {
    await run(ctx, ws, feed, result);
  } catch (error) {
    const { message, hint } = failureInfo(error);
    result.status = 'failed';
    result.message = message;
    if (hint) result.hint = hint;
  }
  result.durationMs = Math.round(performance.now() - started);
  return result;
}

async function run(ctx: WorkspaceRunContext, ws: ReadWorkspace, feed: FeedOutcome, result: WorkspaceSyncResult): Promise<void> {
  const name = ws.workspace.name;
  const state = ws.provenance.state;
  if (feed.kind === 'not-modified' || (ws.live && !ctx.full && feedUnchanged(state, feed.snapshot.sha256))) {
    // The last complete run applied this very feed: 0 writes, not even the items are listed.
    result.status = 'unchanged';
    result.mode = 'update'; // the existing watchlist, with nothing to write
    result.unchanged = state?.items ?? 0;
    result.items = state?.items ?? 0;
    const budget = budgetStatus({
      alias: ctx.alias,
      exists: true,
      state,
      hasBlock: ws.provenance.hasBlock,
      liveItems: result.items,
      now: ctx.now,
      guards: ctx.settings.guards,
    });
    result.budget = budgetReport(budget, 0);
    result.message =
      feed.kind === 'not-modified'
        ? 'The feed has not changed since the last complete run (304 Not Modified).'
        : 'The feed is the one the last complete run applied (same SHA-256).';
    return;
  }
  const snapshot = feed.snapshot;
  const items = ws.live ? await ws.api.listWatchlistItems(ctx.alias) : undefined;
  const sp = planSync({
    alias: ctx.alias,
    shape: ctx.shape,
    header: ctx.header,
    settings: ctx.settings,
    allowList: ctx.allowList,
    feed: snapshot,
    now: ctx.now,
    rawContentMaxBytes: ctx.rawContentMaxBytes,
    live: items ? { provenance: ws.provenance, items } : undefined,
  });
  result.mode = sp.mode;
  result.unchanged = sp.plan.unchanged;
  result.budget = budgetReport(sp.budget, 0);
  if (sp.budget.note) result.warnings.push(sp.budget.note);
  const writes = itemWrites(sp.plan, ctx.shape);
  const planned = countWrites(writes);
  if (!sp.guard.ok) {
    setCounts(result, planned);
    result.status = 'guard';
    result.guard = sp.guard.violations;
    result.message = sp.guard.violations.map((v) => v.message).join(' ');
    result.hint = sp.guard.violations.map((v) => v.hint).join(' ');
    return;
  }
  if (ctx.dryRun) {
    setCounts(result, planned);
    result.status = 'planned';
    result.items = sp.itemsAfter;
    result.plan = planDetail(sp);
    return;
  }
  // Additions go in bulk (one request per upload), the rest item by item.
  const perItem = writes.filter((w) => w.kind !== 'add');
  ctx.progress({ kind: 'planned', workspace: name, writes: perItem.length });
  try {
    await apply(ctx, ws, snapshot, sp, perItem, result);
  } finally {
    result.budget = budgetReport(sp.budget, result.changes);
  }
  result.status = result.failed > 0 ? 'failed' : 'synced';
}

/**
 * Writes one workspace's plan. A missing watchlist is created with the first upload of additions (its
 * ownership mark beside it); on an existing one, the uploads are bulk updates: the service appends the
 * rows and de-duplicates identical ones (docs/watchlist-sync.md, "Bulk additions"). Duplicate
 * deletions, score updates and removals follow item by item, removals last, so that a run cut short
 * leaves extra addresses rather than missing ones. The first write carries an incomplete provenance
 * line that already counts every planned change: a run killed halfway leaves a tally too high, never
 * too low, and the next run diffs again instead of skipping the feed.
 */
async function apply(
  ctx: WorkspaceRunContext,
  ws: ReadWorkspace,
  feed: FeedSnapshot,
  sp: SyncPlan,
  perItem: readonly ItemWrite[],
  result: WorkspaceSyncResult,
): Promise<void> {
  const creating = ws.live === undefined;
  const human = creating ? ctx.description : ws.provenance.human || ctx.description;
  const adds = sp.plan.add;
  const reserve = nextState({
    feed,
    budget: sp.budget,
    items: creating ? sp.itemsAfter : sp.liveCount,
    changes: sp.changes,
    complete: false,
    now: ctx.now,
  });
  const reserved = encodeProvenance(human, reserve);
  let uploads = sp.uploads;
  let current: LiveWatchlist;
  if (creating) {
    current = await putWatchlist(ws, ctx.alias, createBody(ctx.compiled, reserved, uploads[0] ?? ctx.header), result, uploads.length > 0);
    uploads = uploads.slice(1);
    await putMark(ctx, ws, result);
  } else {
    current = ws.live!;
    if (uploads.length === 0 && perItem.length > 0)
      current = await putWatchlist(ws, ctx.alias, describeBody(current.properties, reserved, current.etag), result);
  }
  for (const csv of uploads)
    current = await putWatchlist(ws, ctx.alias, uploadBody(current.properties, reserved, csv, current.etag), result, true);
  result.changes += adds.length;

  const outcome = await applyItems(ctx, ws, perItem, result);
  let items = sp.liveCount - sp.plan.duplicates.length - outcome.ok.remove;
  let complete = outcome.failures.length === 0 && outcome.stopped === undefined;
  if (adds.length > 0) {
    // The uploaded items have ids the service chose: list them to see that every addition is there.
    const live = (await ws.api.listWatchlistItems(ctx.alias)).map((item) => liveItemOf(item, ctx.shape));
    const keys = new Set(live.map((item) => normalizeKey(item.key)));
    const missing = adds.filter((add) => !keys.has(add.ip));
    for (const add of missing)
      recordFailure(result, { kind: 'verify', ip: add.ip, id: '-', message: 'not found after the upload; the next run adds it' });
    result.added = adds.length - missing.length;
    items = keys.size;
    complete &&= missing.length === 0 && live.length === keys.size;
    if (missing.length === 0 && live.length !== keys.size)
      result.warnings.push(
        `The watchlist holds ${live.length} items for ${keys.size} addresses after the upload; the next run removes the extra ones.`,
      );
  }
  result.items = items;
  if (creating && !complete) return; // the creation's line is already incomplete and counts every change
  const next = nextState({ feed, budget: sp.budget, items, changes: outcome.attempted + adds.length, complete, now: ctx.now });
  if (!creating && perItem.length === 0 && adds.length === 0 && !stateChanged(sp.previous, next)) return;
  await putWatchlist(ws, ctx.alias, describeBody(current.properties, encodeProvenance(human, next), current.etag), result);
}

async function putMark(ctx: WorkspaceRunContext, ws: ReadWorkspace, result: WorkspaceSyncResult): Promise<void> {
  const mark = ctx.metadata(ws.workspace);
  result.writes++;
  try {
    await ws.api.putMetadata(mark.name, mark.body);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    result.warnings.push(`The ownership mark (metadata ${mark.name}) was not written: ${error.message}. Run deploy to add it.`);
  }
}

async function putWatchlist(
  ws: ReadWorkspace,
  alias: string,
  body: WatchlistBody,
  result: WorkspaceSyncResult,
  upload = false,
): Promise<LiveWatchlist> {
  result.writes++;
  result.watchlistWrites++;
  if (upload) result.uploads++;
  return ws.api.putWatchlist(alias, body);
}

async function applyItems(
  ctx: WorkspaceRunContext,
  ws: ReadWorkspace,
  writes: readonly ItemWrite[],
  result: WorkspaceSyncResult,
): Promise<ApplyOutcome> {
  const outcome: ApplyOutcome = { ok: emptyCounts(), attempted: 0, failures: [] };
  let consecutive = 0;
  await forEachLimit(
    writes,
    ctx.itemConcurrency,
    async (write) => {
      outcome.attempted++;
      result.writes++;
      result.itemWrites++;
      result.changes++;
      try {
        if (write.values) await ws.api.putWatchlistItem(ctx.alias, write.id, write.values);
        else await ws.api.deleteWatchlistItem(ctx.alias, write.id);
        outcome.ok[write.kind]++;
        consecutive = 0;
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        const failure: ItemFailure = { kind: write.kind, ip: write.ip, id: write.id, message: error.message };
        outcome.failures.push(failure);
        recordFailure(result, failure);
        if (++consecutive >= ctx.maxConsecutiveFailures && outcome.stopped === undefined) {
          outcome.stopped = `Stopped after ${consecutive} consecutive failed item writes (the service or the network is failing); ${writes.length - outcome.attempted} writes not attempted. The next run retries them. Last error: ${error.message}`;
        }
      }
      ctx.progress({ kind: 'wrote', workspace: ws.workspace.name });
    },
    () => {
      if (ctx.signal?.aborted && outcome.stopped === undefined) {
        outcome.stopped = `Stopped: ${(ctx.signal.reason as Error).message}; ${writes.length - outcome.attempted} writes not attempted. The next run retries them.`;
      }
      return outcome.stopped !== undefined;
    },
  );
  setCounts(result, outcome.ok);
  if (outcome.stopped) {
    result.message = outcome.stopped;
    result.hint = 'Nothing is lost: the next run lists the items again and writes whatever is still missing.';
  } else if (outcome.failures.length > 0) {
    result.message = `${outcome.failures.length} of ${writes.length} item writes failed; the next run retries them.`;
  }
  return outcome;
}

function recordFailure(result: WorkspaceSyncResult, failure: ItemFailure): void {
  result.failed++;
  if (result.failures.length < SHOWN_FAILURES) result.failures.push(failure);
}

function setCounts(result: WorkspaceSyncResult, counts: WriteCounts): void {
  result.added = counts.add;
  result.removed = counts.remove;
  result.updated = counts.update;
  result.duplicatesRemoved = counts.duplicate;
}

function budgetReport(budget: BudgetStatus, extra: number): NonNullable<WorkspaceSyncResult['budget']> {
  const report: NonNullable<WorkspaceSyncResult['budget']> = {
    month: budget.month,
    before: budget.used,
    used: budget.used + extra,
    limit: budget.allowance,
    percent: budget.percent,
    sentinelLimit: budget.limit,
    source: budget.source,
  };
  if (budget.note) report.note = budget.note;
  return report;
}

function planDetail(plan: SyncPlan): NonNullable<WorkspaceSyncResult['plan']> {
  return {
    add: plan.plan.add.map(({ ip, score }) => ({ ip, score })),
    remove: plan.plan.remove.map((item) => normalizeKey(item.key)),
    update: plan.plan.update.map(({ ip, from, to }) => (from === undefined ? { ip, to } : { ip, from, to })),
    duplicates: plan.plan.duplicates.map((item) => ({ ip: normalizeKey(item.key), id: item.id })),
  };
}
