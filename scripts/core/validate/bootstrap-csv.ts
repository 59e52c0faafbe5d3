// Layer (c) for a watchlist's `bootstrapCsv:` (the rows deploy creates a new watchlist with, uploaded
// as rawContent): the path stays inside the repository, the file fits one upload, its header is the
// definition's columns, every row has as many cells, and no cell is one a spreadsheet runs as a
// formula when an analyst exports the watchlist. io/content.ts reads the file (or says why not).
import { isFormulaLike, parseCsv, RAW_CONTENT_MAX_BYTES, RAW_CONTENT_MAX_LINE_CHARS } from '../csv/csv.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { asArray, asRecord, asString } from '../guards.ts';
import type { YamlDocument } from '../yaml/document.ts';
import type { BootstrapFile } from './validate.ts';

/** Problems in one CSV reported one by one before the rest are counted. */
const SHOWN = 10;

/** Why `path` is not a repository-relative path (absolute, `..`, backslashes), or undefined. */
export function bootstrapPathProblem(path: string): string | undefined {
  if (path.trim() === '') return 'is empty';
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path)) return 'is an absolute path';
  if (path.includes('\\')) return 'uses backslashes';
  if (path.split('/').includes('..')) return 'climbs out of its folder with ..';
  return undefined;
}

export function bootstrapDiagnostics(doc: YamlDocument, files: ReadonlyMap<string, BootstrapFile>): Diagnostic[] {
  const value = asRecord(doc.value);
  const path = asString(value?.bootstrapCsv);
  if (path === undefined) return [];
  const at = (code: string, message: string, hint: string): Diagnostic => doc.diagnostic(['bootstrapCsv'], code, 'error', message, hint);
  const problem = bootstrapPathProblem(path);
  if (problem) {
    return [
      at(
        'watchlist.bootstrap-path',
        `bootstrapCsv ${JSON.stringify(path)} ${problem}: it must name a file in the repository, relative to its root`,
        'Keep the CSV in the repository and name it from the root, e.g. watchlists/<alias>.csv.',
      ),
    ];
  }
  const file = files.get(path);
  if (!file) return [at('watchlist.bootstrap-path', `bootstrapCsv ${path} was not read`, 'Run validate from the repository root.')];
  if ('problem' in file) {
    return file.tooLarge
      ? [
          at(
            'watchlist.bootstrap-size',
            `bootstrapCsv ${path}: ${file.problem}`,
            'Bootstrap with fewer rows; the sync (or item writes) can add the rest.',
          ),
        ]
      : [
          at(
            'watchlist.bootstrap-path',
            `bootstrapCsv ${path}: ${file.problem}`,
            'Name a CSV file inside the repository, relative to its root.',
          ),
        ];
  }
  const columns = asArray(value?.columns).map((c) => asString(asRecord(c)?.name));
  return csvDiagnostics(
    path.replace(/^(\.\/)+/, ''),
    file.text,
    columns.every((c) => c !== undefined) ? (columns as string[]) : undefined,
    at,
  );
}

function csvDiagnostics(
  file: string,
  text: string,
  columns: string[] | undefined,
  atYaml: (code: string, message: string, hint: string) => Diagnostic,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const here = (line: number, column: number, code: string, message: string, hint: string): Diagnostic => ({
    code,
    severity: 'error',
    file,
    line,
    column,
    message,
    hint,
  });
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > RAW_CONTENT_MAX_BYTES) {
    return [
      atYaml(
        'watchlist.bootstrap-size',
        `bootstrapCsv ${file} is ${bytes} bytes: one upload is at most ${RAW_CONTENT_MAX_BYTES} bytes (3.8 MB)`,
        'Bootstrap with fewer rows; the sync (or item writes) can add the rest.',
      ),
    ];
  }
  const long = text.split(/\r?\n/).findIndex((line) => line.length > RAW_CONTENT_MAX_LINE_CHARS);
  if (long >= 0) {
    out.push(
      here(
        long + 1,
        RAW_CONTENT_MAX_LINE_CHARS + 1,
        'watchlist.bootstrap-size',
        `line ${long + 1} is longer than ${RAW_CONTENT_MAX_LINE_CHARS} characters, the service's limit per line`,
        'Shorten the line.',
      ),
    );
  }
  const parsed = parseCsv(text);
  if ('error' in parsed)
    return [
      ...out,
      here(
        parsed.line,
        parsed.column,
        'watchlist.bootstrap-csv',
        `not valid CSV: ${parsed.error}`,
        'Quote a cell with "…" and double a quote inside it ("").',
      ),
    ];
  const [header, ...rows] = parsed.rows;
  const names = header?.map((cell) => cell.text) ?? [];
  if (columns && names.join('\u0000') !== columns.join('\u0000')) {
    out.push(
      here(
        1,
        1,
        'watchlist.bootstrap-header',
        `the header row is ${JSON.stringify(names.join(','))}, the definition's columns are ${JSON.stringify(columns.join(','))}`,
        `Make the first line exactly: ${columns.join(',')}`,
      ),
    );
  }
  const ragged = rows.filter((row) => row.length !== names.length);
  for (const row of ragged.slice(0, SHOWN)) {
    out.push(
      here(
        row[0]!.line,
        1,
        'watchlist.bootstrap-csv',
        `this row has ${row.length} cell${row.length === 1 ? '' : 's'}, the header ${names.length}`,
        'Give every row one cell per column (an empty cell is fine).',
      ),
    );
  }
  const formulas = parsed.rows.flat().filter((cell) => isFormulaLike(cell.text));
  for (const cell of formulas.slice(0, SHOWN)) {
    out.push(
      here(
        cell.line,
        cell.column,
        'watchlist.formula-cell',
        `the cell ${JSON.stringify(cell.text.slice(0, 40))} starts with ${JSON.stringify(cell.text[0])}: spreadsheet programs run it as a formula when an analyst opens an export`,
        'Remove the leading =, +, - or @ (a plain number such as -5 is fine), or prefix the cell with an apostrophe if the text is meant literally.',
      ),
    );
  }
  const more = Math.max(0, ragged.length - SHOWN) + Math.max(0, formulas.length - SHOWN);
  if (more > 0)
    out.push(
      here(
        1,
        1,
        'watchlist.bootstrap-csv',
        `${more} more problem${more === 1 ? '' : 's'} of the kinds above in this file`,
        'Fix those shown, then run validate again.',
      ),
    );
  return out;
}
