// One workspace's sync, planned before anything is written: desired set (hysteresis, allow-list)
// against the live items, the guard verdict, the month's budget, and how a missing watchlist is
// created (one rawContent upload when the CSV fits, else header-only creation then item writes).
import { desiredSet } from '../feed/desired.ts';
import { type LiveItem, type PlannedUpdate, type WatchlistPlan, diffWatchlist, normalizeKey, planChanges } from '../feed/diff.ts';
import { compareIPv4 } from '../feed/ipv4.ts';
import { type GuardResult, checkGuards } from '../feed/guards.ts';
import { type ProvenanceState, decodeProvenance } from '../feed/provenance.ts';
import type { FeedSettings } from '../feed/settings.ts';
import { type BudgetStatus, budgetStatus } from './budget.ts';
import { RAW_CONTENT_MAX_BYTES, type StoredItem, itemsCsv, liveItemOf } from './items.ts';
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
  description?: string;
  items: readonly StoredItem[];
}

export interface SyncPlanInput {
  alias: string;
  shape: ItemShape;
  settings: FeedSettings;
  feed: FeedSnapshot;
  /** Undefined: the watchlist does not exist in this workspace yet. */
  live?: LiveWatchlistView;
  now: Date;
  /** Default RAW_CONTENT_MAX_BYTES (tests lower it to exercise the item-by-item creation). */
  rawContentMaxBytes?: number;
  monthlyLimit?: number;
}

/** upload: create with every item in one rawContent; create-then-items: header only, then item PUTs. */
export type SyncMode = 'upload' | 'create-then-items' | 'update';

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
  /** What the watchlist is created with: every row (upload) or the header only (create-then-items). */
  csv?: string;
}

export function planSync(input: SyncPlanInput): SyncPlan {
  const { alias, shape, settings } = input;
  const live = input.live?.items.map((item) => liveItemOf(item, shape)) ?? [];
  const liveKeys = new Set(live.map((item) => normalizeKey(item.key)));
  const desired = desiredSet({
    feed: input.feed.entries,
    live: liveKeys,
    minScore: settings.minScore,
    exitScore: settings.exitScore,
    allowList: settings.allowList,
    alias,
  });
  // scoreFloor = minScore: an IP kept by hysteresis still reads Score ≥ minScore (validate relies on it).
  const diff = diffWatchlist({ alias, desired, live, scorePolicy: scorePolicyOf(settings, shape), scoreFloor: settings.minScore });
  const plan = canonicalKeys(diff, live, desired, settings.minScore);
  const previous = input.live ? decodeProvenance(input.live.description).state : undefined;
  const distinct = live.length - plan.duplicates.length;
  const budget = budgetStatus({
    alias,
    exists: input.live !== undefined,
    description: input.live?.description,
    state: previous,
    liveItems: distinct,
    now: input.now,
    guards: settings.guards,
    monthlyLimit: input.monthlyLimit,
  });
  const guard = checkGuards({
    alias,
    liveCount: live.length,
    plan,
    guards: settings.guards,
    budget: { month: budget.month, used: budget.used },
    monthlyLimit: input.monthlyLimit,
  });
  const result: SyncPlan = {
    mode: 'update',
    plan,
    liveCount: live.length,
    itemsAfter: distinct - plan.remove.length + plan.add.length,
    changes: planChanges(plan),
    guard,
    budget,
  };
  if (previous) result.previous = previous;
  if (!input.live) {
    const csv = itemsCsv(shape, plan.add);
    const fits = Buffer.byteLength(csv, 'utf8') <= (input.rawContentMaxBytes ?? RAW_CONTENT_MAX_BYTES);
    result.mode = fits ? 'upload' : 'create-then-items';
    result.csv = fits ? csv : itemsCsv(shape, []);
  }
  return result;
}

/**
 * A kept item whose stored key is not canonical (` 1.2.3.4 `, upper case: a hand-made upload) still
 * matches by the diff's normalization, but _GetWatchlist's SearchKey would not equal the address in
 * a join: rewrite it once, as an update that keeps its score.
 */
function canonicalKeys(plan: WatchlistPlan, live: readonly LiveItem[], desired: ReadonlyMap<string, number>, minScore: number): WatchlistPlan {
  const touched = new Set<LiveItem>([...plan.remove, ...plan.duplicates, ...plan.update.map((u) => u.item)]);
  const rewrites: PlannedUpdate[] = [];
  for (const item of live) {
    const ip = normalizeKey(item.key);
    const count = desired.get(ip);
    if (touched.has(item) || item.key === ip || count === undefined) continue;
    rewrites.push(item.score === undefined ? { item, ip, to: Math.max(count, minScore) } : { item, ip, from: item.score, to: item.score });
  }
  if (rewrites.length === 0) return plan;
  return { ...plan, update: [...plan.update, ...rewrites].sort((a, b) => compareIPv4(a.ip, b.ip)), unchanged: plan.unchanged - rewrites.length };
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
