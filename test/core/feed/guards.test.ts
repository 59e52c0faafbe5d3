import { describe, expect, it } from 'vitest';
import { type LiveItem, type WatchlistPlan, planChanges } from '../../../scripts/core/feed/diff.ts';
import { checkGuards, nextMonth } from '../../../scripts/core/feed/guards.ts';
import type { FeedGuards } from '../../../scripts/core/feed/settings.ts';

const guards: FeedGuards = { minItems: 500, maxShrinkPercent: 30, maxChangesPerRun: 10_000, monthlyBudgetPercent: 80 };
const live = (n: number, prefix = 'r'): LiveItem[] => Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, key: `10.0.${i >> 8}.${i & 255}` }));

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
function guardInput(liveCount: number, p: WatchlistPlan, used = 0, limit = 100_000) {
  const liveItems = liveCount - p.duplicates.length;
  return {
    alias: 'ipsum', plan: p, guards, liveItems, itemsAfter: liveItems - p.remove.length + p.add.length, changes: planChanges(p),
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
    expect(v.message).toContain('would hold 460 items, fewer than the minimum of 500');
    expect(v.message).toContain('feed.guards.minItems in watchlists/ipsum.yaml');
    expect(v.message).toContain('Nothing was written.');
    expect(v.hint).toContain('lower feed.guards.minItems in watchlists/ipsum.yaml');
  });

  it('minItems applies to a first sync too', () => {
    const result = run(0, plan({ add: 499 }));
    expect(violation(result, 'minItems').message).toContain('would hold 499 items');
    expect(result.ok ? [] : result.violations.map((v) => v.guard)).toEqual(['minItems']);
  });

  it('maxShrinkPercent: trips above the share, not at it, and ignores duplicate deletions', () => {
    expect(run(1000, plan({ remove: 300, unchanged: 700 })).ok).toBe(true);
    const v = violation(run(1000, plan({ remove: 301, unchanged: 699 })), 'maxShrinkPercent');
    expect(v.message).toContain('shrink watchlist ipsum by 30.1% (1,000 → 699 items), more than the 30% allowed');
    expect(v.message).toContain('feed.guards.maxShrinkPercent in watchlists/ipsum.yaml');
    expect(run(1400, plan({ remove: 300, unchanged: 700, duplicates: 400 })).ok).toBe(true);
  });

  it('maxChangesPerRun: adds, removes, updates and duplicate deletions all count', () => {
    const p = plan({ add: 9000, remove: 500, update: 400, duplicates: 101, unchanged: 1000 });
    const v = violation(run(2001, p), 'maxChangesPerRun');
    expect(v.message).toContain('needs 10,001 item changes (9,000 adds, 500 removes, 400 score updates, 101 duplicate deletions)');
    expect(v.message).toContain('more than the 10,000 allowed per run (feed.guards.maxChangesPerRun in watchlists/ipsum.yaml)');
    expect(v.hint).toContain('raise feed.guards.maxChangesPerRun in watchlists/ipsum.yaml to at least 10,001');
    expect(run(2000, plan({ add: 9000, remove: 500, update: 400, duplicates: 100, unchanged: 1000 })).ok).toBe(true);
  });

  it('monthly budget: stops before used + changes exceeds the share of 100,000', () => {
    const p = plan({ add: 600, remove: 400, unchanged: 5000 });
    expect(run(5400, p, 79_000).ok).toBe(true); // exactly 80,000
    const v = violation(run(5400, p, 79_001), 'monthlyBudgetPercent');
    expect(v.message).toContain('needs 1,000 item changes but only 999 of this month');
    expect(v.message).toContain('79,001 used in 2026-08 of 80,000 (80% of 100,000, feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml)');
    expect(v.hint).toContain('resets on 2026-09-01 (UTC)');
    expect(v.hint).toContain('raise feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml');
  });

  it('monthly budget: a different limit can be passed for one run', () => {
    const p = plan({ add: 600, remove: 400, unchanged: 5000 });
    const result = checkGuards(guardInput(5400, p, 79_500, 101_000));
    expect(result.ok).toBe(true);
  });

  it('reports every guard that trips at once', () => {
    const result = run(1000, plan({ remove: 900, unchanged: 100 }), 80_000);
    expect(result.ok ? [] : result.violations.map((v) => v.guard)).toEqual(['minItems', 'maxShrinkPercent', 'monthlyBudgetPercent']);
  });

  it('nextMonth rolls the year over', () => {
    expect([nextMonth('2026-08'), nextMonth('2026-12')]).toEqual(['2026-09', '2027-01']);
  });
});
