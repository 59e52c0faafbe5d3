// Desired set vs the live items → the minimal set of item writes. Every write counts against the
// 100,000-a-month budget, so score rewrites happen only when the policy asks for them.
import { compareIPv4 } from './ipv4.ts';
import { watchlistItemId } from './item-id.ts';
import { compareText } from '../text/compare.ts';

export interface LiveItem {
  id: string;
  /** The raw search-key value as stored (may carry odd case or whitespace). */
  key: string;
  /** Stored score, when the watchlist tracks it and the value is a number. */
  score?: number;
}

/**
 * When to rewrite a stored score: 'all' on any change; thresholds only when the stored score and
 * the new count fall on different sides of a threshold t, i.e. (stored ≥ t) !== (count ≥ t);
 * 'none' never. A missing stored score is rewritten under 'all' and thresholds.
 */
export type ScorePolicy = { thresholds: readonly number[] } | 'all' | 'none';

export interface PlannedAdd {
  ip: string;
  score: number;
  id: string;
}

export interface PlannedUpdate {
  item: LiveItem;
  ip: string;
  from?: number;
  to: number;
}

export interface WatchlistPlan {
  add: PlannedAdd[];
  remove: LiveItem[];
  update: PlannedUpdate[];
  /** Live IPs kept as they are. */
  unchanged: number;
  /** Extra live items for an IP that already has one: to delete. */
  duplicates: LiveItem[];
}

export interface DiffInput {
  /** Watchlist alias: item ids for adds are derived from it. */
  alias: string;
  desired: ReadonlyMap<string, number>;
  live: readonly LiveItem[];
  scorePolicy: ScorePolicy;
  /**
   * Scores are stored as max(count, scoreFloor). With the watchlist's minScore here, an IP kept by
   * hysteresis (count between exitScore and minScore) keeps Score ≥ minScore, so a rule filtering
   * `Score >= minScore` still sees every listed IP, and a 4 → 3 drop costs no write even under 'all'.
   * Levels above the floor stay exact. Undefined: store the raw count.
   */
  scoreFloor?: number;
  /**
   * Rewrite a kept item whose stored key is not canonical (` 1.2.3.4 `, upper case: a hand-made
   * upload), keeping its score: it matches here by normalization, but _GetWatchlist's SearchKey
   * would not equal the address in a join.
   */
  canonicalKeys?: boolean;
}

export function normalizeKey(key: string): string {
  return key.trim().toLowerCase();
}

/** Item writes the plan costs (each counts against the monthly budget). */
export function planChanges(plan: WatchlistPlan): number {
  return plan.add.length + plan.remove.length + plan.update.length + plan.duplicates.length;
}

export function scoreNeedsUpdate(policy: ScorePolicy, stored: number | undefined, next: number): boolean {
  if (policy === 'none') return false;
  if (stored === undefined || !Number.isFinite(stored)) return true;
  if (policy === 'all') return stored !== next;
  return policy.thresholds.some((t) => stored >= t !== next >= t);
}

export function diffWatchlist(input: DiffInput): WatchlistPlan {
  // Group live items by normalized key; keep one per IP, the rest are duplicates.
  const byKey = new Map<string, LiveItem[]>();
  for (const item of input.live) {
    const key = normalizeKey(item.key);
    const group = byKey.get(key);
    if (group) group.push(item);
    else byKey.set(key, [item]);
  }
  const scoreFloor = input.scoreFloor;
  const floor = (count: number): number => (scoreFloor !== undefined && count < scoreFloor ? scoreFloor : count);
  const remove: { ip: string; item: LiveItem }[] = [];
  const update: PlannedUpdate[] = [];
  const duplicates: { ip: string; item: LiveItem }[] = [];
  let unchanged = 0;
  for (const [ip, group] of byKey) {
    const keep = group.length === 1 ? group[0]! : pickKeeper(input.alias, ip, group);
    for (const item of group) if (item !== keep) duplicates.push({ ip, item });
    const count = input.desired.get(ip);
    if (count === undefined) remove.push({ ip, item: keep });
    else if (scoreNeedsUpdate(input.scorePolicy, keep.score, floor(count))) update.push(updateOf(keep, ip, floor(count)));
    else if (input.canonicalKeys && keep.key !== ip) update.push(updateOf(keep, ip, keep.score ?? floor(count)));
    else unchanged++;
  }
  const add: PlannedAdd[] = [];
  for (const [ip, score] of input.desired) {
    if (!byKey.has(ip)) add.push({ ip, score: floor(score), id: watchlistItemId(input.alias, ip) });
  }
  add.sort((a, b) => compareIPv4(a.ip, b.ip));
  update.sort((a, b) => compareIPv4(a.ip, b.ip));
  return { add, remove: sortItems(remove), update, unchanged, duplicates: sortItems(duplicates) };
}

function updateOf(item: LiveItem, ip: string, to: number): PlannedUpdate {
  return item.score === undefined ? { item, ip, to } : { item, ip, from: item.score, to };
}

/**
 * Which of several items for one IP survives: the one with the deterministic id (what this sync
 * writes, so re-runs converge), else the one with the lowest id, so the choice never flaps.
 */
function pickKeeper(alias: string, ip: string, group: readonly LiveItem[]): LiveItem {
  const expected = watchlistItemId(alias, ip);
  const own = group.find((item) => item.id.toLowerCase() === expected);
  if (own) return own;
  return [...group].sort((a, b) => compareText(a.id, b.id))[0]!;
}

function sortItems(entries: { ip: string; item: LiveItem }[]): LiveItem[] {
  return entries.sort((a, b) => compareIPv4(a.ip, b.ip) || compareText(a.item.id, b.item.id)).map((entry) => entry.item);
}
