import { describe, expect, it } from 'vitest';
import { isFormulaLike, parseCsv } from '../../../scripts/core/csv/csv.ts';

describe('parseCsv', () => {
  it('reads quoted cells (commas, line breaks, doubled quotes) with the position of each cell', () => {
    const parsed = parseCsv('IP,Note\r\n1.2.3.4,"a, ""b""\nc"\n5.6.7.8,\n');
    expect(parsed).toEqual({
      rows: [
        [
          { text: 'IP', line: 1, column: 1 },
          { text: 'Note', line: 1, column: 4 },
        ],
        [
          { text: '1.2.3.4', line: 2, column: 1 },
          { text: 'a, "b"\nc', line: 2, column: 9 },
        ],
        [
          { text: '5.6.7.8', line: 4, column: 1 },
          { text: '', line: 4, column: 9 },
        ],
      ],
    });
  });

  it.each([
    ['IP\n"1.2.3.4\n', 'a quoted cell is not closed', 2, 1],
    ['IP\n"1.2"x\n', 'text after the closing quote of a quoted cell', 2, 6],
  ])('%j → %s', (text, error, line, column) => {
    expect(parseCsv(text)).toEqual({ error, line, column });
  });
});

describe('isFormulaLike', () => {
  it.each([
    ['=1+1', true],
    ['+cmd', true],
    ['-2+3', true],
    ['@SUM(A1)', true],
    ['\t=1', true],
    ['-5', false],
    ['+3.25', false],
    ['1.2.3.4', false],
    ['', false],
    ['a=b', false],
  ])('%j → %s', (text, expected) => {
    expect(isFormulaLike(text)).toBe(expected);
  });
});
