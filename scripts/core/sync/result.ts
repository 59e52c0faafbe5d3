// What `sync-watchlist` returns and the reporters render (json: the documented `{workspaces:[{name, added, removed, updated, unchanged, writes}]}` contract plus details).
import type { GuardViolation } from '../feed/guards.ts';
import type { ProgressEvent } from '../plan/results.ts';
import type { BudgetSource } from './budget.ts';
import type { ItemWriteKind } from './ops.ts';
import type { SyncMode } from './plan.ts';

/**
 * synced: writes were made (or nothing was needed after a full diff); unchanged: the feed is the one
 * the last complete run applied (304 or same hash): nothing read beyond the watchlist, nothing written;
 * planned: --dry-run; guard: a guard stopped the run before its first write; failed: an error or
 * item failures (retried by the next run); skipped: `sync: false` for this workspace.
 */
export type WorkspaceStatus = 'synced' | 'unchanged' | 'planned' | 'guard' | 'failed' | 'skipped';

export interface ItemFailure {
  kind: ItemWriteKind | 'verify';
  ip: string;
  id: string;
  message: string;
}

export interface BudgetReport {
  month: string;
  /** This month's item changes before the run. */
  before: number;
  /** After the run (what the description now records); equals `before` when nothing was written. */
  used: number;
  /** What the sync may spend this month (monthlyBudgetPercent of sentinelLimit). */
  limit: number;
  percent: number;
  sentinelLimit: number;
  source: BudgetSource;
  note?: string;
}

export interface PlanDetail {
  add: { ip: string; score: number }[];
  remove: string[];
  update: { ip: string; from?: number; to: number }[];
  duplicates: { ip: string; id: string }[];
}

export interface WorkspaceSyncResult {
  name: string;
  status: WorkspaceStatus;
  /** How the watchlist was (or would be) brought up to date. */
  mode?: SyncMode;
  /** Applied (planned under --dry-run). */
  added: number;
  removed: number;
  updated: number;
  duplicatesRemoved: number;
  unchanged: number;
  /** Write requests sent: item PUT/DELETE, watchlist PUT, metadata PUT. */
  writes: number;
  itemWrites: number;
  /** Watchlist PUTs: creation, rawContent uploads of additions, provenance lines. */
  watchlistWrites: number;
  /** Of watchlistWrites, those that carried additions (rawContent). */
  uploads: number;
  /** Item changes counted against the monthly budget (an upload's rows included). */
  changes: number;
  /** Items in the watchlist after the run. */
  items?: number;
  failed: number;
  /** The first failures (all of them are retried by the next run). */
  failures: ItemFailure[];
  durationMs: number;
  guard?: GuardViolation[];
  budget?: BudgetReport;
  message?: string;
  hint?: string;
  warnings: string[];
  /** --dry-run only. */
  plan?: PlanDetail;
}

export interface FeedReport {
  /** URL (without query) or file path. */
  source: string;
  /** body: downloaded; not-modified: 304 to a conditional GET; skipped: no workspace could be read. */
  fetched: 'body' | 'not-modified' | 'skipped';
  conditional: boolean;
  lastUpdate?: string;
  sha256?: string;
  bytes?: number;
  /** Addresses the sync works with (reserved ranges dropped). */
  ips?: number;
  /** Reserved and private addresses dropped from the feed (feed.dropReserved), with the first few. */
  reserved?: { dropped: number; examples: string[] };
  /** Where the body came from after redirects (without query), when that is not `source`. */
  finalUrl?: string;
  /** Malformed lines skipped (below the refusal threshold), with line numbers. */
  problems: string[];
}

export interface SyncResult {
  alias: string;
  environment: string;
  dryRun: boolean;
  feed: FeedReport;
  workspaces: WorkspaceSyncResult[];
  durationMs: number;
}

/** Exit 1 when any workspace failed or a guard tripped. */
export function syncFailed(result: SyncResult): boolean {
  return result.workspaces.some((w) => w.status === 'failed' || w.status === 'guard');
}

export const SHOWN_FAILURES = 20;

/** Deploy's progress events (workspaces, planned and sent item writes) plus the feed download. */
export type SyncProgressEvent = ProgressEvent | { kind: 'feed'; source: string; conditional: boolean };
