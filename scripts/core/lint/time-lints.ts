// Lints about a scheduled rule's time windows against its schedule (queryFrequency, queryPeriod).
import { followRows, rowSources, upstreamOperators } from './flow.ts';
import { INGESTION_TIME, timeFiltersOf, type TimeFilter } from './time-filters.ts';
import { formatMinutes } from './timespan.ts';
import { elements, functionName, is, parameter, SYMBOL, unwrap, type LintTree, type LNode } from './tree.ts';
import type { Lint, LintContext, LintFinding } from './types.ts';

const TIME_COLUMN = 'TimeGenerated';

/** Every where / make-series of the query with its time filters. */
function allTimeFilters(tree: LintTree): TimeFilter[] {
  return tree.ofKind('FilterOperator', 'MakeSeriesOperator').flatMap((node) => timeFiltersOf(tree, node));
}

export const ingestionDelay: Lint = {
  code: 'lint.ingestion-delay',
  title: 'a TimeGenerated window no longer than queryFrequency without an ingestion_time() selection: late events never alert',
  check({ tree, kind, frequency }: LintContext): LintFinding[] {
    if (kind !== 'Scheduled' || frequency === undefined) return [];
    const findings: LintFinding[] = [];
    for (const filter of allTimeFilters(tree)) {
      if (
        filter.subject !== TIME_COLUMN ||
        filter.minutes === undefined ||
        filter.minutes > frequency ||
        !is(filter.operator, 'FilterOperator')
      )
        continue;
      if (selectsByIngestionTime(tree, filter.operator) || !decidesResults(tree, filter.operator)) continue;
      const every = formatMinutes(frequency);
      const window = formatMinutes(filter.minutes);
      findings.push({
        code: ingestionDelay.code,
        at: { offset: filter.node.TextStart },
        message: `${tableNames(tree, filter.operator)}keeps only events generated in the last ${window} and the rule runs every ${every}: an event ingested late (after the run that covers its TimeGenerated) is too old for the next run and never alerts`,
        hint: `Select by ingestion time over the frequency and widen the TimeGenerated window by the expected delay, e.g. \`| where TimeGenerated > ago(${every} + IngestionDelayAllowance) | where ingestion_time() > ago(${every})\` (Microsoft Sentinel docs, "Handle ingestion delay in scheduled analytics rules"); or silence it under \`lints:\` with the reason.`,
      });
    }
    return findings;
  },
};

export const windowBeyondPeriod: Lint = {
  code: 'lint.window-beyond-period',
  title: 'a TimeGenerated filter reaching further back than queryPeriod: the service cuts it silently',
  check({ tree, kind, period }: LintContext): LintFinding[] {
    if (kind !== 'Scheduled' || period === undefined) return [];
    return allTimeFilters(tree)
      .filter((f) => f.subject === TIME_COLUMN && f.minutes !== undefined && f.minutes > period)
      .map((f) => ({
        code: windowBeyondPeriod.code,
        at: { offset: f.node.TextStart },
        message: `this time filter reaches ${formatMinutes(f.minutes!)} back, but queryPeriod is ${formatMinutes(period)}: each run is given only the last ${formatMinutes(period)} of data, so the rule silently sees less than the query says`,
        hint: `Raise queryPeriod to ${formatMinutes(Math.min(f.minutes!, 14 * 1440))} (at most 14d), or shorten the filter to the period.`,
      }));
  },
};

// "Much longer": at least twice the widest window the query uses and at least an hour more.
const UNUSED_FACTOR = 2;
const UNUSED_MINIMUM = 60;

export const periodUnused: Lint = {
  code: 'lint.period-unused',
  title: 'a queryPeriod much longer than the widest time window the query reads: every run pays for data it drops',
  check({ tree, kind, frequency, period }: LintContext): LintFinding[] {
    if (kind !== 'Scheduled' || period === undefined || frequency === undefined) return [];
    const used = widestWindow(tree);
    if (used === undefined) return [];
    const needed = Math.max(used, frequency);
    if (period < UNUSED_FACTOR * needed || period - needed < UNUSED_MINIMUM) return [];
    return [
      {
        code: periodUnused.code,
        at: { key: 'queryPeriod' },
        message: `queryPeriod is ${formatMinutes(period)}, but no table in the query is read further back than ${formatMinutes(used)} (its widest TimeGenerated filter): each run asks Log Analytics for ${formatMinutes(period)} of data and drops the rest`,
        hint: `Set queryPeriod to ${formatMinutes(needed)}${needed === frequency && used < frequency ? ' (the frequency; the period cannot be shorter)' : ''}, or widen the query's filters if it should look further back.`,
      },
    ];
  },
};

/** The widest TimeGenerated window over every table the query reads; undefined when a table is read without a constant one. */
function widestWindow(tree: LintTree): number | undefined {
  let widest = 0;
  let tables = 0;
  for (const node of tree.ofKind('NameReference', 'FunctionCallExpression')) {
    const source = tableRead(node);
    if (source === 'function') return undefined; // a function (an ASIM parser, a workspace function) reads tables we cannot see
    if (source !== 'table') continue;
    tables++;
    const windows = followRows<number>(tree, node, (event) => {
      if (event.type === 'end') return Infinity;
      const op = event.operator;
      if (event.side === 'right' && !is(op, 'UnionOperator')) return Infinity; // filters after a join bound the other side's TimeGenerated
      if (is(op, 'FilterOperator')) {
        const filters = timeFiltersOf(tree, op).filter((f) => f.subject === TIME_COLUMN);
        if (filters.some((f) => f.minutes === undefined)) return Infinity;
        if (filters.length > 0) return Math.min(...filters.map((f) => f.minutes!));
        return undefined;
      }
      return KEEPS_TIME_COLUMN.some((k) => is(op, k)) ? undefined : Infinity;
    });
    const window = windows.length ? Math.max(...windows) : Infinity;
    if (!Number.isFinite(window)) return undefined;
    widest = Math.max(widest, window);
  }
  return tables > 0 ? widest : undefined;
}

// Operators after which a filter on TimeGenerated still bounds the rows read from the table.
const KEEPS_TIME_COLUMN = [
  'FilterOperator',
  'ExtendOperator',
  'ProjectOperator',
  'ProjectAwayOperator',
  'ProjectKeepOperator',
  'ProjectReorderOperator',
  'ParseOperator',
  'ParseWhereOperator',
  'ParseKvOperator',
  'SortOperator',
  'SerializeOperator',
  'AsOperator',
  'UnionOperator',
  'JoinOperator',
  'LookupOperator',
  'MvExpandOperator',
] as const;

/** 'table' for a name bound to a table (or table('…')), 'function' for a call of a tabular function other than _GetWatchlist, else undefined. */
function tableRead(node: LNode): 'table' | 'function' | undefined {
  if (is(node, 'NameReference')) return node.ReferencedSymbol?.Kind === SYMBOL.Table && !isCallee(node) ? 'table' : undefined;
  if (is(node, 'FunctionCallExpression')) {
    const name = node.Name?.SimpleName ?? '';
    if (name === 'table') return 'table';
    if (name === '_GetWatchlist') return undefined; // watchlists are not bounded by the query period
    return node.ResultType?.Kind === SYMBOL.Table ? 'function' : undefined;
  }
  return undefined;
}

function isCallee(reference: LNode): boolean {
  const parent = reference.Parent;
  return !!parent && is(parent, 'FunctionCallExpression') && parent.Name === reference;
}

/**
 * Whether the rows that `filter` sees are also selected by ingestion_time(), before or after it:
 * `where ingestion_time() > …`, or a where on a column that an extend set to ingestion_time().
 */
function selectsByIngestionTime(tree: LintTree, filter: LNode): boolean {
  const pipe = filter.Parent;
  const upstream = pipe && is(pipe, 'PipeExpression') && pipe.Expression ? upstreamOperators(tree, pipe.Expression) : [];
  const downstream: LNode[] = [];
  followRows<boolean>(tree, filter, (event) => {
    if (event.type === 'end' || event.side === 'right') return false;
    downstream.push(event.operator);
    return undefined;
  });
  const lineage = [...upstream, ...downstream];
  const aliases = new Set(lineage.flatMap(ingestionTimeColumns));
  return lineage.some(
    (op) => is(op, 'FilterOperator') && timeFiltersOf(tree, op).some((f) => f.subject === INGESTION_TIME || aliases.has(f.subject)),
  );
}

/** Columns an extend sets to ingestion_time() (`extend IngestionTime = ingestion_time()`). */
function ingestionTimeColumns(op: LNode): string[] {
  if (!is(op, 'ExtendOperator')) return [];
  return elements(op.Expressions)
    .filter((e) => is(e, 'SimpleNamedExpression') && e.Expression && functionName(unwrap(e.Expression)) === 'ingestion_time')
    .map((e) => e.Name?.SimpleName ?? '');
}

// Join kinds whose result needs a matching right row (or is made of right rows): a late right-side
// event is then a missing result. The right side of leftouter/leftanti/leftsemi only enriches or
// excludes left rows, and a left side is kept by every kind but the right-only ones.
const RIGHT_DECIDES = new Set(['inner', 'innerunique', 'rightouter', 'rightsemi', 'rightanti', 'rightantisemi', 'fullouter']);
const LEFT_DROPPED = new Set(['rightsemi', 'rightanti', 'rightantisemi']);

/**
 * Whether the filtered rows decide what the rule returns: they reach the result through pipes,
 * unions, the kept side of joins and aggregations, not only as enrichment (the right side of a
 * leftouter join or lookup) or as a set to compare with (`in`, `!in`).
 */
function decidesResults(tree: LintTree, filter: LNode): boolean {
  return followRows<boolean>(tree, filter, (event) => {
    if (event.type === 'end') return event.how === 'output';
    const op = event.operator;
    if (!is(op, 'JoinOperator', 'LookupOperator')) return undefined;
    const kind = parameter(tree.query, op, 'kind') ?? (is(op, 'JoinOperator') ? 'innerunique' : 'leftouter');
    if (event.side === 'right') return RIGHT_DECIDES.has(kind) ? undefined : false;
    return LEFT_DROPPED.has(kind) ? false : undefined;
  }).some(Boolean);
}

/** `DeviceNetworkEvents: ` for the tables the filtered rows come from. */
function tableNames(tree: LintTree, filter: LNode): string {
  const pipe = filter.Parent;
  if (!pipe || !is(pipe, 'PipeExpression') || !pipe.Expression) return '';
  const names = [
    ...new Set(
      rowSources(tree, pipe.Expression)
        .filter((s) => s.kind === 'table')
        .map((s) => (s as { name: string }).name),
    ),
  ];
  return names.length ? `${names.join(', ')}: the filter ` : 'the filter ';
}
