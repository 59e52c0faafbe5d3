// Constant time spans in a query, evaluated over the syntax tree: literals (`1h`, `90m`), names bound
// by `let` to constants (followed through the binder's symbols), and + - * / of them. Anything else
// (a function of now(), a column, a parameter of a function) is not a constant: the lints that need
// a duration then say nothing rather than guess.
import { is, unwrap, type LintTree, type LNode } from './tree.ts';

const TICKS_PER_MINUTE = 600_000_000;

export type Constant = { kind: 'timespan'; minutes: number } | { kind: 'number'; value: number };

/** The constant value of `node`, or undefined. */
export function constantOf(tree: LintTree, node: LNode | null | undefined, depth = 0): Constant | undefined {
  if (!node || depth > 20) return undefined;
  const inner = unwrap(node);
  if (is(inner, 'TimespanLiteralExpression')) {
    const ticks = ticksOf(inner.LiteralValue);
    return ticks === undefined ? undefined : { kind: 'timespan', minutes: ticks / TICKS_PER_MINUTE };
  }
  if (is(inner, 'IntLiteralExpression', 'LongLiteralExpression', 'RealLiteralExpression', 'DecimalLiteralExpression')) {
    const value = Number(String(inner.LiteralValue));
    return Number.isFinite(value) ? { kind: 'number', value } : undefined;
  }
  if (is(inner, 'NameReference')) {
    const bound = tree.binding(inner);
    return bound ? constantOf(tree, bound, depth + 1) : undefined;
  }
  if (is(inner, 'UnaryMinusExpression')) return negate(constantOf(tree, inner.Expression, depth + 1));
  if (is(inner, 'UnaryPlusExpression')) return constantOf(tree, inner.Expression, depth + 1);
  if (is(inner, 'AddExpression', 'SubtractExpression', 'MultiplyExpression', 'DivideExpression')) {
    const left = constantOf(tree, inner.Left, depth + 1);
    const right = constantOf(tree, inner.Right, depth + 1);
    if (!left || !right) return undefined;
    return arithmetic(inner, left, right);
  }
  return undefined;
}

/** Minutes of a constant time span, or undefined. */
export function minutesOf(tree: LintTree, node: LNode | null | undefined): number | undefined {
  const value = constantOf(tree, node);
  return value?.kind === 'timespan' ? value.minutes : undefined;
}

function arithmetic(node: LNode, a: Constant, b: Constant): Constant | undefined {
  if (is(node, 'AddExpression', 'SubtractExpression')) {
    const sign = is(node, 'AddExpression') ? 1 : -1;
    if (a.kind === 'timespan' && b.kind === 'timespan') return { kind: 'timespan', minutes: a.minutes + sign * b.minutes };
    if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', value: a.value + sign * b.value };
    return undefined;
  }
  if (is(node, 'MultiplyExpression')) {
    if (a.kind === 'timespan' && b.kind === 'number') return { kind: 'timespan', minutes: a.minutes * b.value };
    if (a.kind === 'number' && b.kind === 'timespan') return { kind: 'timespan', minutes: a.value * b.minutes };
    if (a.kind === 'number' && b.kind === 'number') return { kind: 'number', value: a.value * b.value };
    return undefined;
  }
  // Division
  if (b.kind === 'number' && b.value !== 0) {
    return a.kind === 'timespan' ? { kind: 'timespan', minutes: a.minutes / b.value } : { kind: 'number', value: a.value / b.value };
  }
  return undefined;
}

function negate(value: Constant | undefined): Constant | undefined {
  if (!value) return undefined;
  return value.kind === 'timespan' ? { kind: 'timespan', minutes: -value.minutes } : { kind: 'number', value: -value.value };
}

/** A Bridge.NET System.TimeSpan carries its ticks as a number or a System.Int64. */
function ticksOf(value: unknown): number | undefined {
  const ticks = (value as { ticks?: unknown } | null)?.ticks;
  if (typeof ticks === 'number') return ticks;
  if (ticks !== null && typeof ticks === 'object') {
    const n = Number(String(ticks));
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** 90 → '90m', 60 → '1h', 1500 → '1d 1h', 0.5 → '30s'. */
export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)}s`;
  const parts: string[] = [];
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = Math.round(minutes % 60);
  if (days) parts.push(`${days}d`);
  if (hours) parts.push(`${hours}h`);
  if (mins) parts.push(`${mins}m`);
  if (parts.length === 2 && !days && hours) return `${hours * 60 + mins}m`;
  return parts.join(' ') || '0m';
}
