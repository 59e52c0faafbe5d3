// The sync state decisions at their edges: which validators are shared, what the next line holds.
import { describe, expect, it } from 'vitest';
import type { ProvenanceState } from '../../../scripts/core/feed/provenance.ts';
import type { BudgetStatus } from '../../../scripts/core/sync/budget.ts';
import { feedSettingsOf, itemShapeOf } from '../../../scripts/core/sync/settings.ts';
import { conditionalValidators, nextState } from '../../../scripts/core/sync/state.ts';
import type { WatchlistYaml } from '../../../scripts/core/model/yaml-types.ts';

const SHA = 'abcdef012345';
const base: ProvenanceState = { items: 5, month: '2026-08', changes: 10, sha256: SHA };

describe('conditionalValidators', () => {
  it('one validator is enough, and only the ones there are are sent', () => {
    expect(conditionalValidators([{ ...base, etag: '"e1"' }])).toStrictEqual({ etag: '"e1"' });
    expect(
      conditionalValidators([
        { ...base, lastModified: 'L' },
        { ...base, lastModified: 'L' },
      ]),
    ).toStrictEqual({ lastModified: 'L' });
  });

  it('no validators when the first workspace has no state, or any other differs in a validator', () => {
    expect(conditionalValidators([undefined, { ...base, etag: '"e1"' }])).toBeUndefined();
    expect(
      conditionalValidators([
        { ...base, lastModified: 'L' },
        { ...base, lastModified: 'M' },
      ]),
    ).toBeUndefined();
    expect(
      conditionalValidators([
        { ...base, etag: '"e1"' },
        { ...base, etag: '"e1"', sha256: 'ffffff012345' },
      ]),
    ).toBeUndefined();
    expect(
      conditionalValidators([
        { ...base, etag: '"e1"' },
        { ...base, etag: '"e1"', lastModified: 'L' },
      ]),
    ).toBeUndefined();
  });
});

describe('nextState', () => {
  const budget: BudgetStatus = { month: '2026-08', used: 10, allowance: 80_000, limit: 100_000, percent: 80, source: 'provenance' };
  const now = new Date('2026-08-22T02:00:00.123Z');

  it('a feed without last update or validators (a file): the line has none of them', () => {
    expect(
      nextState({ feed: { entries: new Map(), sha256: `${SHA}${'0'.repeat(52)}` }, budget, items: 1, changes: 2, complete: true, now }),
    ).toStrictEqual({
      items: 1,
      month: '2026-08',
      changes: 12,
      syncedAt: '2026-08-22T02:00:00Z',
      sha256: SHA,
    });
  });
});

describe('feed settings and item shape', () => {
  const w = {
    alias: 'ipsum',
    itemsSearchKey: 'IP',
    columns: [
      { name: 'IP', type: 'string' },
      { name: 'Score', type: 'int' },
    ],
    feed: { format: 'ipsum', url: 'u' },
  } as unknown as WatchlistYaml;

  it('without exitScore or thresholds the settings have neither key', () => {
    const s = feedSettingsOf(w);
    expect(s).not.toHaveProperty('exitScore');
    expect(s).not.toHaveProperty('scoreThresholds');
  });

  it('a Score column that is the search key is not a score column', () => {
    expect(itemShapeOf(w)).toStrictEqual({ searchKey: 'IP', columns: ['IP', 'Score'], scoreColumn: 'Score' });
    expect(itemShapeOf({ ...w, itemsSearchKey: 'Score' })).toStrictEqual({ searchKey: 'Score', columns: ['IP', 'Score'] });
  });
});
