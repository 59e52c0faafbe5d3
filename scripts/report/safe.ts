// What the text and markdown reporters show, with every control character made visible (core/text/
// control.ts): names, service messages and feed lines come from outside and must not break a line —
// a `::warning …` workflow command in a CI log, a heading or an image in a PR comment. The values of a
// field diff keep their line breaks and tabs: the reporters split long texts into diff lines.
import { isRecord } from '../core/guards.ts';
import { neutralize, neutralizeKeepingLines } from '../core/text/control.ts';

export function safeForText<T>(value: T): T {
  return walk(value, false) as T;
}

function walk(value: unknown, lines: boolean): unknown {
  if (typeof value === 'string') return lines ? neutralizeKeepingLines(value) : neutralize(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, lines));
  if (!isRecord(value)) return value;
  const fieldChange = typeof value.field === 'string';
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, lines || (fieldChange && (k === 'old' || k === 'new')))]));
}
