// Lints about joins: a reference side (watchlist, threat-intelligence or inventory table, external
// list) that can hold several rows per key multiplies result rows; a join without kind= drops rows.
import { followRows, rowSources, type Source } from './flow.ts';
import { isUniqueOn, joinKeys, uniqueKeys, type JoinKey } from './uniqueness.ts';
import { columnName, columnsOf, conjuncts, is, parameter, type LintTree, type LNode } from './tree.ts';
import type { Lint, LintContext, LintFinding } from './types.ts';

/**
 * Tables that hold the same entity many times by design (so a join on the entity's key multiplies
 * rows unless the query keeps one row per key), with the reason.
 */
const REFERENCE_TABLES: Readonly<Record<string, string>> = {
  Watchlist: 'holds every version of every watchlist item',
  ThreatIntelligenceIndicator: 'gets a new row each time an indicator is updated',
  ThreatIntelIndicators: 'gets a new row each time an indicator is updated',
  DeviceInfo: 'gets a full report per device every hour and on each change',
  DeviceNetworkInfo: 'gets a full report per device every hour and on each change',
  IdentityInfo: 'gets a snapshot of every account every day',
};

/** Kinds whose result has one row per matching (left, right) pair: duplicates on the right multiply left rows. */
const MULTIPLYING = new Set(['inner', 'innerunique', 'leftouter', 'fullouter']);
const AGGREGATING = [
  'SummarizeOperator',
  'DistinctOperator',
  'MakeSeriesOperator',
  'CountOperator',
  'TopNestedOperator',
  'TopHittersOperator',
  'SampleDistinctOperator',
  'ReduceByOperator',
  'EvaluateOperator',
] as const;

export const joinUnique: Lint = {
  code: 'lint.join-unique',
  title:
    'a join or lookup against a watchlist, threat-intelligence or inventory side that is not unique on its key: duplicate result rows and alerts',
  check({ tree }: LintContext): LintFinding[] {
    const findings: LintFinding[] = [];
    for (const op of tree.ofKind('JoinOperator', 'LookupOperator')) {
      if (!op.Expression) continue;
      const kind = kindOf(tree, op);
      if (!MULTIPLYING.has(kind)) continue;
      const reference = rowSources(tree, op.Expression)
        .map((s) => referenceOf(tree, s))
        .find((r) => r !== undefined);
      if (!reference) continue;
      const keys = joinKeys(tree, op);
      if (!keys) continue;
      const effective = [...keys.map((k) => k.right), ...equalitiesAfter(op, keys)];
      if (isUniqueOn(uniqueKeys(tree, op.Expression), effective)) continue;
      if (!reachesResult(tree, op)) continue;
      const verb = is(op, 'JoinOperator') ? `join (kind=${kind})` : 'lookup';
      const key = keys.map((k) => k.right).join(', ');
      findings.push({
        code: joinUnique.code,
        at: { offset: op.TextStart },
        message: `${verb} against ${reference.what}, which is not made unique on ${key}: ${reference.why}, so one row of the query can match several and come out (and alert) several times`,
        hint: `Keep one row per key on that side before joining, e.g. \`| summarize arg_max(TimeGenerated, *) by ${key}\` or \`| summarize Value = max(Value) by ${key}\`; if no column of it is needed, use \`in\` or kind=leftsemi.`,
      });
    }
    return findings;
  },
};

export const joinKindDefault: Lint = {
  code: 'lint.join-kind-default',
  title: 'a join without kind=: innerunique keeps one arbitrary left row per key and drops the others',
  check({ tree }: LintContext): LintFinding[] {
    const findings: LintFinding[] = [];
    for (const op of tree.ofKind('JoinOperator')) {
      if (parameter(tree.query, op, 'kind') !== undefined) continue;
      const pipe = op.Parent;
      const left = pipe && is(pipe, 'PipeExpression') ? pipe.Expression : null;
      const keys = joinKeys(tree, op);
      // innerunique de-duplicates the left side on the keys: no difference when it is already unique on them.
      if (
        left &&
        keys &&
        isUniqueOn(
          uniqueKeys(tree, left),
          keys.map((k) => k.left),
        )
      )
        continue;
      findings.push({
        code: joinKindDefault.code,
        at: { offset: op.TextStart },
        message:
          'join without kind= is innerunique: of the left rows that share a key value only one, chosen arbitrarily, is matched, and the others are silently dropped',
        hint: 'Write kind=inner to keep every left row (or kind=innerunique if one row per key is what the rule means, so that it says so).',
      });
    }
    return findings;
  },
};

function kindOf(tree: LintTree, op: LNode): string {
  return parameter(tree.query, op, 'kind') ?? (is(op, 'JoinOperator') ? 'innerunique' : 'leftouter');
}

function referenceOf(tree: LintTree, source: Source): { what: string; why: string } | undefined {
  if (source.kind === 'function' && source.name === '_GetWatchlist') {
    return { what: tree.text(source.node), why: 'a watchlist can hold the same key in several items' };
  }
  if (source.kind === 'externaldata') return { what: 'externaldata', why: 'an external list can repeat a key' };
  if (source.kind === 'table' && REFERENCE_TABLES[source.name])
    return { what: source.name, why: `${source.name} ${REFERENCE_TABLES[source.name]!}` };
  return undefined;
}

/**
 * Right-side columns made equal to left-side columns by the filters right after the join
 * (`| join … on DeviceId | where LocalPort == InternetFacingLocalPort`): for uniqueness they are keys too.
 */
function equalitiesAfter(op: LNode, keys: readonly JoinKey[]): string[] {
  const pipe = op.Parent;
  if (!pipe || !is(pipe, 'PipeExpression') || !pipe.Expression) return [];
  const leftColumns = new Set(columnsOf(pipe.Expression));
  const rightColumns = columnsOf(op.Expression);
  // Output name of each right column: lookup drops its keys; join suffixes a name the left side has with 1.
  const rightByOutput = new Map<string, string>();
  for (const c of rightColumns) {
    if (is(op, 'LookupOperator')) {
      if (!keys.some((k) => k.right === c)) rightByOutput.set(c, c);
    } else rightByOutput.set(leftColumns.has(c) ? `${c}1` : c, c);
  }
  const out: string[] = [];
  let current: LNode = pipe;
  for (
    let parent = current.Parent;
    parent && is(parent, 'PipeExpression') && parent.Expression === current;
    current = parent, parent = parent.Parent
  ) {
    const next = parent.Operator;
    if (!next) break;
    if (is(next, 'FilterOperator') && next.Condition) {
      for (const term of conjuncts(next.Condition)) {
        if (!is(term, 'EqualExpression')) continue;
        const a = columnName(term.Left);
        const b = columnName(term.Right);
        if (!a || !b) continue;
        if (rightByOutput.has(b) && !rightByOutput.has(a)) out.push(rightByOutput.get(b)!);
        else if (rightByOutput.has(a) && !rightByOutput.has(b)) out.push(rightByOutput.get(a)!);
      }
    } else if (!is(next, 'ExtendOperator', 'SortOperator', 'SerializeOperator', 'ProjectReorderOperator')) {
      break;
    }
  }
  return out;
}

/** Whether the join's rows reach the query's result one by one (no aggregation, not used as a set). */
function reachesResult(tree: LintTree, op: LNode): boolean {
  const pipe = op.Parent;
  if (!pipe) return false;
  return followRows<boolean>(tree, pipe, (event) => {
    if (event.type === 'end') return event.how === 'output';
    const next = event.operator;
    if (AGGREGATING.some((k) => is(next, k))) return false;
    if (is(next, 'TakeOperator', 'TopOperator')) return undefined;
    if (is(next, 'JoinOperator', 'LookupOperator')) {
      const kind = kindOf(tree, next);
      if (event.side === 'right' && ['leftsemi', 'leftanti', 'leftantisemi', 'semi', 'anti'].includes(kind)) return false;
      if (event.side === 'left' && ['rightsemi', 'rightanti', 'rightantisemi'].includes(kind)) return false;
    }
    return undefined;
  }).some(Boolean);
}
