// diffWatchlist's output order and the score policy at its edges.
import { describe, expect, it } from 'vitest';
import { type LiveItem, diffWatchlist, scoreNeedsUpdate } from '../../../scripts/core/feed/diff.ts';
import { watchlistItemId } from '../../../scripts/core/feed/item-id.ts';

const alias = 'ipsum';
const item = (key: string, score?: number, id = watchlistItemId(alias, key)): LiveItem =>
  score === undefined ? { id, key } : { id, key, score };

describe('several score updates', () => {
  it('come in numeric IP order, each with its from and to (none without a stored score)', () => {
    const desired = new Map([
      ['10.0.0.10', 8],
      ['9.0.0.1', 5],
      ['10.0.0.9', 6],
      ['192.0.2.1', 4],
    ]);
    const live = [item('192.0.2.1'), item('10.0.0.10', 4), item('10.0.0.9', 4), item('9.0.0.1', 4)];
    const plan = diffWatchlist({ alias, desired, live, scorePolicy: 'all' });
    expect(plan.update).toStrictEqual([
      { item: live[3], ip: '9.0.0.1', from: 4, to: 5 },
      { item: live[2], ip: '10.0.0.9', from: 4, to: 6 },
      { item: live[1], ip: '10.0.0.10', from: 4, to: 8 },
      { item: live[0], ip: '192.0.2.1', to: 4 },
    ]);
    expect([plan.add, plan.remove, plan.duplicates, plan.unchanged]).toStrictEqual([[], [], [], 0]);
  });

  it('the floor applies to updates and adds alike; a count at the floor is no update', () => {
    const desired = new Map([
      ['10.0.0.1', 3],
      ['10.0.0.2', 4],
      ['10.0.0.3', 3],
    ]);
    const live = [item('10.0.0.1', 4), item('10.0.0.2', 5)];
    const plan = diffWatchlist({ alias, desired, live, scorePolicy: 'all', scoreFloor: 4 });
    expect(plan.update).toStrictEqual([{ item: live[1], ip: '10.0.0.2', from: 5, to: 4 }]);
    expect(plan.add).toStrictEqual([{ ip: '10.0.0.3', score: 4, id: watchlistItemId(alias, '10.0.0.3') }]);
    expect(plan.unchanged).toBe(1);
  });

  it('removals and duplicates in numeric IP order, ties by item id', () => {
    const live = [
      item('10.0.0.10', 4, 'b'),
      item('10.0.0.9', 4, 'z'),
      item('10.0.0.9', 4, 'a'),
      item('10.0.0.9', 4, 'c'),
      item('9.0.0.1', 4, 'y'),
    ];
    const plan = diffWatchlist({ alias, desired: new Map(), live, scorePolicy: 'none' });
    expect(plan.remove.map((i) => i.id)).toEqual(['y', 'a', 'b']);
    expect(plan.duplicates.map((i) => i.id)).toEqual(['c', 'z']);
  });

  it('of several items for one IP, the one with the deterministic id is kept, whatever its case', () => {
    const own = watchlistItemId(alias, '10.0.0.1').toUpperCase();
    const live = [item('10.0.0.1', 4, '0000'), item('10.0.0.1', 4, own)];
    const plan = diffWatchlist({ alias, desired: new Map([['10.0.0.1', 4]]), live, scorePolicy: 'all' });
    expect(plan.duplicates.map((i) => i.id)).toEqual(['0000']);
    expect(plan.unchanged).toBe(1);
  });
});

describe('scoreNeedsUpdate', () => {
  it.each([
    ['none', 4, 9, false],
    ['none', undefined, 9, false],
    ['all', undefined, 4, true],
    ['all', Number.NaN, 4, true],
    ['all', Number.POSITIVE_INFINITY, 4, true],
    ['all', 4, 4, false],
    ['all', 4, 5, true],
    [{ thresholds: [6, 8] }, undefined, 4, true],
    [{ thresholds: [6, 8] }, 5, 6, true],
    [{ thresholds: [6, 8] }, 6, 5, true],
    [{ thresholds: [6, 8] }, 6, 7, false],
    [{ thresholds: [6, 8] }, 7, 8, true],
    [{ thresholds: [6, 8] }, 4, 5, false],
    [{ thresholds: [] }, 4, 9, false],
  ] as const)('%j: %s → %s', (policy, stored, next, expected) => {
    expect(scoreNeedsUpdate(policy, stored, next)).toBe(expected);
  });
});
