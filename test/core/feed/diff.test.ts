import { describe, expect, it } from 'vitest';
import { type LiveItem, type ScorePolicy, diffWatchlist, planChanges, scoreNeedsUpdate } from '../../../scripts/core/feed/diff.ts';
import { watchlistItemId } from '../../../scripts/core/feed/item-id.ts';

const alias = 'ipsum';
const item = (key: string, score?: number, id = watchlistItemId(alias, key)): LiveItem =>
  score === undefined ? { id, key } : { id, key, score };

describe('diffWatchlist', () => {
  it('adds, removes and keeps, sorted by numeric IP order, with deterministic ids', () => {
    const desired = new Map([
      ['10.0.0.10', 5],
      ['10.0.0.9', 4],
      ['9.255.255.255', 4],
      ['192.0.2.1', 6],
    ]);
    const live = [item('192.0.2.1', 6), item('192.0.2.200', 4), item('100.0.0.1', 7)];
    const plan = diffWatchlist({ alias, desired, live, scorePolicy: 'all' });
    expect(plan.add).toEqual([
      { ip: '9.255.255.255', score: 4, id: watchlistItemId(alias, '9.255.255.255') },
      { ip: '10.0.0.9', score: 4, id: watchlistItemId(alias, '10.0.0.9') },
      { ip: '10.0.0.10', score: 5, id: watchlistItemId(alias, '10.0.0.10') },
    ]);
    expect(plan.remove.map((i) => i.key)).toEqual(['100.0.0.1', '192.0.2.200']);
    expect(plan.update).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(plan.duplicates).toEqual([]);
    expect(planChanges(plan)).toBe(5);
  });

  it('matches live keys after trimming and lower-casing', () => {
    const desired = new Map([['192.0.2.1', 4]]);
    const live = [item(' 192.0.2.1\t', 4, 'a')];
    const plan = diffWatchlist({ alias, desired, live, scorePolicy: 'all' });
    expect(planChanges(plan)).toBe(0);
    expect(plan.unchanged).toBe(1);
  });

  it('canonicalKeys: a kept item under a non-canonical key is rewritten once, keeping its score (floored when it has none)', () => {
    const desired = new Map([
      ['192.0.2.1', 5],
      ['192.0.2.2', 3],
      ['192.0.2.3', 4],
    ]);
    const live = [item(' 192.0.2.1\t', 4, 'a'), item('192.0.2.2 ', undefined, 'b'), item('192.0.2.3', 4)];
    const plan = diffWatchlist({ alias, desired, live, scorePolicy: 'none', scoreFloor: 4, canonicalKeys: true });
    expect(plan.update.map((u) => [u.item.id, u.ip, u.from, u.to])).toEqual([
      ['a', '192.0.2.1', 4, 4],
      ['b', '192.0.2.2', undefined, 4],
    ]);
    expect([plan.unchanged, planChanges(plan)]).toEqual([1, 2]);
  });

  it('keeps the item with the deterministic id among duplicates and deletes the others', () => {
    const desired = new Map([['192.0.2.1', 4]]);
    const own = item('192.0.2.1', 4);
    const strays = [
      item('192.0.2.1 ', 4, 'ffffffff-0000-0000-0000-000000000000'),
      item('192.0.2.1', 4, '00000000-0000-0000-0000-000000000000'),
    ];
    const plan = diffWatchlist({ alias, desired, live: [strays[0]!, own, strays[1]!], scorePolicy: 'none' });
    expect(plan.duplicates.map((i) => i.id)).toEqual(['00000000-0000-0000-0000-000000000000', 'ffffffff-0000-0000-0000-000000000000']);
    expect(plan.unchanged).toBe(1);
    expect(planChanges(plan)).toBe(2);
  });

  it('without its own id keeps the lowest id, and removes all copies of an unwanted IP', () => {
    const a = item('192.0.2.1', 4, 'bbbb');
    const b = item('192.0.2.1', 4, 'aaaa');
    const kept = diffWatchlist({ alias, desired: new Map([['192.0.2.1', 4]]), live: [a, b], scorePolicy: 'none' });
    expect(kept.duplicates).toEqual([a]);
    const gone = diffWatchlist({ alias, desired: new Map(), live: [a, b], scorePolicy: 'none' });
    expect(gone.remove).toEqual([b]);
    expect(gone.duplicates).toEqual([a]);
  });

  it('sorts keys that are not addresses after the addresses', () => {
    const plan = diffWatchlist({ alias, desired: new Map(), live: [item('zzz'), item('10.0.0.1'), item('abc')], scorePolicy: 'none' });
    expect(plan.remove.map((i) => i.key)).toEqual(['10.0.0.1', 'abc', 'zzz']);
  });

  const scoreCases: [string, ScorePolicy, number | undefined, number, boolean][] = [
    ['all: any change', 'all', 4, 5, true],
    ['all: same score', 'all', 5, 5, false],
    ['all: missing stored score', 'all', undefined, 5, true],
    ['none: never', 'none', 4, 9, false],
    ['none: even when missing', 'none', undefined, 9, false],
    ['thresholds: 5 → 6 crosses 6', { thresholds: [6] }, 5, 6, true],
    ['thresholds: 6 → 5 crosses 6', { thresholds: [6] }, 6, 5, true],
    ['thresholds: 4 → 5 stays below 6', { thresholds: [6] }, 4, 5, false],
    ['thresholds: 7 → 10 stays above 6', { thresholds: [6] }, 7, 10, false],
    ['thresholds [5..8]: 4 → 3 crosses none (hysteresis band)', { thresholds: [5, 6, 7, 8] }, 4, 3, false],
    ['thresholds [5..8]: 4 → 5 crosses 5', { thresholds: [5, 6, 7, 8] }, 4, 5, true],
    ['thresholds: missing stored score', { thresholds: [6] }, undefined, 4, true],
  ];
  it.each(scoreCases)('score policy %s', (_name, policy, stored, next, expected) => {
    expect(scoreNeedsUpdate(policy, stored, next)).toBe(expected);
    const plan = diffWatchlist({ alias, desired: new Map([['192.0.2.1', next]]), live: [item('192.0.2.1', stored)], scorePolicy: policy });
    expect(plan.update.length).toBe(expected ? 1 : 0);
    expect(plan.unchanged).toBe(expected ? 0 : 1);
    if (expected) {
      const update = plan.update[0]!;
      expect(update.ip).toBe('192.0.2.1');
      expect(update.to).toBe(next);
      expect(update.from).toBe(stored);
    }
  });

  it('scoreFloor: a hysteresis-kept IP keeps Score ≥ the floor, levels above it stay exact', () => {
    const desired = new Map([
      ['192.0.2.1', 3], // was 4: no write even under 'all'
      ['192.0.2.2', 3], // was 7: crosses 6, written as 4, not 3
      ['192.0.2.3', 4], // new: written as is
    ]);
    const live = [item('192.0.2.1', 4), item('192.0.2.2', 7)];
    const floored = diffWatchlist({ alias, desired, live, scorePolicy: 'all', scoreFloor: 4 });
    expect(floored.update.map((u) => [u.ip, u.from, u.to])).toEqual([['192.0.2.2', 7, 4]]);
    expect(floored.add.map((a) => [a.ip, a.score])).toEqual([['192.0.2.3', 4]]);
    expect(floored.unchanged).toBe(1);
    const raw = diffWatchlist({ alias, desired, live, scorePolicy: 'all' });
    expect(raw.update.map((u) => [u.ip, u.from, u.to])).toEqual([
      ['192.0.2.1', 4, 3],
      ['192.0.2.2', 7, 3],
    ]);
  });

  it('produces the same plan whatever the order of the live items', () => {
    const desired = new Map([
      ['192.0.2.1', 6],
      ['192.0.2.3', 4],
    ]);
    const live = [item('192.0.2.1', 4), item('192.0.2.2', 4), item('192.0.2.2', 4, 'x'), item('192.0.2.9', 8)];
    const forward = diffWatchlist({ alias, desired, live, scorePolicy: { thresholds: [6] } });
    const backward = diffWatchlist({ alias, desired, live: [...live].reverse(), scorePolicy: { thresholds: [6] } });
    expect(backward).toEqual(forward);
    expect(forward.update.map((u) => [u.ip, u.from, u.to])).toEqual([['192.0.2.1', 4, 6]]);
    expect(forward.remove.map((i) => i.key)).toEqual(['192.0.2.2', '192.0.2.9']);
    expect(forward.duplicates.map((i) => i.id)).toEqual(['x']);
  });
});
