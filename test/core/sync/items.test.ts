import { describe, expect, it } from 'vitest';
import { InputError } from '../../../scripts/core/errors.ts';
import { itemsCsv, itemValues, liveItemOf, parseScore } from '../../../scripts/core/sync/items.ts';
import type { ItemShape } from '../../../scripts/core/sync/settings.ts';

const shape: ItemShape = { searchKey: 'IPAddress', scoreColumn: 'Score', columns: ['IPAddress', 'Score', 'Note'] };

describe('stored items ↔ diff view', () => {
  it.each([
    [
      { IPAddress: '1.2.3.4', Score: '5' },
      { key: '1.2.3.4', score: 5 },
    ],
    [
      { IPAddress: ' 1.2.3.4 ', Score: 7 },
      { key: ' 1.2.3.4 ', score: 7 },
    ],
    [
      { ipaddress: '1.2.3.4', score: ' 4 ' },
      { key: '1.2.3.4', score: 4 },
    ], // hand-made header case
    [{ IPAddress: '1.2.3.4', Score: 'high' }, { key: '1.2.3.4' }], // unreadable score: rewritten by the diff
    [{ IPAddress: '1.2.3.4', Score: 4.5 }, { key: '1.2.3.4' }],
    [{ Score: '4' }, { key: '', score: 4 }], // no key: the diff removes it
  ])('%j → %j', (values, expected) => {
    expect(liveItemOf({ id: 'id-1', itemsKeyValue: values }, shape)).toEqual({ id: 'id-1', ...expected });
  });

  it('parseScore accepts whole numbers only', () => {
    expect([parseScore(3), parseScore('11'), parseScore(''), parseScore('1e3'), parseScore(null), parseScore(-0.5)]).toEqual([
      3,
      11,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('writes every column, as strings, like a CSV upload stores them', () => {
    expect(itemValues(shape, '1.2.3.4', 6)).toEqual({ IPAddress: '1.2.3.4', Score: '6', Note: '' });
    const header = 'IPAddress,Score,Note\n';
    expect(
      itemsCsv(header, shape, [
        { ip: '1.2.3.4', score: 6 },
        { ip: '5.6.7.8', score: 4 },
      ]),
    ).toBe('IPAddress,Score,Note\n1.2.3.4,6,\n5.6.7.8,4,\n');
    expect(itemsCsv(header, shape, [])).toBe('IPAddress,Score,Note\n');
  });

  it.each(['=HYPERLINK("http://x")', '+1+cmd|calc', '-2+3', '@SUM(A1)'])(
    'refuses to write a cell a spreadsheet runs as a formula: %s',
    (value) => {
      const refusal = new InputError(
        `refusing to write ${JSON.stringify(value)} to watchlist column IPAddress: spreadsheet programs run a cell starting with =, +, - or @ as a formula`,
        'Nothing was written for this workspace. The feed delivered something other than an IPv4 address and a score: check the feed.',
      );
      expect(() => itemValues(shape, value, 6)).toThrow(refusal);
      expect(() => itemsCsv('IPAddress,Score,Note\n', shape, [{ ip: value, score: 6 }])).toThrow(refusal);
      expect(() => itemValues(shape, '1.2.3.4', -1)).not.toThrow(); // a plain number is not a formula
    },
  );
});
