// Where the rows of a tabular expression come from and where they go, over the syntax tree: through
// pipes, parentheses, materialize(), union operands, join/lookup sides, and let-bound names (each use
// of a name is a path of its own).
import { is, parameter, unwrap, elements, SYMBOL, type LintTree, type LNode } from './tree.ts';

export type FlowEvent =
  /** The rows pass through `operator` (side 'right': they enter it as its join/lookup/union operand). */
  | { type: 'operator'; operator: LNode; side: 'left' | 'right' }
  /** The rows end: the query's result, a set (`in (…)`), a scalar (toscalar), an unused let, or somewhere else. */
  | { type: 'end'; how: 'output' | 'set' | 'scalar' | 'unused' | 'other' };

const SET_OPERATORS = [
  'InExpression',
  'InCsExpression',
  'NotInExpression',
  'NotInCsExpression',
  'HasAnyExpression',
  'HasAllExpression',
] as const;

/**
 * Follows the rows of `start` downstream. `visit` ends a path by returning a value, or lets it go on
 * with undefined; an `end` event with undefined ends the path without a value. Returns one value per
 * path that produced one.
 */
export function followRows<T>(tree: LintTree, start: LNode, visit: (event: FlowEvent) => T | undefined, seen = new Set<LNode>()): T[] {
  const results: T[] = [];
  const emit = (event: FlowEvent): boolean => {
    const value = visit(event);
    if (value !== undefined) results.push(value);
    return value !== undefined || event.type === 'end';
  };
  let node = start;
  for (let guard = 0; guard < 10_000; guard++) {
    const parent = node.Parent;
    if (!parent) {
      emit({ type: 'end', how: 'other' });
      return results;
    }
    if (is(parent, 'ParenthesizedExpression', 'MaterializeExpression', 'BracketedExpression')) {
      node = parent;
    } else if (is(parent, 'PipeExpression')) {
      if (parent.Expression === node && parent.Operator && emit({ type: 'operator', operator: parent.Operator, side: 'left' }))
        return results;
      node = parent;
    } else if (is(parent, 'JoinOperator', 'LookupOperator') && parent.Expression === node) {
      if (emit({ type: 'operator', operator: parent, side: 'right' })) return results;
      node = parent; // the pipe above: its Operator is this join
    } else if (is(parent, 'SeparatedElement', 'List', 'ExpressionList')) {
      let container: LNode | null = parent;
      while (container && is(container, 'SeparatedElement', 'List', 'ExpressionList')) container = container.Parent;
      if (container && is(container, 'UnionOperator')) {
        if (emit({ type: 'operator', operator: container, side: 'right' })) return results;
        node = container;
      } else {
        emit({ type: 'end', how: container && is(container, ...SET_OPERATORS) ? 'set' : 'other' });
        return results;
      }
    } else if (is(parent, ...SET_OPERATORS)) {
      emit({ type: 'end', how: 'set' });
      return results;
    } else if (is(parent, 'ToScalarExpression')) {
      emit({ type: 'end', how: 'scalar' });
      return results;
    } else if (is(parent, 'LetStatement') && parent.Expression === node) {
      const uses = tree.usesOf(parent).filter((u) => !seen.has(u));
      if (uses.length === 0) {
        emit({ type: 'end', how: 'unused' });
        return results;
      }
      for (const use of uses) {
        seen.add(use);
        results.push(...followRows(tree, use, visit, seen));
      }
      return results;
    } else if (is(parent, 'ExpressionStatement')) {
      emit({ type: 'end', how: 'output' });
      return results;
    } else {
      emit({ type: 'end', how: 'other' });
      return results;
    }
  }
  return results;
}

/** The operators applied before `expression`'s rows reach it (nearest first), following let-bound names. */
export function upstreamOperators(tree: LintTree, expression: LNode, depth = 0): LNode[] {
  if (depth > 20) return [];
  const inner = unwrap(expression);
  if (is(inner, 'PipeExpression') && inner.Expression) {
    return [...(inner.Operator ? [inner.Operator] : []), ...upstreamOperators(tree, inner.Expression, depth + 1)];
  }
  if (is(inner, 'NameReference')) {
    const bound = tree.binding(inner);
    return bound ? upstreamOperators(tree, bound, depth + 1) : [];
  }
  return [];
}

export type Source =
  | { kind: 'table'; name: string; node: LNode }
  | { kind: 'function'; name: string; node: LNode }
  | { kind: 'externaldata' | 'datatable' | 'other'; node: LNode };

const NON_MULTIPLYING_KINDS = new Set(['leftsemi', 'leftanti', 'leftantisemi', 'anti', 'semi']);

/**
 * Where the rows of `expression` come from: the leftmost source of each pipe, union operands, and the
 * other side of joins and lookups whose rows reach the result; let-bound names followed.
 */
export function rowSources(tree: LintTree, expression: LNode, depth = 0): Source[] {
  if (depth > 20) return [];
  const inner = unwrap(expression);
  if (is(inner, 'PipeExpression') && inner.Expression) {
    const out = rowSources(tree, inner.Expression, depth + 1);
    const op = inner.Operator;
    if (
      op &&
      is(op, 'JoinOperator', 'LookupOperator') &&
      op.Expression &&
      !NON_MULTIPLYING_KINDS.has(parameter(tree.query, op, 'kind') ?? '')
    ) {
      out.push(...rowSources(tree, op.Expression, depth + 1));
    }
    if (op && is(op, 'UnionOperator')) for (const e of elements(op.Expressions)) out.push(...rowSources(tree, e, depth + 1));
    return out;
  }
  if (is(inner, 'UnionOperator')) return elements(inner.Expressions).flatMap((e) => rowSources(tree, e, depth + 1));
  if (is(inner, 'NameReference')) {
    const bound = tree.binding(inner);
    if (bound) return rowSources(tree, bound, depth + 1);
    const symbol = inner.ReferencedSymbol;
    if (symbol?.Kind === SYMBOL.Table) return [{ kind: 'table', name: symbol.Name ?? inner.SimpleName ?? '', node: inner }];
    return [{ kind: 'other', node: inner }];
  }
  if (is(inner, 'FunctionCallExpression')) {
    const name = inner.Name?.SimpleName ?? '';
    // table('Name') reads a table; anything else is a (tabular) function.
    if (name === 'table' && inner.ResultType?.Kind === SYMBOL.Table && inner.ResultType.Name)
      return [{ kind: 'table', name: inner.ResultType.Name, node: inner }];
    return [{ kind: 'function', name, node: inner }];
  }
  if (is(inner, 'ExternalDataExpression')) return [{ kind: 'externaldata', node: inner }];
  if (is(inner, 'DataTableExpression')) return [{ kind: 'datatable', node: inner }];
  return [{ kind: 'other', node: inner }];
}
