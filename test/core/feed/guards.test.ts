import { describe, expect, it } from 'vitest';
import { type LiveItem, type WatchlistPlan, planChanges } from '../../../scripts/core/feed/diff.ts';
import { checkGuards, nextMonth } from '../../../scripts/core/feed/guards.ts';
import type { FeedGuards } from '../../../scripts/core/feed/settings.ts';

const guards: FeedGuards = {
  minItems: 500,
  maxShrinkPercent: 30,
  maxRemovePercent: 40,
  maxChangePercent: 150,
  maxChangesPerRun: 10_000,
  monthlyBudgetPercent: 80,
};
const live = (n: number, prefix = 'r'): LiveItem[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, key: `10.0.${i >> 8}.${i & 255}` }));

function plan(counts: { add?: number; remove?: number; update?: number; unchanged?: number; duplicates?: number }): WatchlistPlan {
  return {
    add: Array.from({ length: counts.add ?? 0 }, (_, i) => ({ ip: `192.0.${i >> 8}.${i & 255}`, score: 4, id: `a${i}` })),
    remove: live(counts.remove ?? 0),
    update: live(counts.update ?? 0, 'u').map((item) => ({ item, ip: item.key, from: 4, to: 6 })),
    unchanged: counts.unchanged ?? 0,
    duplicates: live(counts.duplicates ?? 0, 'd'),
  };
}

/** The counts the planner (sync/plan.ts) passes in, from the live count (duplicates included) and the plan. */
function guardInput(liveCount: number, p: WatchlistPlan, used = 0, limit = 100_000, settings: FeedGuards = guards) {
  const liveItems = liveCount - p.duplicates.length;
  return {
    alias: 'ipsum',
    plan: p,
    guards: settings,
    liveItems,
    itemsAfter: liveItems - p.remove.length + p.add.length,
    changes: planChanges(p),
    budget: { month: '2026-08', used, allowance: Math.floor((limit * guards.monthlyBudgetPercent) / 100), limit },
  };
}
const run = (liveCount: number, p: WatchlistPlan, used = 0) => checkGuards(guardInput(liveCount, p, used));

function violation(result: ReturnType<typeof checkGuards>, guard: string) {
  expect(result.ok).toBe(false);
  const found = result.ok ? undefined : result.violations.find((v) => v.guard === guard);
  expect(found, `violation ${guard}`).toBeDefined();
  return found!;
}

describe('checkGuards', () => {
  it('passes an ordinary daily sync', () => {
    expect(run(5000, plan({ add: 400, remove: 300, update: 100, unchanged: 4600 }))).toEqual({ ok: true });
  });

  it('passes a run with nothing to write, even below minItems', () => {
    expect(run(100, plan({ unchanged: 100 }))).toEqual({ ok: true });
  });

  it('minItems: counts the items left after the sync', () => {
    const v = violation(run(600, plan({ remove: 150, unchanged: 450, add: 10 })), 'minItems');
    expect(v).toStrictEqual({
      guard: 'minItems',
      message:
        'After this sync watchlist ipsum would hold 460 items, fewer than the minimum of 500 (feed.guards.minItems in watchlists/ipsum.yaml). Nothing was written.',
      hint: 'Check the feed first (IPsum level 4 has ranged from ~700 to ~10,000 IPs since 2018). If it really shrank, lower feed.guards.minItems in watchlists/ipsum.yaml.',
    });
  });

  it('minItems applies to a first sync too', () => {
    const result = run(0, plan({ add: 499 }));
    expect(violation(result, 'minItems').message).toBe(
      'After this sync watchlist ipsum would hold 499 items, fewer than the minimum of 500 (feed.guards.minItems in watchlists/ipsum.yaml). Nothing was written.',
    );
    expect(result.ok ? [] : result.violations.map((v) => v.guard)).toEqual(['minItems']);
  });

  it('maxShrinkPercent: trips above the share, not at it, and ignores duplicate deletions', () => {
    expect(run(1000, plan({ remove: 300, unchanged: 700 })).ok).toBe(true);
    const v = violation(run(1000, plan({ remove: 301, unchanged: 699 })), 'maxShrinkPercent');
    expect(v).toStrictEqual({
      guard: 'maxShrinkPercent',
      message:
        'This sync would shrink watchlist ipsum by 30.1% (1,000 → 699 items), more than the 30% allowed (feed.guards.maxShrinkPercent in watchlists/ipsum.yaml). Nothing was written.',
      hint: "Compare the feed with the previous day's. If the drop is real, raise feed.guards.maxShrinkPercent in watchlists/ipsum.yaml for one run, then set it back.",
    });
    expect(run(1400, plan({ remove: 300, unchanged: 700, duplicates: 400 })).ok).toBe(true);
  });

  it('maxChangesPerRun: adds, removes, updates and duplicate deletions all count', () => {
    const p = plan({ add: 9000, remove: 500, update: 400, duplicates: 101, unchanged: 1000 });
    const v = violation(run(2001, p), 'maxChangesPerRun');
    expect(v).toStrictEqual({
      guard: 'maxChangesPerRun',
      message:
        'This sync needs 10,001 item changes (9,000 adds, 500 removes, 400 score updates, 101 duplicate deletions), more than the 10,000 allowed per run (feed.guards.maxChangesPerRun in watchlists/ipsum.yaml). Nothing was written.',
      hint: 'Expected on a first sync or after a long pause. Check the plan with --dry-run, then raise feed.guards.maxChangesPerRun in watchlists/ipsum.yaml to at least 10,001 for one run.',
    });
    const open = { ...guards, maxChangePercent: 1000 };
    expect(
      checkGuards(guardInput(2000, plan({ add: 9000, remove: 500, update: 400, duplicates: 100, unchanged: 1000 }), 0, 100_000, open)).ok,
    ).toBe(true);
  });

  it('maxRemovePercent: a feed that swaps every address keeps the net size but is stopped (issue 10.13)', () => {
    const result = run(4000, plan({ remove: 4000, add: 4000 }));
    expect(result).toStrictEqual({
      ok: false,
      violations: [
        {
          guard: 'maxRemovePercent',
          message:
            "This sync would remove 4,000 of watchlist ipsum's 4,000 items (100%, while adding 4,000), more than the 40% allowed (feed.guards.maxRemovePercent in watchlists/ipsum.yaml). Nothing was written.",
          hint: "A feed that replaces most of its addresses overnight is usually a broken or substituted upstream: compare it with the previous day's. If the change is real, raise feed.guards.maxRemovePercent in watchlists/ipsum.yaml for one run, then set it back.",
        },
        {
          guard: 'maxChangePercent',
          message:
            "This sync would change 8,000 items (4,000 adds, 4,000 removes, 0 score updates), 200% of watchlist ipsum's 4,000, more than the 150% allowed (feed.guards.maxChangePercent in watchlists/ipsum.yaml). Nothing was written.",
          hint: 'Check the feed and the plan (--dry-run). After a long pause a large change is expected: raise feed.guards.maxChangePercent in watchlists/ipsum.yaml for one run, then set it back.',
        },
      ],
    });
  });

  it('maxRemovePercent trips above the share, not at it; additions do not offset removals', () => {
    expect(run(1000, plan({ remove: 400, add: 400, unchanged: 600 })).ok).toBe(true);
    expect(violation(run(1000, plan({ remove: 401, add: 401, unchanged: 599 })), 'maxRemovePercent').message).toBe(
      "This sync would remove 401 of watchlist ipsum's 1,000 items (40.1%, while adding 401), more than the 40% allowed (feed.guards.maxRemovePercent in watchlists/ipsum.yaml). Nothing was written.",
    );
  });

  it('maxChangePercent counts adds, removes and score updates (not duplicate deletions), above the share', () => {
    expect(run(1000, plan({ add: 1000, remove: 200, update: 300, unchanged: 500 })).ok).toBe(true); // exactly 150%
    expect(violation(run(1000, plan({ add: 1001, remove: 200, update: 300, unchanged: 500 })), 'maxChangePercent').message).toBe(
      "This sync would change 1,501 items (1,001 adds, 200 removes, 300 score updates), 150.1% of watchlist ipsum's 1,000, more than the 150% allowed (feed.guards.maxChangePercent in watchlists/ipsum.yaml). Nothing was written.",
    );
    expect(run(1200, plan({ add: 1000, remove: 200, update: 300, unchanged: 500, duplicates: 200 })).ok).toBe(true);
  });

  it('the gross guards wait until the watchlist holds minItems: a first fill or a small list is all additions', () => {
    expect(run(0, plan({ add: 5354 })).ok).toBe(true);
    expect(run(499, plan({ add: 2000, remove: 300, unchanged: 199 })).ok).toBe(true);
  });

  it('monthly budget: stops before used + changes exceeds the share of 100,000', () => {
    const p = plan({ add: 600, remove: 400, unchanged: 5000 });
    expect(run(5400, p, 79_000).ok).toBe(true); // exactly 80,000
    const v = violation(run(5400, p, 79_001), 'monthlyBudgetPercent');
    expect(v).toStrictEqual({
      guard: 'monthlyBudgetPercent',
      message:
        "This sync needs 1,000 item changes but only 999 of this month's budget are left: 79,001 used in 2026-08 of 80,000 (80% of 100,000, feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml). Nothing was written.",
      hint: 'Wait until the tally resets on 2026-09-01 (UTC), or raise feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml (at most 100: Sentinel refuses item changes beyond 100,000 per workspace per month). A lower feed.exitScore in watchlists/ipsum.yaml (hysteresis) cuts the daily churn.',
    });
  });

  it('monthly budget: a different limit can be passed for one run', () => {
    const p = plan({ add: 600, remove: 400, unchanged: 5000 });
    const result = checkGuards(guardInput(5400, p, 79_500, 101_000));
    expect(result.ok).toBe(true);
  });

  it('minItems: a sync leaving exactly the minimum passes', () => {
    expect(run(600, plan({ remove: 100, unchanged: 500 }))).toStrictEqual({ ok: true });
    expect(violation(run(600, plan({ remove: 101, unchanged: 499 })), 'minItems').guard).toBe('minItems');
  });

  it('maxShrinkPercent: a whole percentage has no decimal; an empty watchlist cannot shrink; growth is no shrink', () => {
    const v = violation(run(1000, plan({ remove: 400, add: 0, unchanged: 600 })), 'maxShrinkPercent');
    expect(v.message).toBe(
      'This sync would shrink watchlist ipsum by 40% (1,000 → 600 items), more than the 30% allowed (feed.guards.maxShrinkPercent in watchlists/ipsum.yaml). Nothing was written.',
    );
    expect(checkGuards({ ...guardInput(0, plan({ add: 600 })), liveItems: 0, itemsAfter: 600 })).toStrictEqual({ ok: true });
    expect(run(1000, plan({ remove: 400, add: 500, unchanged: 600 }))).toStrictEqual({ ok: true });
  });

  it('maxChangesPerRun: without duplicates the breakdown names three kinds; exactly the limit passes', () => {
    const p = plan({ add: 10_001, unchanged: 0 });
    expect(violation(run(0, p), 'maxChangesPerRun').message).toBe(
      'This sync needs 10,001 item changes (10,001 adds, 0 removes, 0 score updates), more than the 10,000 allowed per run (feed.guards.maxChangesPerRun in watchlists/ipsum.yaml). Nothing was written.',
    );
    expect(run(0, plan({ add: 10_000 }))).toStrictEqual({ ok: true });
  });

  it('monthly budget: already over the allowance, none is left (never a negative count)', () => {
    const v = violation(run(5400, plan({ add: 1, unchanged: 5400 }), 90_000), 'monthlyBudgetPercent');
    expect(v.message).toBe(
      "This sync needs 1 item changes but only 0 of this month's budget are left: 90,000 used in 2026-08 of 80,000 (80% of 100,000, feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml). Nothing was written.",
    );
  });

  it('reports every guard that trips at once', () => {
    const result = run(1000, plan({ remove: 900, unchanged: 100 }), 80_000);
    expect(result.ok ? [] : result.violations.map((v) => v.guard)).toEqual([
      'minItems',
      'maxShrinkPercent',
      'maxRemovePercent',
      'monthlyBudgetPercent',
    ]);
  });

  it('nextMonth rolls the year over', () => {
    expect([nextMonth('2026-08'), nextMonth('2026-12')]).toEqual(['2026-09', '2027-01']);
  });
});
