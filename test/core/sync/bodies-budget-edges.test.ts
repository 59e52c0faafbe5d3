// The provenance PUT body, and the month's budget in the cases the planner's tests do not reach.
import { describe, expect, it } from 'vitest';
import { describeBody } from '../../../scripts/core/sync/bodies.ts';
import { budgetStatus } from '../../../scripts/core/sync/budget.ts';

describe('describeBody', () => {
  it('only the writable properties that are set, the new description, the etag when there is one', () => {
    const live = {
      displayName: 'W',
      provider: null,
      source: 'w.csv',
      labels: [],
      watchlistId: 'x',
      provisioningState: 'Succeeded',
      description: 'old',
      itemsSearchKey: undefined,
    };
    expect(describeBody(live, 'new', '"e1"')).toStrictEqual({
      etag: '"e1"',
      properties: { displayName: 'W', source: 'w.csv', labels: [], description: 'new' },
    });
    expect(describeBody(live, 'new')).toStrictEqual({ properties: { displayName: 'W', source: 'w.csv', labels: [], description: 'new' } });
    expect(describeBody(live, 'new', '')).toStrictEqual({
      properties: { displayName: 'W', source: 'w.csv', labels: [], description: 'new' },
    });
  });
});

describe('budgetStatus', () => {
  const guards = {
    minItems: 0,
    maxShrinkPercent: 100,
    maxRemovePercent: 100,
    maxChangePercent: 1e9,
    maxChangesPerRun: 1e9,
    monthlyBudgetPercent: 80,
  };
  const input = { alias: 'ipsum', guards, liveItems: 0, now: new Date('2026-08-10T00:00:00Z') };

  it('without a note there is no note key', () => {
    expect(budgetStatus({ ...input, exists: true, state: { items: 1, month: '2026-08', changes: 3 } })).toStrictEqual({
      month: '2026-08',
      used: 3,
      allowance: 80_000,
      limit: 100_000,
      percent: 80,
      source: 'provenance',
    });
  });

  it('a tally from a later month counts, and says why', () => {
    expect(budgetStatus({ ...input, exists: true, state: { items: 1, month: '2026-09', changes: 500 } }).note).toBe(
      "The recorded tally is for 2026-09, later than this run's month 2026-08 (clock skew?): its 500 changes are counted as this month's.",
    );
  });

  it('no line and no items: new, with a note', () => {
    expect(budgetStatus({ ...input, exists: true, hasBlock: false })).toStrictEqual({
      month: '2026-08',
      used: 0,
      allowance: 80_000,
      limit: 100_000,
      percent: 80,
      source: 'new',
      note: 'Watchlist ipsum has no sync line in its description and no items: treated as not synced yet.',
    });
  });

  it('an unreadable line on an empty watchlist is still assumed spent (it was synced once)', () => {
    expect(budgetStatus({ ...input, exists: true, hasBlock: true }).source).toBe('assumed');
  });
});
