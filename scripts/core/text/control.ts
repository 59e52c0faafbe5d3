// Control characters in text that came from outside (rule names, live display names, service messages,
// feed lines) must not act in an output: a line break in a name would start a new line — in CI logs a
// `::warning …` workflow command, in markdown a heading or an image, in a generated query a statement
// outside its comment — and an escape sequence would drive the terminal. Such characters are shown as
// visible escapes instead (`\n`, `\u001b`), so the text stays readable and reviewable.

/** C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional overrides and isolates. */
export const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** The same, except line feed and tab (multi-line texts: queries, descriptions, line diffs). */
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escape(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** One line: every control character as a visible escape. */
export function neutralize(text: string): string {
  return text.replace(CONTROL, escape);
}

/** A multi-line text: line feeds and tabs kept, every other control character as a visible escape. */
export function neutralizeKeepingLines(text: string): string {
  return text.replace(CONTROL_BUT_LINES, escape);
}

export function hasControl(text: string): boolean {
  return new RegExp(CONTROL.source).test(text);
}
