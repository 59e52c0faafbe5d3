// Live items → the diff's view, at the edges of what the service may return.
import { describe, expect, it } from 'vitest';
import { liveItemOf, parseScore } from '../../../scripts/core/sync/items.ts';
import type { ItemShape } from '../../../scripts/core/sync/settings.ts';

const shape: ItemShape = { searchKey: 'IPAddress', scoreColumn: 'Score', columns: ['IPAddress', 'Score'] };

describe('liveItemOf', () => {
  it('an exact column name wins over one that differs only in case', () => {
    expect(
      liveItemOf({ id: 'i', itemsKeyValue: { ipaddress: '10.0.0.2', IPAddress: '10.0.0.1', score: '9', Score: '4' } }, shape),
    ).toStrictEqual({ id: 'i', key: '10.0.0.1', score: 4 });
  });

  it('a numeric key is read as text; anything else that is not text is an empty key', () => {
    expect(liveItemOf({ id: 'i', itemsKeyValue: { IPAddress: 42 } }, shape)).toStrictEqual({ id: 'i', key: '42' });
    expect(liveItemOf({ id: 'i', itemsKeyValue: { IPAddress: null, Score: 'x' } }, shape)).toStrictEqual({ id: 'i', key: '' });
    expect(liveItemOf({ id: 'i', itemsKeyValue: {} }, shape)).toStrictEqual({ id: 'i', key: '' });
  });

  it('a shape without a score column reads no score', () => {
    const noScore: ItemShape = { searchKey: 'IPAddress', columns: ['IPAddress'] };
    expect(liveItemOf({ id: 'i', itemsKeyValue: { IPAddress: '10.0.0.1', Score: '4' } }, noScore)).toStrictEqual({
      id: 'i',
      key: '10.0.0.1',
    });
  });
});

describe('parseScore', () => {
  it.each([
    [4, 4],
    [' 12 ', 12],
    ['999999', 999999],
    ['1000000', undefined],
    ['abc', undefined],
    ['', undefined],
    [4.5, undefined],
    [['5'], undefined],
    [true, undefined],
    [null, undefined],
  ])('%j → %j', (value, score) => {
    expect(parseScore(value)).toBe(score);
  });
});
