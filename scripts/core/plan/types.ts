// What a plan reads and says per workspace: the live resources (as scripts/azure/ returns them), one
// Change per rule or watchlist (the `plan --format json` contract), and, beside it, the writes that deploy
// would send (bodies exactly as compiled).

/** An alert rule as read from the service (server-managed fields included; plan normalizes them). */
export interface LiveAlertRule {
  /** Resource name (the rule GUID for rules this repository deploys). */
  name: string;
  kind: string;
  etag?: string;
  properties: Record<string, unknown>;
}

/** A Microsoft.SecurityInsights/metadata resource: our ownership mark on deployed content. */
export interface LiveMetadata {
  name: string;
  etag?: string;
  properties: Record<string, unknown>;
}

export interface LiveWatchlist {
  alias: string;
  etag?: string;
  /** provisioningState when the api-version reports it (2025-09-01 does). */
  provisioningState?: string;
  properties: Record<string, unknown>;
}

/** What plan reads of one workspace. */
export interface LiveState {
  alertRules: LiveAlertRule[];
  metadata: LiveMetadata[];
  watchlists: LiveWatchlist[];
}

export type ChangeType = 'alertRule' | 'watchlist';
export type ChangeAction = 'create' | 'update' | 'noop' | 'delete';
/** What happens to the ownership mark (metadata resource) of the rule or watchlist. */
export type MarkAction = 'create' | 'update' | 'noop' | 'delete';

export interface FieldChange {
  /** Dotted path inside the resource's properties, e.g. `query`, `incidentConfiguration.createIncident`. */
  field: string;
  /** Absent: the field is not set on that side. */
  old?: unknown;
  new?: unknown;
}

/**
 * A live resource with our id that this repository does not own. `unmanaged`: no ownership mark at
 * all (deploy --adopt takes it over when `adoptable`); `owned-elsewhere`: marked by another repository
 * (never touched).
 */
export interface Conflict {
  reason: 'unmanaged' | 'owned-elsewhere';
  owner?: string;
  /** unmanaged only: whether --adopt may take it over (a rule id must be in the version lock). */
  adoptable?: boolean;
  message: string;
}

/**
 * What this repository can prove it owns in a workspace: marks carrying its name (workspaces.yaml
 * `repository`), and only for rule ids its version lock records, current or retired. A mark alone
 * proves nothing: anyone can write one.
 */
export interface Ownership {
  repository: string;
  /** Rule ids (lower case) of rules/rules.lock.json `rules`. */
  locked: ReadonlySet<string>;
  /** Rule ids (lower case) of rules/rules.lock.json `retired`. */
  retired: ReadonlySet<string>;
}

export function ownershipOf(
  repository: string,
  lock: { rules: Record<string, unknown>; retired: readonly { id: string }[] } | undefined,
): Ownership {
  return {
    repository,
    locked: new Set(Object.keys(lock?.rules ?? {}).map((id) => id.toLowerCase())),
    retired: new Set((lock?.retired ?? []).map((r) => r.id.toLowerCase())),
  };
}

export interface Change {
  type: ChangeType;
  /** Rule GUID (lower case) or watchlist alias. */
  id: string;
  action: ChangeAction;
  displayName?: string;
  /** Repository file the desired state comes from (absent for deletes). */
  file?: string;
  /** Fields of the rule/watchlist that differ, old → new (update only). */
  changedFields?: FieldChange[];
  mark: MarkAction;
  /** Fields of the ownership mark that differ (mark update only). */
  markFields?: FieldChange[];
  conflict?: Conflict;
  /** Something a reviewer should know that the action does not say. */
  note?: string;
}

export type Write =
  | { op: 'putRule'; id: string; body: unknown }
  | { op: 'deleteRule'; id: string }
  | { op: 'putMark'; name: string; body: unknown }
  | { op: 'deleteMark'; name: string }
  /** `create`: deploy adds rawContent (the bootstrap CSV, or `header` alone). */
  | {
      op: 'putWatchlist';
      alias: string;
      body: { etag?: string; properties: Record<string, unknown> };
      create?: { header: string; bootstrapCsv?: string };
    };

/** The writes of one change, in order: the resource first, its mark after (deletes: likewise). */
export interface PlannedChange {
  change: Change;
  writes: Write[];
}

export interface WorkspacePlan {
  name: string;
  changes: PlannedChange[];
}

export const ACTIONS: readonly ChangeAction[] = ['create', 'update', 'delete', 'noop'];

export function countActions(changes: readonly Change[]): Record<ChangeAction, number> {
  const counts: Record<ChangeAction, number> = { create: 0, update: 0, delete: 0, noop: 0 };
  for (const c of changes) counts[c.action] += 1;
  return counts;
}
