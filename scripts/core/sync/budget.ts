// This month's item-change tally before a run. Sentinel counts 100,000 item changes (create, update,
// delete) per workspace per calendar month; the sync may spend a configured share of it. The tally
// lives in the watchlist's description (provenance.ts). When an existing watchlist has no readable
// tally, starting again from 0 could overspend the month, so the run assumes the allowance was spent
// evenly up to today and says so; the next successful run records the tally again.
import type { ProvenanceState } from '../feed/provenance.ts';
import { monthOf } from '../feed/provenance.ts';
import { type FeedGuards, MONTHLY_ITEM_CHANGE_LIMIT, settingPath } from '../feed/settings.ts';

export type BudgetSource = 'provenance' | 'new' | 'assumed';

export interface BudgetStatus {
  /** UTC month, YYYY-MM. */
  month: string;
  /** Item changes counted this month before this run. */
  used: number;
  /** What the sync may spend this month: the configured share of the limit. */
  allowance: number;
  /** Sentinel's limit per workspace per month. */
  limit: number;
  percent: number;
  /** provenance: read from the description; new: nothing synced yet; assumed: see note. */
  source: BudgetSource;
  note?: string;
}

export interface BudgetInput {
  alias: string;
  /** Whether the watchlist exists in the workspace. */
  exists: boolean;
  /** The decoded sync line, when the watchlist exists (provenance.ts decodeProvenance). */
  state?: ProvenanceState;
  /** The description carries a sync line, readable or not (tells a missing line from an unreadable one). */
  hasBlock?: boolean;
  /** Distinct live items. */
  liveItems: number;
  now: Date;
  guards: FeedGuards;
  monthlyLimit?: number;
}

export function budgetStatus(input: BudgetInput): BudgetStatus {
  const month = monthOf(input.now);
  const limit = input.monthlyLimit ?? MONTHLY_ITEM_CHANGE_LIMIT;
  const percent = input.guards.monthlyBudgetPercent;
  const allowance = Math.floor((limit * percent) / 100);
  const status = (used: number, source: BudgetSource, note?: string): BudgetStatus =>
    note === undefined ? { month, used, allowance, limit, percent, source } : { month, used, allowance, limit, percent, source, note };

  if (!input.exists) return status(0, 'new');
  const state = input.state;
  if (state) {
    if (state.month === month) return status(state.changes, 'provenance');
    // Stryker disable next-line EqualityOperator: the same month returned above, so > and >= agree
    if (state.month > month) {
      return status(
        state.changes,
        'provenance',
        `The recorded tally is for ${state.month}, later than this run's month ${month} (clock skew?): its ${state.changes} changes are counted as this month's.`,
      );
    }
    return status(0, 'provenance');
  }
  if (!input.hasBlock && input.liveItems === 0) {
    return status(0, 'new', `Watchlist ${input.alias} has no sync line in its description and no items: treated as not synced yet.`);
  }
  const day = input.now.getUTCDate();
  const days = daysInMonth(input.now);
  const assumed = Math.min(allowance, Math.ceil((allowance * day) / days));
  return status(
    assumed,
    'assumed',
    `The description of watchlist ${input.alias} has ${input.hasBlock ? 'an unreadable' : 'no'} sync line ("[sync v1 … month=YYYY-MM changes=N]"), so this month's item changes are unknown. ` +
      `Assumed ${assumed.toLocaleString('en-US')} already used (the ${allowance.toLocaleString('en-US')} allowance spread evenly up to day ${day} of ${days}) instead of 0; ` +
      `this run records the tally again. If you know the real figure, put the line back at the end of the description (month=${month} changes=N), ` +
      `or adjust ${settingPath(input.alias, 'guards.monthlyBudgetPercent')}.`,
  );
}

export function daysInMonth(now: Date): number {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
}
