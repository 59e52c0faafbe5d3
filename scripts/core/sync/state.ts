// Decisions around the provenance line (feed/provenance.ts holds its format):
// - a run that finished without failures records the feed's hash and HTTP validators; a run with
//   failures leaves them out, so the next run can neither skip the feed as "unchanged" nor ask for a
//   304, and its diff finds the failed items again;
// - an unchanged feed (same hash, previous run complete) costs no writes;
// - the line is rewritten only when something in it changed (the sync time alone does not count).
import { shaPrefix, type ProvenanceState } from '../feed/provenance.ts';
import type { BudgetStatus } from './budget.ts';
import type { FeedSnapshot } from './plan.ts';

/** The feed body is the one the last complete run applied: nothing to do. */
export function feedUnchanged(state: ProvenanceState | undefined, sha256: string): boolean {
  return state?.sha256 !== undefined && state.sha256.toLowerCase() === shaPrefix(sha256);
}

export interface Validators {
  etag?: string;
  lastModified?: string;
}

/**
 * Validators for one conditional GET shared by every workspace of the run: only when each of them
 * completed its last run from the same download. A 304 then means no workspace has anything to do;
 * any workspace that needs the body makes the download unconditional.
 */
export function conditionalValidators(states: readonly (ProvenanceState | undefined)[]): Validators | undefined {
  const first = states[0]; // undefined when there are no workspaces: no validators
  if (!first?.sha256 || (!first.etag && !first.lastModified)) return undefined;
  for (const state of states) {
    if (!state?.sha256 || state.sha256 !== first.sha256 || state.etag !== first.etag || state.lastModified !== first.lastModified)
      return undefined;
  }
  const validators: Validators = {};
  if (first.etag) validators.etag = first.etag;
  if (first.lastModified) validators.lastModified = first.lastModified;
  return validators;
}

export interface NextStateInput {
  feed: FeedSnapshot;
  budget: BudgetStatus;
  /** Items in the watchlist after the run's successful writes. */
  items: number;
  /** Item changes this run sent (answered or not: a write whose answer was lost may have been applied). */
  changes: number;
  /** No write failed. */
  complete: boolean;
  now: Date;
}

export function nextState(input: NextStateInput): ProvenanceState {
  const state: ProvenanceState = {
    items: input.items,
    month: input.budget.month,
    changes: input.budget.used + input.changes,
    // Stryker disable next-line Regex: toISOString always ends with the milliseconds and Z
    syncedAt: input.now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  if (input.feed.lastUpdate) state.feedUpdated = input.feed.lastUpdate;
  if (input.complete) {
    state.sha256 = shaPrefix(input.feed.sha256);
    if (input.feed.etag) state.etag = input.feed.etag;
    if (input.feed.lastModified) state.lastModified = input.feed.lastModified;
  }
  return state;
}

const COMPARED: readonly (keyof ProvenanceState)[] = ['feedUpdated', 'sha256', 'items', 'month', 'changes', 'etag', 'lastModified'];

/** Whether the line must be rewritten: anything but the sync time differs. */
export function stateChanged(previous: ProvenanceState | undefined, next: ProvenanceState): boolean {
  if (!previous) return true;
  return COMPARED.some((key) => previous[key] !== next[key]);
}
