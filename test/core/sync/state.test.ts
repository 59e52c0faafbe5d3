import { describe, expect, it } from 'vitest';
import { decodeProvenance, encodeProvenance, type ProvenanceState } from '../../../scripts/core/feed/provenance.ts';
import type { BudgetStatus } from '../../../scripts/core/sync/budget.ts';
import { conditionalValidators, feedUnchanged, nextState, stateChanged } from '../../../scripts/core/sync/state.ts';

const SHA = 'ABCDEF0123456789'.toLowerCase() + '0'.repeat(48);
const complete: ProvenanceState = {
  items: 5,
  month: '2026-08',
  changes: 10,
  sha256: SHA.slice(0, 12),
  etag: '"e1"',
  lastModified: 'Sat, 22 Aug 2026 01:00:29 GMT',
};
const budget: BudgetStatus = { month: '2026-08', used: 10, allowance: 80_000, limit: 100_000, percent: 80, source: 'provenance' };
const feed = {
  entries: new Map<string, number>(),
  sha256: SHA,
  lastUpdate: '2026-08-22T01:00:29Z',
  etag: '"e2"',
  lastModified: 'Sun, 23 Aug 2026 01:00:29 GMT',
};

describe('feedUnchanged', () => {
  it.each([
    ['same hash, complete run', complete, SHA, true],
    ['hash compared case-insensitively', complete, SHA.toUpperCase(), true],
    ['another feed', complete, `f${SHA.slice(1)}`, false],
    ['previous run had failures (no hash recorded)', { items: 5, month: '2026-08', changes: 10 }, SHA, false],
    ['no state', undefined, SHA, false],
  ] as const)('%s → %s', (_label, state, sha, expected) => {
    expect(feedUnchanged(state, sha)).toBe(expected);
  });
});

describe('conditionalValidators', () => {
  it('shares the validators only when every workspace completed its last run from the same download', () => {
    expect(conditionalValidators([complete, { ...complete }])).toEqual({ etag: '"e1"', lastModified: 'Sat, 22 Aug 2026 01:00:29 GMT' });
    expect(conditionalValidators([complete, { ...complete, etag: '"other"' }])).toBeUndefined();
    expect(conditionalValidators([complete, undefined])).toBeUndefined(); // a workspace without the watchlist needs the body
    expect(conditionalValidators([complete, { items: 5, month: '2026-08', changes: 10 }])).toBeUndefined();
    expect(conditionalValidators([{ ...complete, etag: undefined, lastModified: undefined }])).toBeUndefined(); // a file feed: nothing to send
    expect(conditionalValidators([])).toBeUndefined();
  });
});

describe('nextState', () => {
  const now = new Date('2026-08-23T02:00:00.123Z');
  it('a complete run records hash and validators, and adds its changes to the tally', () => {
    expect(nextState({ feed, budget, items: 7, changes: 3, complete: true, now })).toEqual({
      items: 7,
      month: '2026-08',
      changes: 13,
      syncedAt: '2026-08-23T02:00:00Z',
      feedUpdated: '2026-08-22T01:00:29Z',
      sha256: SHA.slice(0, 12),
      etag: '"e2"',
      lastModified: 'Sun, 23 Aug 2026 01:00:29 GMT',
    });
  });

  it('a run with failures leaves hash and validators out, so the next run neither skips nor asks for a 304', () => {
    const next = nextState({ feed, budget, items: 7, changes: 3, complete: false, now });
    expect([next.sha256, next.etag, next.lastModified, next.changes, next.feedUpdated]).toEqual([
      undefined,
      undefined,
      undefined,
      13,
      '2026-08-22T01:00:29Z',
    ]);
    const decoded = decodeProvenance(encodeProvenance('human', next)).state;
    expect(feedUnchanged(decoded, SHA)).toBe(false);
    expect(conditionalValidators([decoded])).toBeUndefined();
  });

  it('stateChanged ignores the sync time alone', () => {
    const next = nextState({ feed, budget, items: 7, changes: 0, complete: true, now });
    expect(stateChanged(next, { ...next, syncedAt: '2030-01-01T00:00:00Z' })).toBe(false);
    expect(stateChanged(undefined, next)).toBe(true);
    for (const key of ['items', 'changes', 'month', 'sha256', 'etag', 'lastModified', 'feedUpdated'] as const) {
      expect(stateChanged(next, { ...next, [key]: key === 'items' || key === 'changes' ? 99 : 'x' })).toBe(true);
    }
  });
});
