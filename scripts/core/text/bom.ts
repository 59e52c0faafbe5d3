/** Text without a leading byte-order mark: it would shift every column on the first line (editors on Windows add one). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
