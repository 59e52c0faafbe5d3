// A watchlist's bootstrapCsv: where the path may point, what was not read, and the CSV's size, lines,
// header, rows and formula cells, each with its message, hint and place.
import { describe, expect, it } from 'vitest';
import { bootstrapDiagnostics, bootstrapPathProblem } from '../../../scripts/core/validate/bootstrap-csv.ts';
import type { BootstrapFile } from '../../../scripts/core/validate/validate.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';

const COLUMNS = '  - {name: IPAddress, type: string}\n  - {name: Score, type: int}\n';
function check(csv: string | undefined, files: Record<string, BootstrapFile> = {}, columns = COLUMNS) {
  const parsed = parseYaml('watchlists/w.yaml', `alias: w\n${csv === undefined ? '' : `bootstrapCsv: ${csv}\n`}columns:\n${columns}`);
  if (!parsed.ok) throw new Error('fixture does not parse');
  return bootstrapDiagnostics(parsed.document, new Map(Object.entries(files)));
}
const withText = (text: string) => check('w.csv', { 'w.csv': { text } });
const inYaml = (code: string, message: string, hint: string) => ({
  code,
  severity: 'error',
  message,
  file: 'watchlists/w.yaml',
  line: 2,
  column: 15,
  hint,
});
const inCsv = (line: number, column: number, code: string, message: string, hint: string) => ({
  code,
  severity: 'error',
  file: 'w.csv',
  line,
  column,
  message,
  hint,
});
const SMALLER = 'Bootstrap with fewer rows; the sync (or item writes) can add the rest.';
const ROW_HINT = 'Give every row one cell per column (an empty cell is fine).';
const FORMULA_HINT =
  'Remove the leading =, +, - or @ (a plain number such as -5 is fine), or prefix the cell with an apostrophe if the text is meant literally.';
const formula = (line: number, cell: string) =>
  inCsv(
    line,
    1,
    'watchlist.formula-cell',
    `the cell ${JSON.stringify(cell)} starts with ${JSON.stringify(cell[0])}: spreadsheet programs run it as a formula when an analyst opens an export`,
    FORMULA_HINT,
  );

describe('bootstrapPathProblem', () => {
  it.each([
    ['', 'is empty'],
    [' ', 'is empty'],
    ['/etc/x.csv', 'is an absolute path'],
    ['\\x.csv', 'is an absolute path'],
    ['C:/x.csv', 'is an absolute path'],
    ['a\\b.csv', 'uses backslashes'],
    ['../x.csv', 'climbs out of its folder with ..'],
    ['a/../b.csv', 'climbs out of its folder with ..'],
    ['a/..b.csv', undefined],
    ['watchlists/C:x.csv', undefined],
    ['./w.csv', undefined],
  ])('%j → %s', (path, problem) => {
    expect(bootstrapPathProblem(path)).toBe(problem);
  });
});

describe('bootstrapDiagnostics', () => {
  it('no bootstrapCsv: nothing to check', () => {
    expect(check(undefined)).toStrictEqual([]);
  });

  it('a path outside the repository, a file not read, a file refused, a file too large', () => {
    expect(check('/etc/x.csv')).toStrictEqual([
      inYaml(
        'watchlist.bootstrap-path',
        'bootstrapCsv "/etc/x.csv" is an absolute path: it must name a file in the repository, relative to its root',
        'Keep the CSV in the repository and name it from the root, e.g. watchlists/<alias>.csv.',
      ),
    ]);
    expect(check('w.csv')).toStrictEqual([
      inYaml('watchlist.bootstrap-path', 'bootstrapCsv w.csv was not read', 'Run validate from the repository root.'),
    ]);
    expect(check('w.csv', { 'w.csv': { problem: 'is a folder' } })).toStrictEqual([
      inYaml('watchlist.bootstrap-path', 'bootstrapCsv w.csv: is a folder', 'Name a CSV file inside the repository, relative to its root.'),
    ]);
    expect(check('w.csv', { 'w.csv': { problem: 'is 5,000,000 bytes', tooLarge: true } })).toStrictEqual([
      inYaml('watchlist.bootstrap-size', 'bootstrapCsv w.csv: is 5,000,000 bytes', SMALLER),
    ]);
  });

  it('a clean CSV; diagnostics in the CSV name it without a leading ./', () => {
    expect(check('./w.csv', { './w.csv': { text: 'IPAddress,Score\n1.2.3.4,5\n' } })).toStrictEqual([]);
    expect(check('././w.csv', { '././w.csv': { text: 'IP,Score\n' } })[0]!.file).toBe('w.csv');
  });

  it('one upload is at most 3,800,000 bytes', () => {
    // 16 + 379,998 × 10 + 4 bytes, no line over the limit
    const exact = `IPAddress,Score\n${'1.2.3.4,5\n'.repeat(379_998)}a,b\n`;
    expect(withText(exact)).toStrictEqual([]);
    expect(withText(`${exact}x`)).toStrictEqual([
      inYaml('watchlist.bootstrap-size', 'bootstrapCsv w.csv is 3800001 bytes: one upload is at most 3800000 bytes (3.8 MB)', SMALLER),
    ]);
  });

  it('a line is at most 10,240 characters (CR LF or LF)', () => {
    expect(withText(`IPAddress,Score\na,${'b'.repeat(10_238)}\n`)).toStrictEqual([]);
    expect(withText(`IPAddress,Score\r\n1.2.3.4,5\r\na,${'b'.repeat(10_239)}\r\n`)).toStrictEqual([
      inCsv(
        3,
        10_241,
        'watchlist.bootstrap-size',
        "line 3 is longer than 10240 characters, the service's limit per line",
        'Shorten the line.',
      ),
    ]);
  });

  it('CSV that does not parse', () => {
    expect(withText('IPAddress,Score\n"a,5\n')).toStrictEqual([
      inCsv(
        2,
        1,
        'watchlist.bootstrap-csv',
        'not valid CSV: a quoted cell is not closed',
        'Quote a cell with "…" and double a quote inside it ("").',
      ),
    ]);
  });

  it("the header must be the definition's columns (unchecked when a column has no name)", () => {
    const header = (row: string) =>
      inCsv(
        1,
        1,
        'watchlist.bootstrap-header',
        `the header row is ${JSON.stringify(row)}, the definition's columns are "IPAddress,Score"`,
        'Make the first line exactly: IPAddress,Score',
      );
    expect(withText('IP,Score\n1.2.3.4,5\n')).toStrictEqual([header('IP,Score')]);
    expect(withText('')).toStrictEqual([header('')]);
    expect(check('w.csv', { 'w.csv': { text: 'IP,Score\n' } }, '  - {name: IPAddress}\n  - {type: int}\n')).toStrictEqual([]);
  });

  it('rows with another number of cells than the header', () => {
    expect(withText('IPAddress,Score\n1.2.3.4\n1.2.3.5,5,6\n')).toStrictEqual([
      inCsv(2, 1, 'watchlist.bootstrap-csv', 'this row has 1 cell, the header 2', ROW_HINT),
      inCsv(3, 1, 'watchlist.bootstrap-csv', 'this row has 3 cells, the header 2', ROW_HINT),
    ]);
  });

  it('cells a spreadsheet runs as formulas, at their place; plain signed numbers are fine', () => {
    expect(withText('IPAddress,Score\n=cmd(),-5\n@x,+7\n1.2.3.4,+cmd\n')).toStrictEqual([
      formula(2, '=cmd()'),
      formula(3, '@x'),
      { ...formula(4, '+cmd'), column: 9 },
    ]);
    expect(withText(`IPAddress,Score\n=${'a'.repeat(50)},1\n`)[0]!.message).toBe(
      `the cell "=${'a'.repeat(39)}" starts with "=": spreadsheet programs run it as a formula when an analyst opens an export`,
    );
  });

  it('ten problems of each kind are shown, the rest counted in one more', () => {
    const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('');
    const many = withText(`IPAddress,Score\n${rows(12, (i) => `1.2.3.${i}\n`)}${rows(11, (i) => `=a${i},1\n`)}`);
    expect(many.map((d) => [d.code, d.line])).toStrictEqual([
      ...Array.from({ length: 10 }, (_, i) => ['watchlist.bootstrap-csv', i + 2]),
      ...Array.from({ length: 10 }, (_, i) => ['watchlist.formula-cell', i + 14]),
      ['watchlist.bootstrap-csv', 1],
    ]);
    expect(many.at(-1)).toStrictEqual(
      inCsv(
        1,
        1,
        'watchlist.bootstrap-csv',
        '3 more problems of the kinds above in this file',
        'Fix those shown, then run validate again.',
      ),
    );
    const eleven = withText(`IPAddress,Score\n${rows(11, (i) => `1.2.3.${i}\n`)}`);
    expect(eleven).toHaveLength(11);
    expect(eleven.at(-1)!.message).toBe('1 more problem of the kinds above in this file');
    expect(withText(`IPAddress,Score\n${rows(10, (i) => `1.2.3.${i}\n`)}`)).toHaveLength(10);
  });
});
