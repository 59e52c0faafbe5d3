// Watchlist rawContent (text/csv or text/tsv) → item key-values, with the service's upload limits.
import { badRequest } from './errors.ts';

/** "≤ 3.8 MB": the smaller reading (decimal megabytes), so that what passes here passes the service. */
export const MAX_RAW_CONTENT_BYTES = 3_800_000;
export const MAX_LINE_CHARS = 10_240;

/** Rows of the upload as header → value objects; throws 400 like the service on a bad upload. */
export function parseRawContent(raw: string, contentType: string, linesToSkip: number, searchKey: string): Record<string, string>[] {
  const bytes = Buffer.byteLength(raw, 'utf8');
  if (bytes > MAX_RAW_CONTENT_BYTES) {
    throw badRequest(
      `properties.rawContent is ${bytes} bytes; an upload may be at most 3.8 MB. Create the watchlist with less content, then add items individually.`,
    );
  }
  const delimiter = /^text\/tsv$/i.test(contentType) ? '\t' : /^text\/csv$/i.test(contentType) ? ',' : undefined;
  if (!delimiter) throw badRequest(`properties.contentType must be text/csv or text/tsv when rawContent is given, got '${contentType}'.`);
  const lines = raw.split(/\r?\n/);
  const long = lines.findIndex((line) => line.length > MAX_LINE_CHARS);
  if (long >= 0)
    throw badRequest(
      `properties.rawContent line ${long + 1} has ${lines[long]?.length} characters; at most ${MAX_LINE_CHARS} are allowed.`,
    );
  const rows = splitRows(lines.slice(linesToSkip).join('\n'), delimiter).filter((row) => !(row.length === 1 && row[0] === ''));
  const header = rows.shift()?.map((name) => name.trim());
  if (!header) throw badRequest('properties.rawContent has no header row (after numberOfLinesToSkip).');
  if (!header.includes(searchKey)) {
    throw badRequest(`properties.itemsSearchKey '${searchKey}' is not a column of rawContent (columns: ${header.join(', ')}).`);
  }
  return rows.map((row, i) => {
    if (row.length !== header.length) {
      throw badRequest(`properties.rawContent data row ${i + 1} has ${row.length} fields; the header has ${header.length}.`);
    }
    return Object.fromEntries(header.map((name, c) => [name, row[c] ?? '']));
  });
}

/** RFC 4180 fields: quotes around a field, "" inside quotes for a quote. */
function splitRows(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      field += c;
    } else if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      endField();
    } else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else {
      field += c;
    }
  }
  if (quoted) throw badRequest('properties.rawContent has an unterminated quoted field.');
  if (field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Identity of an item's content, independent of key order (bulk uploads de-duplicate on it). */
export function contentKey(keyValues: unknown): string {
  const entries = Object.entries(keyValues as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}
