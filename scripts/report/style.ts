// Colour is the text reporter's business: on a TTY only, and never when NO_COLOR is set.

export interface Style {
  red(text: string): string;
  yellow(text: string): string;
  green(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

export const COLOR: Style = { red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
const identity = (text: string) => text;
export const PLAIN: Style = { red: identity, yellow: identity, green: identity, dim: identity, bold: identity };

export function styleFor(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): Style {
  return isTTY && !env.NO_COLOR && env.TERM !== 'dumb' ? COLOR : PLAIN;
}
