// CSV as a watchlist upload reads it (RFC 4180: a field in double quotes may hold commas, line breaks
// and "" for a quote), with the position of every cell, and the cells that spreadsheet programs run
// as formulas when an analyst exports the watchlist and opens it (CSV injection).

/** Sentinel's limits for one rawContent upload (Microsoft documents 3.8 MB and 10,240 characters per line; the decimal reading of 3.8 MB is the safe one). */
export const RAW_CONTENT_MAX_BYTES = 3_800_000;
export const RAW_CONTENT_MAX_LINE_CHARS = 10_240;

export interface CsvCell {
  text: string;
  /** 1-based line and column where the cell starts (its opening quote, when quoted). */
  line: number;
  column: number;
}

export type CsvParse = { rows: CsvCell[][] } | { error: string; line: number; column: number };

/** Rows of cells; a trailing line break ends the last row (it does not start an empty one). */
export function parseCsv(text: string): CsvParse {
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  for (;;) {
    const start = { line, column: i - lineStart + 1 };
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) return { error: 'a quoted cell is not closed', ...start };
        const c = text[i]!;
        if (c === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          if (c === '\n') {
            line++;
            lineStart = i + 1;
          }
          value += c;
          i++;
        }
      }
      if (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
        return { error: 'text after the closing quote of a quoted cell', line, column: i - lineStart + 1 };
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) value += text[i++];
    }
    row.push({ text: value, ...start });
    if (text[i] === ',') {
      i++;
      continue;
    }
    rows.push(row);
    row = [];
    if (i >= text.length) break;
    i += text[i] === '\r' ? 2 : 1;
    line++;
    lineStart = i;
    if (i >= text.length) break;
  }
  return { rows };
}

/**
 * Whether a spreadsheet would read the cell as a formula: it starts with `=`, `+`, `-` or `@` (or a tab
 * or carriage return, which some programs skip before one) and is not simply a number such as -5.
 */
export function isFormulaLike(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(\.\d+)?$/.test(text);
}
