// Which fields differ between two normalized resources (old → new), and a compact line diff for the
// long strings a reviewer has to read (queries, descriptions).
import { sortKeys } from '../compile/stable-json.ts';
import type { FieldChange } from './types.ts';
import { isRecord } from '../guards.ts';

type Json = Record<string, unknown>;

/** Field changes in path order; objects are descended into, arrays and scalars compared whole. */
export function diffFields(oldValue: Json, newValue: Json, prefix = ''): FieldChange[] {
  const changes: FieldChange[] = [];
  const keys = [...new Set([...Object.keys(oldValue), ...Object.keys(newValue)])].sort();
  for (const key of keys) {
    const a = oldValue[key];
    const b = newValue[key];
    const field = prefix ? `${prefix}.${key}` : key;
    if (isRecord(a) && isRecord(b)) {
      changes.push(...diffFields(a, b, field));
    } else if (!equal(a, b)) {
      const change: FieldChange = { field };
      if (a !== undefined) change.old = a;
      if (b !== undefined) change.new = b;
      changes.push(change);
    }
  }
  return changes;
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

export interface DiffLine {
  kind: ' ' | '-' | '+' | '…';
  text: string;
}

/**
 * Line diff of two texts (LCS), unchanged lines kept only within `context` lines of a change and
 * runs of skipped lines shown as one `…` line. Inputs are bounded (queries ≤ 10,000 characters).
 */
export function lineDiff(oldText: string, newText: string, context = 1): DiffLine[] {
  const a = oldText.split('\n');
  const b = newText.split('\n');
  // lcs[i][j] = length of the longest common subsequence of a[i..] and b[j..].
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const full: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      full.push({ kind: ' ', text: a[i]! });
      i++;
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
      full.push({ kind: '+', text: b[j]! });
      j++;
    } else {
      full.push({ kind: '-', text: a[i]! });
      i++;
    }
  }
  // Order each run of changes as all removals, then all additions: easier to read.
  const ordered: DiffLine[] = [];
  for (let k = 0; k < full.length;) {
    if (full[k]!.kind === ' ') {
      ordered.push(full[k++]!);
      continue;
    }
    const run: DiffLine[] = [];
    while (k < full.length && full[k]!.kind !== ' ') run.push(full[k++]!);
    ordered.push(...run.filter((l) => l.kind === '-'), ...run.filter((l) => l.kind === '+'));
  }
  const near = ordered.map((_, k) => ordered.slice(Math.max(0, k - context), k + context + 1).some((l) => l.kind !== ' '));
  const out: DiffLine[] = [];
  for (const [k, line] of ordered.entries()) {
    if (line.kind !== ' ' || near[k]) out.push(line);
    else if (out.at(-1)?.kind !== '…') out.push({ kind: '…', text: '' });
  }
  return out;
}

/** Whether a value is best shown as a line diff rather than old → new. */
export function isLongText(value: unknown): value is string {
  return typeof value === 'string' && (value.includes('\n') || value.length > 80);
}
