// Time filters in a query, read from the syntax tree: `where TimeGenerated > ago(1h)`, `>= now() - 1h`,
// `>= now(-1h)`, `between (ago(1d) .. now())` (each conjunct of a where), and the range of a make-series
// over a time column. The look-back is evaluated when it is a constant (timespan.ts).
import { minutesOf } from './timespan.ts';
import { argumentsOf, columnName, conjuncts, elements, functionName, is, unwrap, type LintTree, type LNode } from './tree.ts';

export const INGESTION_TIME = 'ingestion_time()';

export interface TimeFilter {
  /** The conjunct (or make-series range) that bounds time: diagnostics point at its start. */
  node: LNode;
  /** The where or make-series operator it belongs to. */
  operator: LNode;
  /** The bounded column's name, or `ingestion_time()`. */
  subject: string;
  /** How far back the lower bound reaches, in minutes; undefined when it is not a constant look-back from now. */
  minutes: number | undefined;
}

// Per tree and operator: three lints ask for the same operators' filters.
const computed = new WeakMap<LintTree, Map<LNode, readonly TimeFilter[]>>();

/** The time filters of one query operator (where / make-series); none for other operators. */
export function timeFiltersOf(tree: LintTree, operator: LNode): readonly TimeFilter[] {
  let byOperator = computed.get(tree);
  if (!byOperator) computed.set(tree, (byOperator = new Map()));
  let filters = byOperator.get(operator);
  if (!filters) byOperator.set(operator, (filters = compute(tree, operator)));
  return filters;
}

function compute(tree: LintTree, operator: LNode): TimeFilter[] {
  if (is(operator, 'FilterOperator') && operator.Condition) {
    return conjuncts(operator.Condition).flatMap((term) => {
      const bound = lowerBound(term);
      if (!bound) return [];
      const subject = subjectOf(bound.subject);
      if (!subject) return [];
      return [{ node: term, operator, subject, minutes: lookback(tree, bound.bound) }];
    });
  }
  if (is(operator, 'MakeSeriesOperator')) {
    const subject = subjectOf(operator.OnClause?.Expression);
    const range = operator.RangeClause;
    const from = range?.MakeSeriesFromClause?.Expression ?? elements(range?.Arguments?.Expressions)[0];
    if (!subject || !range || !from) return [];
    return [{ node: range, operator, subject, minutes: lookback(tree, from) }];
  }
  return [];
}

/** `subject > bound`, `subject >= bound`, `bound < subject`, `bound <= subject`, `subject between (bound .. x)`. */
function lowerBound(term: LNode): { subject: LNode; bound: LNode } | undefined {
  if (is(term, 'GreaterThanExpression', 'GreaterThanOrEqualExpression') && term.Left && term.Right)
    return { subject: term.Left, bound: term.Right };
  if (is(term, 'LessThanExpression', 'LessThanOrEqualExpression') && term.Left && term.Right)
    return { subject: term.Right, bound: term.Left };
  if (is(term, 'BetweenExpression') && term.Left && term.Right?.First) return { subject: term.Left, bound: term.Right.First };
  return undefined;
}

function subjectOf(node: LNode | null | undefined): string | undefined {
  if (!node) return undefined;
  const inner = unwrap(node);
  if (functionName(inner) === 'ingestion_time') return INGESTION_TIME;
  return columnName(inner);
}

/** ago(X), now() - X, now(-X) → X in minutes; anything else undefined. */
function lookback(tree: LintTree, bound: LNode): number | undefined {
  const inner = unwrap(bound);
  const name = functionName(inner);
  const args = is(inner, 'FunctionCallExpression') ? argumentsOf(inner) : [];
  if (name === 'ago' && args.length === 1) return minutesOf(tree, args[0]);
  if (name === 'now' && args.length === 1) {
    const offset = minutesOf(tree, args[0]);
    return offset === undefined ? undefined : -offset;
  }
  if (
    is(inner, 'SubtractExpression') &&
    inner.Left &&
    functionName(unwrap(inner.Left)) === 'now' &&
    argumentsOf(unwrap(inner.Left)).length === 0
  ) {
    return minutesOf(tree, inner.Right);
  }
  return undefined;
}
