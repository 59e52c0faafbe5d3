// One workspace's sync, planned before anything is written: desired set (hysteresis, allow-list)
// against the live items, the guard verdict, the month's budget, and the additions as rawContent
// uploads (a missing watchlist is created with the first; an existing one takes them as bulk updates,
// which append and de-duplicate identical rows).
import { type AllowList, desiredSet } from '../feed/desired.ts';
import { type WatchlistPlan, diffWatchlist, normalizeKey, planChanges } from '../feed/diff.ts';
import { type GuardResult, checkGuards } from '../feed/guards.ts';
import type { DecodedProvenance, ProvenanceState } from '../feed/provenance.ts';
import type { FeedSettings } from '../feed/settings.ts';
import { type BudgetStatus, budgetStatus } from './budget.ts';
import { RAW_CONTENT_MAX_BYTES } from '../csv/csv.ts';
import { type StoredItem, csvChunks, liveItemOf } from './items.ts';
import { type ItemShape, scorePolicyOf } from './settings.ts';

/** The downloaded feed, parsed and accepted (checkFeed passed). */
export interface FeedSnapshot {
  entries: ReadonlyMap<string, number>;
  /** Hex SHA-256 of the body. */
  sha256: string;
  /** The feed's '# Last update:' time, ISO 8601 UTC. */
  lastUpdate?: string;
  etag?: string;
  lastModified?: string;
}

export interface LiveWatchlistView {
  /** The live description, decoded once when the workspace was read. */
  provenance: DecodedProvenance;
  items: readonly StoredItem[];
}

export interface SyncPlanInput {
  alias: string;
  shape: ItemShape;
  /** The CSV header row (compile/watchlist.ts csvHeader): a new watchlist is created with it. */
  header: string;
  settings: FeedSettings;
  /** settings.allowList, compiled once per run. */
  allowList: AllowList;
  feed: FeedSnapshot;
  /** Undefined: the watchlist does not exist in this workspace yet. */
  live?: LiveWatchlistView;
  now: Date;
  /** Default RAW_CONTENT_MAX_BYTES (tests lower it to exercise uploads in several parts). */
  rawContentMaxBytes?: number;
  monthlyLimit?: number;
}

/**
 * upload: the watchlist is created with its items (rawContent); update: it exists, additions go in
 * bulk (rawContent on the existing watchlist), score updates and removals item by item.
 */
export type SyncMode = 'upload' | 'update';

export interface SyncPlan {
  mode: SyncMode;
  plan: WatchlistPlan;
  /** Live items before the sync, duplicates included (0 when creating). */
  liveCount: number;
  /** Items the watchlist holds when every write succeeds. */
  itemsAfter: number;
  /** Item changes this run costs against the monthly budget (an upload's rows included). */
  changes: number;
  guard: GuardResult;
  budget: BudgetStatus;
  /** The sync state read from the live description, when readable. */
  previous?: ProvenanceState;
  /**
   * The additions as CSV uploads (header + rows, each within rawContentMaxBytes), in address order;
   * empty without additions. A missing watchlist is created with the first one.
   */
  uploads: string[];
}

export function planSync(input: SyncPlanInput): SyncPlan {
  const { alias, shape, settings } = input;
  const live = input.live?.items.map((item) => liveItemOf(item, shape)) ?? [];
  const desired = desiredSet({
    feed: input.feed.entries,
    live: new Set(live.map((item) => normalizeKey(item.key))),
    minScore: settings.minScore,
    exitScore: settings.exitScore,
    allowList: input.allowList,
    alias,
  });
  // scoreFloor = minScore: an IP kept by hysteresis still reads Score ≥ minScore (validate relies on it).
  const plan = diffWatchlist({
    alias,
    desired,
    live,
    scorePolicy: scorePolicyOf(settings, shape),
    scoreFloor: settings.minScore,
    canonicalKeys: true,
  });
  const previous = input.live?.provenance.state;
  const distinct = live.length - plan.duplicates.length;
  const itemsAfter = distinct - plan.remove.length + plan.add.length;
  const changes = planChanges(plan);
  const budget = budgetStatus({
    alias,
    exists: input.live !== undefined,
    state: previous,
    hasBlock: input.live?.provenance.hasBlock,
    liveItems: distinct,
    now: input.now,
    guards: settings.guards,
    monthlyLimit: input.monthlyLimit,
  });
  const guard = checkGuards({ alias, plan, liveItems: distinct, itemsAfter, changes, guards: settings.guards, budget });
  const uploads = csvChunks(input.header, shape, plan.add, input.rawContentMaxBytes ?? RAW_CONTENT_MAX_BYTES);
  const result: SyncPlan = {
    mode: input.live ? 'update' : 'upload',
    plan,
    liveCount: live.length,
    itemsAfter,
    changes,
    guard,
    budget,
    uploads,
  };
  if (previous) result.previous = previous;
  return result;
}

/** Why a live watchlist cannot be synced as defined (the sync never re-creates one), or undefined. */
export function liveShapeProblem(alias: string, shape: ItemShape, properties: Record<string, unknown>): string | undefined {
  const key = properties.itemsSearchKey;
  if (typeof key === 'string' && key.toLowerCase() !== shape.searchKey.toLowerCase()) {
    return `Watchlist ${alias} in this workspace has itemsSearchKey '${key}', the definition says '${shape.searchKey}'. The sync never deletes and re-creates a watchlist: change the definition back, or fix the watchlist by hand.`;
  }
  const state = properties.provisioningState;
  if (typeof state === 'string' && !/^succeeded$/i.test(state)) {
    return `Watchlist ${alias} is ${state} (not Succeeded): its items cannot be read or written now. Run the sync again once the operation has finished.`;
  }
  return undefined;
}
