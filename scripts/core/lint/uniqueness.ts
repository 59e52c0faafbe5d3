// Which column sets a tabular expression is provably unique on, from its syntax tree:
// `summarize … by K` and `distinct K` make rows unique on K; `summarize` without `by`, `count` and
// `take 1` leave at most one row; filters, sorts and extends that do not overwrite K keep it; project
// and project-rename carry it under the new names. Anything else (mv-expand, union, a join whose other
// side is not unique, a plugin) proves nothing. A table, a watchlist or externaldata is unique on nothing.
import { constantOf } from './timespan.ts';
import { columnName, columnsOf, elements, is, parameter, unwrap, type LintTree, type LNode } from './tree.ts';

/** Each entry is a set of column names the rows are unique on; an empty set means at most one row. */
export type Keys = ReadonlyArray<ReadonlySet<string>>;

export function isUniqueOn(keys: Keys, columns: Iterable<string>): boolean {
  const available = new Set(columns);
  return keys.some((key) => [...key].every((c) => available.has(c)));
}

export function uniqueKeys(tree: LintTree, expression: LNode): Keys {
  return analyze(tree, expression, 0).keys;
}

/** Keys, plus the columns that hold arrays of distinct values (a make-series axis): expanding one adds it to every key. */
interface Shape {
  keys: Keys;
  axes: ReadonlySet<string>;
}

const NOTHING: Shape = { keys: [], axes: new Set() };

function analyze(tree: LintTree, expression: LNode, depth: number): Shape {
  if (depth > 30) return NOTHING;
  const inner = unwrap(expression);
  if (is(inner, 'PipeExpression') && inner.Expression && inner.Operator) {
    return afterOperator(tree, inner.Operator, analyze(tree, inner.Expression, depth + 1), depth);
  }
  if (is(inner, 'NameReference')) {
    const bound = tree.binding(inner);
    return bound ? analyze(tree, bound, depth + 1) : NOTHING;
  }
  if (is(inner, 'PrintOperator')) return { keys: [new Set()], axes: new Set() };
  if (is(inner, 'DataTableExpression')) {
    // A literal table of one row (or none) is unique on anything.
    const columns = elements(inner.Schema?.Columns).length;
    const values = elements(inner.Values).length;
    return columns > 0 && values <= columns ? { keys: [new Set()], axes: new Set() } : NOTHING;
  }
  return NOTHING;
}

function afterOperator(tree: LintTree, op: LNode, shape: Shape, depth: number): Shape {
  const { keys, axes } = shape;
  const keysOnly = (next: Keys): Shape => ({ keys: next, axes: new Set() });
  if (
    is(
      op,
      'FilterOperator',
      'SortOperator',
      'SampleOperator',
      'SerializeOperator',
      'AsOperator',
      'ProjectReorderOperator',
      'RenderOperator',
      'ParseWhereOperator',
    )
  )
    return shape;
  if (is(op, 'TakeOperator', 'TopOperator')) return takesOne(tree, op) ? { keys: [...keys, new Set()], axes } : shape;
  if (is(op, 'CountOperator')) return keysOnly([new Set()]);
  if (is(op, 'SummarizeOperator')) {
    const by = elements(op.ByClause?.Expressions);
    // summarize puts its by-columns first, in order.
    return keysOnly([new Set(columnsOf(op).slice(0, by.length))]);
  }
  if (is(op, 'MakeSeriesOperator')) {
    // One row per by-group; the axis (the `on` column) is an array of distinct bins.
    const by = elements(op.ByClause?.Expressions).map(outputName);
    const axis = columnName(op.OnClause?.Expression);
    if (by.some((n) => n === undefined)) return NOTHING;
    return { keys: [new Set(by as string[])], axes: new Set(axis ? [axis] : []) };
  }
  if (is(op, 'MvExpandOperator')) {
    // Arrays named in one mv-expand are expanded together, element by element: expanding an axis
    // gives one row per (group, bin).
    const expanded = elements(op.Expressions).map((e) => columnName(e.Expression));
    const axis = expanded.find((c) => c !== undefined && axes.has(c));
    if (!axis) return NOTHING;
    return keysOnly(keys.filter((k) => !expanded.some((c) => c !== undefined && k.has(c))).map((k) => new Set([...k, axis])));
  }
  if (is(op, 'DistinctOperator')) return keysOnly([new Set(columnsOf(op))]);
  if (is(op, 'ExtendOperator', 'ParseOperator', 'ParseKvOperator')) {
    const assigned = new Set(assignedNames(op));
    const keep = (k: ReadonlySet<string>): boolean => ![...k].some((c) => assigned.has(c));
    return { keys: keys.filter(keep), axes: new Set([...axes].filter((a) => !assigned.has(a))) };
  }
  if (is(op, 'ProjectOperator', 'ProjectRenameOperator')) {
    const mapping = projection(op);
    const keepOthers = is(op, 'ProjectRenameOperator');
    return {
      keys: rename(keys, mapping, keepOthers),
      axes: new Set(
        rename(
          [...axes].map((a) => new Set([a])),
          mapping,
          keepOthers,
        ).map((k) => [...k][0]!),
      ),
    };
  }
  if (is(op, 'ProjectAwayOperator', 'ProjectKeepOperator')) {
    const remaining = new Set(columnsOf(op));
    return {
      keys: keys.filter((key) => [...key].every((c) => remaining.has(c))),
      axes: new Set([...axes].filter((a) => remaining.has(a))),
    };
  }
  if (is(op, 'JoinOperator', 'LookupOperator') && op.Expression) {
    const kind = parameter(tree.query, op, 'kind') ?? (is(op, 'JoinOperator') ? 'innerunique' : 'leftouter');
    if (['leftsemi', 'leftanti', 'leftantisemi', 'semi', 'anti'].includes(kind)) return keysOnly(keys);
    if (!['inner', 'innerunique', 'leftouter'].includes(kind)) return NOTHING;
    // Each left row meets at most one right row when the right side is unique on the join keys.
    const on = joinKeys(tree, op);
    const right = analyze(tree, op.Expression, depth + 1).keys;
    return on &&
      isUniqueOn(
        right,
        on.map((k) => k.right),
      )
      ? keysOnly(keys)
      : NOTHING;
  }
  return NOTHING;
}

/** The column a by-expression produces: `Name`, `Name = …`, or undefined for other forms. */
function outputName(e: LNode): string | undefined {
  if (is(e, 'SimpleNamedExpression')) return e.Name?.SimpleName ?? undefined;
  return columnName(e);
}

function takesOne(tree: LintTree, op: LNode): boolean {
  const count = constantOf(tree, op.Expression);
  return count?.kind === 'number' && count.value <= 1;
}

/** Names that extend/parse assign (an assignment to an existing name overwrites that column). */
function assignedNames(op: LNode): string[] {
  const out: string[] = [];
  for (const e of elements(op.Expressions)) {
    if (is(e, 'SimpleNamedExpression') && e.Name?.SimpleName) out.push(e.Name.SimpleName);
  }
  if (is(op, 'ParseOperator', 'ParseKvOperator')) out.push(...columnsOf(op));
  return out;
}

/** project / project-rename: output name → the input column it carries unchanged. */
function projection(op: LNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of elements(op.Expressions)) {
    if (is(e, 'SimpleNamedExpression') && e.Name?.SimpleName) {
      const source = columnName(e.Expression);
      if (source) out.set(e.Name.SimpleName, source);
    } else {
      const name = columnName(e);
      if (name) out.set(name, name);
    }
  }
  return out;
}

function rename(keys: Keys, mapping: ReadonlyMap<string, string>, keepOthers: boolean): Keys {
  const byInput = new Map<string, string>();
  for (const [output, input] of mapping) if (!byInput.has(input)) byInput.set(input, output);
  const renamedAway = new Set(mapping.values());
  const outputs = new Set(mapping.keys());
  const out: Set<string>[] = [];
  for (const key of keys) {
    const next = new Set<string>();
    let ok = true;
    for (const column of key) {
      const target = byInput.get(column) ?? (keepOthers && !renamedAway.has(column) && !outputs.has(column) ? column : undefined);
      if (target === undefined) ok = false;
      else next.add(target);
    }
    if (ok) out.push(next);
  }
  return out;
}

export interface JoinKey {
  left: string;
  right: string;
}

/** The equality keys of a join/lookup `on` clause (`on A`, `on $left.A == $right.B`), or undefined when it has another form. */
export function joinKeys(tree: LintTree, op: LNode): JoinKey[] | undefined {
  const clause = is(op, 'JoinOperator') ? op.ConditionClause : op.LookupClause;
  if (!clause || !is(clause, 'JoinOnClause')) return undefined;
  const keys: JoinKey[] = [];
  for (const e of elements(clause.Expressions)) {
    const inner = unwrap(e);
    if (is(inner, 'NameReference') && inner.SimpleName) {
      keys.push({ left: inner.SimpleName, right: inner.SimpleName });
      continue;
    }
    if (is(inner, 'EqualExpression') && inner.Left && inner.Right) {
      const a = sided(tree, inner.Left);
      const b = sided(tree, inner.Right);
      if (a && b && a.side !== b.side) {
        keys.push(a.side === 'left' ? { left: a.name, right: b.name } : { left: b.name, right: a.name });
        continue;
      }
    }
    return undefined;
  }
  return keys.length > 0 ? keys : undefined;
}

/** `$left.X` → {left, X}; `$right.Y` → {right, Y}. */
function sided(tree: LintTree, node: LNode): { side: 'left' | 'right'; name: string } | undefined {
  const inner = unwrap(node);
  if (!is(inner, 'PathExpression') || !inner.Expression || !inner.Selector) return undefined;
  const side = tree.text(inner.Expression);
  const name = inner.Selector.SimpleName;
  if (!name || (side !== '$left' && side !== '$right')) return undefined;
  return { side: side === '$left' ? 'left' : 'right', name };
}
