// The narrow interface that commands use to talk to one Sentinel workspace. Commands never see the
// Azure SDK: scripts/azure/ implements this over @azure/arm-securityinsight's client pipeline (auth,
// retries, 429/Retry-After, api-version), and tests drive it against the local emulator.
//
// Every method throws RemoteError (scripts/core/errors.ts) naming the operation, workspace, resource,
// HTTP status, the service's code and message, and the request id, after the pipeline's own retries.
import type { Workspace } from '../core/model/workspaces.ts';
import type { LiveAlertRule, LiveMetadata, LiveWatchlist } from '../core/plan/types.ts';

export interface LiveWatchlistItem {
  /** watchlistItemId (a GUID). */
  id: string;
  itemsKeyValue: Record<string, unknown>;
  etag?: string;
}

export interface SentinelApi {
  readonly workspace: Workspace;

  listAlertRules(): Promise<LiveAlertRule[]>;
  /** PUT the compiled body exactly as built; returns what the service stored. */
  putAlertRule(name: string, body: unknown): Promise<LiveAlertRule>;
  deleteAlertRule(name: string): Promise<void>;

  listMetadata(): Promise<LiveMetadata[]>;
  putMetadata(name: string, body: unknown): Promise<LiveMetadata>;
  deleteMetadata(name: string): Promise<void>;

  listWatchlists(): Promise<LiveWatchlist[]>;
  getWatchlist(alias: string): Promise<LiveWatchlist | undefined>;
  /** Long-running: resolves when provisioning has finished (Succeeded), throws when it failed. */
  putWatchlist(alias: string, body: unknown): Promise<LiveWatchlist>;

  /** All items, every page. */
  listWatchlistItems(alias: string): Promise<LiveWatchlistItem[]>;
  /** One item (the first page's first), for the watchlist's columns; undefined when it has none. */
  firstWatchlistItem(alias: string): Promise<LiveWatchlistItem | undefined>;
  putWatchlistItem(alias: string, id: string, itemsKeyValue: Record<string, unknown>): Promise<void>;
  deleteWatchlistItem(alias: string, id: string): Promise<void>;
}

/**
 * Creates one SentinelApi per workspace (one SDK client per subscription and ARM endpoint underneath).
 * `signal` is the command's deadline: once aborted, the API's requests and waits end.
 */
export type SentinelApiFactory = (workspace: Workspace, signal?: AbortSignal) => SentinelApi;
