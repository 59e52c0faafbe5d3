// Layer (c) for one watchlist definition: each code with its message, hint and place, and the
// definitions that must stay clean.
import { describe, expect, it } from 'vitest';
import { watchlistFieldDiagnostics } from '../../../scripts/core/validate/watchlist-fields.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

function check(text: string) {
  const parsed = parseYaml('watchlists/w.yaml', text);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return watchlistFieldDiagnostics(parsed.document);
}
const at = (line: number, column: number) => ({ file: 'watchlists/w.yaml', line, column });
const SCORE = '  - {name: Score, type: int}\n';

describe('watchlistFieldDiagnostics', () => {
  it('a column defined twice, in another case, is an error at the second; unnamed and non-mapping columns are skipped', () => {
    const text =
      'itemsSearchKey: IPAddress\ncolumns:\n  - 7\n  - {type: string}\n  - {name: IPAddress, type: string}\n  - {name: ipaddress, type: string}\n';
    expect(check(text)).toStrictEqual([
      {
        code: 'watchlist.duplicate-column',
        severity: 'error',
        message: "column 'ipaddress' is defined twice (column names are case-insensitive)",
        ...at(6, 12),
        hint: 'Remove or rename one of them.',
      },
    ]);
  });

  it('a search key that is no column: the nearest column, or all named ones', () => {
    expect(check('itemsSearchKey: IPAdress\ncolumns:\n  - {name: IPAddress, type: string}\n')).toStrictEqual([
      {
        code: 'watchlist.search-key',
        severity: 'error',
        message: "itemsSearchKey 'IPAdress' is not one of the columns",
        ...at(1, 17),
        hint: "Did you mean 'IPAddress'?",
      },
    ]);
    expect(
      check('itemsSearchKey: Key\ncolumns:\n  - {name: IPAddress, type: string}\n  - {type: int}\n  - {name: Score, type: int}\n'),
    ).toStrictEqual([
      {
        code: 'watchlist.search-key',
        severity: 'error',
        message: "itemsSearchKey 'Key' is not one of the columns",
        ...at(1, 17),
        hint: 'Use one of the columns: IPAddress, Score.',
      },
    ]);
  });

  it('no search key, or no named column to compare it with: nothing to say (the schema reports what is missing)', () => {
    expect(check('columns:\n  - {name: IPAddress, type: string}\n')).toStrictEqual([]);
    expect(check('itemsSearchKey: IPAddress\ncolumns:\n  - {type: string}\n')).toStrictEqual([]);
  });

  it('feed scores: exitScore above minScore (given or the default 4) is an error; equal is fine', () => {
    const feed = (scores: string) => `itemsSearchKey: Score\ncolumns:\n${SCORE}feed:\n  format: ipsum\n${scores}`;
    expect(check(feed('  minScore: 6\n  exitScore: 6\n'))).toStrictEqual([]);
    expect(check(feed('  minScore: 6\n  exitScore: 5\n'))).toStrictEqual([]);
    expect(check(feed('  exitScore: 5\n'))).toStrictEqual([
      {
        code: 'watchlist.feed-scores',
        severity: 'error',
        message: 'exitScore 5 is above minScore 4: an IP would leave before it could enter',
        ...at(6, 14),
        hint: 'Set exitScore to at most 4 (equal disables the hysteresis).',
      },
    ]);
  });

  it('a score threshold at or below minScore is a warning; above it, or not a number, is left alone', () => {
    const text = `itemsSearchKey: Score\ncolumns:\n${SCORE}feed:\n  format: ipsum\n  minScore: 5\n  scoreThresholds: [5, 6, x]\n`;
    expect(check(text)).toStrictEqual([
      {
        code: 'watchlist.feed-threshold',
        severity: 'warning',
        message: 'score threshold 5 is not above minScore 5, so it only adds score updates',
        ...at(7, 21),
        hint: 'Thresholds matter only for rules that filter above the entry level: remove this one.',
      },
    ]);
  });

  it('an allow-list entry that does not parse, with the way to write one', () => {
    const text = `itemsSearchKey: Score\ncolumns:\n${SCORE}feed:\n  format: ipsum\n  allowList: [203.0.113.7, 203.0.113.1/24]\n`;
    expect(check(text)).toStrictEqual([
      {
        code: 'watchlist.allow-list',
        severity: 'error',
        message: '"203.0.113.1/24": host bits are set; did you mean 203.0.113.0/24?',
        ...at(6, 28),
        hint: 'Write addresses as 203.0.113.7 and ranges as 203.0.113.0/24 (network address, no host bits).',
      },
    ]);
  });

  it('the ipsum feed needs an integer Score column (int or long); a feed of no format does not', () => {
    const feed = (columns: string, format = '  format: ipsum\n') => `itemsSearchKey: IPAddress\ncolumns:\n${columns}feed:\n${format}`;
    const IP = '  - {name: IPAddress, type: string}\n';
    expect(check(feed(IP + SCORE))).toStrictEqual([]);
    expect(check(feed(`${IP}  - 7\n  - {name: Score, type: long}\n`))).toStrictEqual([]);
    expect(check(feed(IP, '  minScore: 4\n'))).toStrictEqual([]);
    const missing = {
      code: 'watchlist.feed-columns',
      severity: 'error',
      message: "the ipsum feed writes each IP's score to an integer column 'Score', which this watchlist does not define",
      ...at(3, 3),
      hint: 'Add a column `- name: Score` with `type: int`.',
    };
    expect(check(feed(IP))).toStrictEqual([missing]);
    expect(check(feed(`${IP}  - {name: Score, type: string}\n`))).toStrictEqual([missing]);
  });
});
