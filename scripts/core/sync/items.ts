// Watchlist items as the service stores them ↔ the diff's view (IP key, score), and the CSV a new
// watchlist is created with. Values are written as strings: a rawContent upload stores every cell
// as a string, and items written one by one must look the same (the detection reads toint(Score)).
import { isFormulaLike } from '../csv/csv.ts';
import { InputError } from '../errors.ts';
import type { LiveItem } from '../feed/diff.ts';
import type { ItemShape } from './settings.ts';

/** An item as listed from the service (structurally what scripts/azure/api.ts returns). */
export interface StoredItem {
  id: string;
  itemsKeyValue: Record<string, unknown>;
}

/** Column lookup is case-insensitive: a hand-made upload may spell the header differently. */
function valueOf(values: Record<string, unknown>, column: string): unknown {
  if (column in values) return values[column];
  const lower = column.toLowerCase();
  for (const [key, value] of Object.entries(values)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/** A stored score, when it is a whole number (as a number or a numeric string). */
export function parseScore(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{1,6}\s*$/.test(value)) return Number(value);
  return undefined;
}

export function liveItemOf(item: StoredItem, shape: ItemShape): LiveItem {
  const key = valueOf(item.itemsKeyValue, shape.searchKey);
  const live: LiveItem = { id: item.id, key: typeof key === 'string' || typeof key === 'number' ? String(key) : '' };
  if (shape.scoreColumn) {
    const score = parseScore(valueOf(item.itemsKeyValue, shape.scoreColumn));
    if (score !== undefined) live.score = score;
  }
  return live;
}

/**
 * One cell of an item: the IP in the search key, the score in the score column, other columns empty.
 * Every item the sync writes, one by one or in an upload, passes here: a cell that a spreadsheet would
 * run as a formula is refused (the feed parser only yields IPv4 addresses, so this is the last line).
 */
function cellOf(shape: ItemShape, column: string, ip: string, score: number): string {
  const text = column === shape.searchKey ? ip : column === shape.scoreColumn ? String(score) : '';
  if (isFormulaLike(text)) {
    throw new InputError(
      `refusing to write ${JSON.stringify(text)} to watchlist column ${column}: spreadsheet programs run a cell starting with =, +, - or @ as a formula`,
      'Nothing was written for this workspace. The feed delivered something other than an IPv4 address and a score: check the feed.',
    );
  }
  return text;
}

/** The key-values of one item: every column of the definition, unknown ones empty (as in the CSV). */
export function itemValues(shape: ItemShape, ip: string, score: number): Record<string, string> {
  const values: Record<string, string> = {};
  for (const column of shape.columns) values[column] = cellOf(shape, column, ip, score);
  return values;
}

/**
 * The CSV upload: `header` (compile/watchlist.ts csvHeader, which an empty watchlist is created with),
 * then one row per entry (IPv4 addresses and numbers need no quoting).
 */
export function itemsCsv(header: string, shape: ItemShape, entries: readonly { ip: string; score: number }[]): string {
  return csvChunks(header, shape, entries, Number.POSITIVE_INFINITY)[0] ?? header;
}

/**
 * The rows of `entries` as uploads of at most `maxBytes` each (UTF-8), every one starting with the
 * header: one rawContent PUT per chunk. None when there are no entries.
 */
export function csvChunks(header: string, shape: ItemShape, entries: readonly { ip: string; score: number }[], maxBytes: number): string[] {
  const chunks: string[] = [];
  const headerBytes = Buffer.byteLength(header, 'utf8');
  let csv = '';
  let bytes = 0;
  for (const { ip, score } of entries) {
    const row = `${shape.columns.map((c) => cellOf(shape, c, ip, score)).join(',')}\n`;
    const rowBytes = Buffer.byteLength(row, 'utf8');
    if (csv !== '' && headerBytes + bytes + rowBytes > maxBytes) {
      chunks.push(header + csv);
      csv = '';
      bytes = 0;
    }
    csv += row;
    bytes += rowBytes;
  }
  if (csv !== '') chunks.push(header + csv);
  return chunks;
}
