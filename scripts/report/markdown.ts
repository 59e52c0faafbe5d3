// Markdown building blocks shared by the PR comment and the job summaries. Every value from outside
// (names, messages, paths) goes through esc() or codeSpan(): control characters shown, never a line
// break (core/text/control.ts), and no markup — no HTML, link, image, emphasis, code or table pipe,
// and no @mention that would notify someone. Numeric character references work both in markdown text
// and inside the HTML blocks (<details>) the PR comment uses; `_` stays as it is (inside words GitHub
// does not read it as emphasis, and it is common in names).
import { neutralize } from '../core/text/control.ts';

const ENTITY: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '&#42;',
  '[': '&#91;',
  ']': '&#93;',
  '\\': '&#92;',
  '`': '&#96;',
  '|': '&#124;',
  '~': '&#126;',
};

export function esc(text: string): string {
  return neutralize(text)
    .replace(/[&<>*[\]\\`|~]/g, (c) => ENTITY[c]!)
    .replace(/@/g, '@&#8203;');
}

/** Inline code (`…`): nothing inside is markup; a fence longer than any run of backticks in it. */
export function codeSpan(text: string): string {
  const plain = neutralize(text);
  const fence = '`'.repeat(Math.max(0, ...(plain.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = plain.startsWith('`') || plain.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${plain}${pad}${fence}`;
}

/** A table cell: escaped (esc leaves no pipe or line break that could break the row). */
export function cell(text: string): string {
  return esc(text);
}

export function code(text: string): string {
  return `<code>${cell(text)}</code>`;
}

/** A table with a header row; `align` per column: 'l' or 'r'. A short row ends in empty cells. */
export function table(header: readonly string[], align: string, rows: readonly (readonly (string | number)[])[]): string[] {
  const rule = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  const row = (cells: readonly (string | number)[]) =>
    `| ${cells.map(String).join(' | ')} |${' |'.repeat(Math.max(0, header.length - cells.length))}`;
  return [row(header), `|${rule.join('|')}|`, ...rows.map(row)];
}
