// Checked before the first write: a sync that would gut the watchlist, write an unusual amount, or
// spend the workspace's monthly item-change budget stops, saying which setting decides it.
import type { WatchlistPlan } from './diff.ts';
import { type FeedGuards, MONTHLY_ITEM_CHANGE_LIMIT, settingPath } from './settings.ts';

export interface GuardViolation {
  guard: 'minItems' | 'maxShrinkPercent' | 'maxRemovePercent' | 'maxChangePercent' | 'maxChangesPerRun' | 'monthlyBudgetPercent';
  message: string;
  hint: string;
}

export type GuardResult = { ok: true } | { ok: false; violations: GuardViolation[] };

export interface MonthlyBudget {
  /** UTC calendar month the tally belongs to, `YYYY-MM`. */
  month: string;
  /** Item changes already made this month (sync/budget.ts `budgetStatus`). */
  used: number;
  /** What the sync may spend this month: monthlyBudgetPercent of `limit`. */
  allowance: number;
  /** Sentinel's per-workspace monthly limit (a one-off run may pass a higher figure knowingly). */
  limit: number;
}

/** The counts come from the planner (sync/plan.ts), which computes them once. */
export interface GuardInput {
  /** Watchlist alias, to name the file whose setting to change. */
  alias: string;
  plan: WatchlistPlan;
  /** Distinct live items before the sync (duplicates not counted). */
  liveItems: number;
  /** Items the watchlist holds when every write succeeds. */
  itemsAfter: number;
  /** Item changes the plan costs (diff.ts `planChanges`). */
  changes: number;
  guards: FeedGuards;
  budget: MonthlyBudget;
}

const NOTHING_WRITTEN = 'Nothing was written.';

export function checkGuards(input: GuardInput): GuardResult {
  const { alias, plan, guards, budget, changes, itemsAfter: after, liveItems: distinctLive } = input;
  // A run with nothing to write cannot do harm, whatever the counts.
  if (changes === 0) return { ok: true };
  const violations: GuardViolation[] = [];
  const setting = (name: string): string => settingPath(alias, `guards.${name}`);

  if (after < guards.minItems) {
    violations.push({
      guard: 'minItems',
      message: `After this sync watchlist ${alias} would hold ${fmt(after)} items, fewer than the minimum of ${fmt(guards.minItems)} (${setting('minItems')}). ${NOTHING_WRITTEN}`,
      hint: `Check the feed first (IPsum level 4 has ranged from ~700 to ~10,000 IPs since 2018). If it really shrank, lower ${setting('minItems')}.`,
    });
  }

  const removed = distinctLive - after;
  if (distinctLive > 0 && removed > 0) {
    const shrink = (removed / distinctLive) * 100;
    if (shrink > guards.maxShrinkPercent) {
      violations.push({
        guard: 'maxShrinkPercent',
        message: `This sync would shrink watchlist ${alias} by ${pct(shrink)} (${fmt(distinctLive)} → ${fmt(after)} items), more than the ${guards.maxShrinkPercent}% allowed (${setting('maxShrinkPercent')}). ${NOTHING_WRITTEN}`,
        hint: `Compare the feed with the previous day's. If the drop is real, raise ${setting('maxShrinkPercent')} for one run, then set it back.`,
      });
    }
  }

  // Gross figures: a feed that swaps most addresses for others keeps the net size (and passes the
  // shrink guard) while it guts the watchlist. Checked once the watchlist holds minItems (a first
  // fill or a small list is all additions by nature).
  if (distinctLive > 0 && distinctLive >= guards.minItems) {
    const removes = plan.remove.length;
    const removePercent = (removes / distinctLive) * 100;
    if (removePercent > guards.maxRemovePercent) {
      violations.push({
        guard: 'maxRemovePercent',
        message: `This sync would remove ${fmt(removes)} of watchlist ${alias}'s ${fmt(distinctLive)} items (${pct(removePercent)}, while adding ${fmt(plan.add.length)}), more than the ${guards.maxRemovePercent}% allowed (${setting('maxRemovePercent')}). ${NOTHING_WRITTEN}`,
        hint: `A feed that replaces most of its addresses overnight is usually a broken or substituted upstream: compare it with the previous day's. If the change is real, raise ${setting('maxRemovePercent')} for one run, then set it back.`,
      });
    }
    const gross = plan.add.length + removes + plan.update.length;
    const changePercent = (gross / distinctLive) * 100;
    if (changePercent > guards.maxChangePercent) {
      violations.push({
        guard: 'maxChangePercent',
        message: `This sync would change ${fmt(gross)} items (${breakdown(plan)}), ${pct(changePercent)} of watchlist ${alias}'s ${fmt(distinctLive)}, more than the ${guards.maxChangePercent}% allowed (${setting('maxChangePercent')}). ${NOTHING_WRITTEN}`,
        hint: `Check the feed and the plan (--dry-run). After a long pause a large change is expected: raise ${setting('maxChangePercent')} for one run, then set it back.`,
      });
    }
  }

  if (changes > guards.maxChangesPerRun) {
    violations.push({
      guard: 'maxChangesPerRun',
      message: `This sync needs ${fmt(changes)} item changes (${breakdown(plan)}), more than the ${fmt(guards.maxChangesPerRun)} allowed per run (${setting('maxChangesPerRun')}). ${NOTHING_WRITTEN}`,
      hint: `Expected on a first sync or after a long pause. Check the plan with --dry-run, then raise ${setting('maxChangesPerRun')} to at least ${fmt(changes)} for one run.`,
    });
  }

  const { allowance, limit } = budget;
  if (budget.used + changes > allowance) {
    const left = Math.max(0, allowance - budget.used);
    violations.push({
      guard: 'monthlyBudgetPercent',
      message: `This sync needs ${fmt(changes)} item changes but only ${fmt(left)} of this month's budget are left: ${fmt(budget.used)} used in ${budget.month} of ${fmt(allowance)} (${guards.monthlyBudgetPercent}% of ${fmt(limit)}, ${setting('monthlyBudgetPercent')}). ${NOTHING_WRITTEN}`,
      hint: `Wait until the tally resets on ${nextMonth(budget.month)}-01 (UTC), or raise ${setting('monthlyBudgetPercent')} (at most 100: Sentinel refuses item changes beyond ${fmt(MONTHLY_ITEM_CHANGE_LIMIT)} per workspace per month). A lower ${settingPath(alias, 'exitScore')} (hysteresis) cuts the daily churn.`,
    });
  }

  return violations.length === 0 ? { ok: true } : { ok: false, violations };
}

function breakdown(plan: WatchlistPlan): string {
  const parts = [`${fmt(plan.add.length)} adds`, `${fmt(plan.remove.length)} removes`, `${fmt(plan.update.length)} score updates`];
  if (plan.duplicates.length > 0) parts.push(`${fmt(plan.duplicates.length)} duplicate deletions`);
  return parts.join(', ');
}

/** `2026-12` → `2027-01`. */
export function nextMonth(month: string): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return mon >= 12 ? `${year + 1}-01` : `${year}-${String(mon + 1).padStart(2, '0')}`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function pct(n: number): string {
  return `${n.toFixed(1).replace(/\.0$/, '')}%`;
}
