// Markdown building blocks shared by the PR comment and the job summaries.

export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A table cell: escaped, no pipe or line break can break the row. */
export function cell(text: string): string {
  return esc(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function code(text: string): string {
  return `<code>${cell(text)}</code>`;
}

/** A table with a header row; `align` per column: 'l' or 'r'. A short row ends in empty cells. */
export function table(header: readonly string[], align: string, rows: readonly (readonly (string | number)[])[]): string[] {
  const rule = [...align].map((a) => (a === 'r' ? '---:' : '---'));
  const row = (cells: readonly (string | number)[]) => `| ${cells.map(String).join(' | ')} |${' |'.repeat(Math.max(0, header.length - cells.length))}`;
  return [row(header), `|${rule.join('|')}|`, ...rows.map(row)];
}
