// Layers (e) KQL semantics, (f) result columns and (g) parameters. Kusto.Language analyzes each query
// against the repository's table schemas; its diagnostics land on the YAML line and column inside the
// query block, and its ResultType tells which columns exist for entity mappings, custom details and
// {{placeholders}} (the most common real deployment failure).
import { appendAll, type Diagnostic } from '../diagnostics.ts';
import { analyzeKql, type KqlAnalysis } from '../kql/analyze.ts';
import { overridesKeepAnalysis, parameterUses } from '../kql/overrides.ts';
import type { KqlEnvironment } from '../kql/symbols.ts';
import { toArray } from '../kql/kusto.ts';
import { kqlRegions } from '../kql/regions.ts';
import { parameterValueProblem, parseKqlLiteral, renderKqlLiteral, substituteLets, type LetBinding } from '../model/parameters.ts';
import type { ParameterValue, ParameterYaml } from '../model/yaml-types.ts';
import { closest, didYouMean } from '../text/suggest.ts';
import type { PathSegment, YamlDocument } from '../yaml/document.ts';
import type { RuleDocument } from './collection.ts';
import { asArray, asRecord, asString } from '../guards.ts';
import { lintDiagnostics } from './lints.ts';
import { Reporter } from './report.ts';
import { PLACEHOLDER } from './rule-fields.ts';

export interface KqlLayerInput {
  rules: readonly RuleDocument[];
  env: KqlEnvironment;
  workspaces?: YamlDocument;
  /** From the collection layer: per rule, each workspace's accepted override values. */
  overrides?: ReadonlyMap<RuleDocument, readonly OverrideValues[]>;
  /** Analyze every override again even when kql/overrides.ts proves the outcome unchanged (tests compare both). */
  fullOverrideAnalysis?: boolean;
}

/** One workspace's accepted override values for a rule (the collection layer's AcceptedOverrides, as far as this layer reads it). */
export interface OverrideValues {
  entry: { name: string | undefined; index: number; path: PathSegment[] };
  values: ReadonlyMap<string, ParameterValue>;
}

export interface KqlRuleResult {
  diagnostics: Diagnostic[];
  /** Undefined when the rule has no query. */
  lets?: LetBinding[];
}

export interface KqlLayerResult {
  diagnostics: Diagnostic[];
  /** Top-level let bindings per rule slug: compile replaces parameter values in them. */
  lets: Map<string, LetBinding[]>;
}

export function kqlDiagnostics(input: KqlLayerInput): KqlLayerResult {
  const diagnostics: Diagnostic[] = [];
  const lets = new Map<string, LetBinding[]>();
  for (const rule of input.rules) {
    const result = kqlRuleDiagnostics(rule, input);
    if (result.lets) lets.set(rule.slug, result.lets);
    appendAll(diagnostics, result.diagnostics);
  }
  return { diagnostics, lets };
}

/** The layer for one rule: what kqlDiagnostics does per rule (and what a validation worker runs). */
export function kqlRuleDiagnostics(rule: RuleDocument, input: KqlLayerInput): KqlRuleResult {
  const value = asRecord(rule.doc.value) ?? {};
  const query = asString(value.query);
  if (!query) return { diagnostics: [] };
  const analysis = analyzeKql(input.env, query);
  return { diagnostics: checkRule(rule, input, value, query, analysis), lets: analysis.lets };
}

function checkRule(
  rule: RuleDocument,
  input: KqlLayerInput,
  value: Record<string, unknown>,
  query: string,
  analysis: KqlAnalysis,
): Diagnostic[] {
  const report = new Reporter(rule.doc);
  // A query that does not parse has no meaningful result columns: checking them would only repeat the
  // syntax error as missing columns (a pair of typographic quotes once gave 17 errors).
  const parsed = reportAnalysis(report, analysis, input.env, query);
  if (parsed && analysis.columns && !analysis.columnsOpen)
    checkResultColumns(
      report,
      value,
      analysis.columns.map((c) => c.name),
    );
  else if (parsed && analysis.columnsOpen) reportUnchecked(report, value, analysis);
  const parameters = checkParameters(report, value, analysis);
  const diagnostics = report.diagnostics;
  const clean = !analysis.unknownTables.some((t) => !t.fuzzy) && !analysis.diagnostics.some((d) => d.severity === 'error');
  appendAll(diagnostics, lintDiagnostics({ doc: rule.doc, rule: value, query, syntax: analysis.syntax, clean }));
  const overrides = input.overrides?.get(rule) ?? [];
  // An override is at fault only when the default query is clean: otherwise every workspace would
  // repeat the rule's own error at its overrides, with a hint to fix a value that is fine.
  // Without overrides there is nothing to check (a shortcut: checkOverrides would report nothing).
  if (clean && input.workspaces && overrides.length > 0) {
    appendAll(diagnostics, checkOverrides(input.workspaces, rule, query, analysis, parameters, overrides, input));
  }
  return diagnostics;
}

/**
 * Kusto.Language's diagnostics, with the cascades of one cause collapsed: syntax errors on a line that
 * holds a non-ASCII character in the query code are left to rule.query-ascii (their cause), and of the
 * other syntax errors only the first on each line is reported (the rest follow from it). Returns
 * whether the query parsed.
 */
function reportAnalysis(report: Reporter, analysis: KqlAnalysis, env: KqlEnvironment, query: string): boolean {
  const aliases = env.watchlists;
  // Stryker disable next-line MethodExpression: the parser's diagnostics are all errors (Kusto.Language's warnings come from the binder)
  const syntaxErrors = toArray(analysis.syntax.GetSyntaxDiagnostics()).filter((d) => d.Severity === 'Error');
  const syntax = new Set(syntaxErrors.map((d) => `${d.Code}@${d.Start}`));
  const lineOf = lineIndex(query);
  const asciiLines = new Set(nonAsciiCodeOffsets(query).map(lineOf));
  const reportedLines = new Set<number>();
  // Past the first syntax error the binder works on a broken tree: its errors there are follow-ons.
  const firstSyntax = analysis.diagnostics.find((d) => syntax.has(`${d.kustoCode}@${d.start}`))?.start ?? Number.POSITIVE_INFINITY; // sorted by start
  for (const d of analysis.diagnostics) {
    // Stryker disable next-line StringLiteral: GetDiagnostics holds no suggestion (only Kusto.Language's analyzers give them, and analyzeKql runs none)
    if (d.severity === 'suggestion') continue;
    if (syntax.has(`${d.kustoCode}@${d.start}`)) {
      const line = lineOf(d.start);
      if (asciiLines.has(line) || reportedLines.has(line)) continue;
      reportedLines.add(line);
    } else if (d.start > firstSyntax) continue;
    report.inString(d.severity, ['query'], d.start, `kql.${d.kustoCode}`, d.message, kustoHint(d.message));
  }
  for (const table of analysis.unknownTables) {
    if (table.fuzzy) continue; // reported once, with the result columns it leaves unchecked
    if (table.function) {
      report.inString(
        'error',
        ['query'],
        table.start,
        'kql.unknown-function',
        `function '${table.name}' is not a built-in, ASIM or solution function, nor declared in schemas/functions/`,
        didYouMean(table.name, knownFunctions(env, table.name)) ??
          `If your workspaces have it, declare it in schemas/functions/${table.name}.yaml (see docs/tables-and-functions.md).`,
      );
      continue;
    }
    report.inString(
      'error',
      ['query'],
      table.start,
      'kql.unknown-table',
      `'${table.name}' is not a table or function of the catalog, schemas/tables/ or schemas/functions/`,
      didYouMean(table.name, env.allTableNames()) ??
        `A custom table (_CL) or one the catalog lacks: add schemas/tables/${table.name}.json; a workspace function: schemas/functions/${table.name}.yaml (see docs/tables-and-functions.md).`,
    );
  }
  for (const call of analysis.watchlists) {
    if (call.known) continue;
    report.inString(
      'error',
      ['query'],
      call.start,
      'kql.unknown-watchlist',
      `_GetWatchlist('${call.alias}'): no watchlist with that alias in watchlists/`,
      didYouMean(call.alias, aliases) ?? `Define watchlists/${call.alias}.yaml, or use one of: ${aliases.join(', ') || '(none defined)'}.`,
    );
  }
  return syntax.size === 0;
}

/** Offset → 0-based line number in `text`. */
function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    // Stryker disable next-line ArithmeticOperator: an index past the end reads undefined, which compares like a start beyond every offset
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
}

/** Offsets of non-ASCII characters in the query code (not in comments or string literals): what rule.query-ascii reports as errors. */
function nonAsciiCodeOffsets(query: string): number[] {
  // A fast path: without a non-ASCII character the search below finds none either.
  // Stryker disable next-line Regex: see the line above
  if (!/[^\x00-\x7F]/u.test(query)) return [];
  const regions = kqlRegions(query);
  return [...query.matchAll(/[^\x00-\x7F]/gu)].map((m) => m.index!).filter((i) => regions[i] === 'code');
}

/**
 * The result is open (any column may exist) because of names whose columns no schema declares: the
 * result-column checks cannot be trusted. Said once, unless an unknown name already fails the rule.
 */
function reportUnchecked(report: Reporter, rule: Record<string, unknown>, analysis: KqlAnalysis): void {
  if (analysis.unknownTables.some((t) => !t.fuzzy)) return;
  // With a table union isfuzzy=true skipped, no column can be trusted (the query may only output it when
  // that table exists). Otherwise (a function or table with unlisted columns) the columns the query is
  // known to output are fine, and only the others cannot be checked.
  // Every unknown table left is one that union isfuzzy=true skips. An open result is a table: its columns are listed.
  const fuzzy = analysis.unknownTables;
  const known = new Set(fuzzy.length > 0 ? undefined : analysis.columns!.map((c) => c.name));
  const unchecked = [...new Set(namedColumns(rule))].filter((c) => !known.has(c));
  if (unchecked.length === 0) return;
  const why = [
    ...[...new Set(fuzzy.map((t) => t.name))].map((t) => `table '${t}' (unknown; union isfuzzy=true skips it)`),
    ...analysis.untypedFunctions.map((f) => `function '${f}' (its result columns are not declared)`),
    ...analysis.watchlists.filter((w) => !w.known).map((w) => `watchlist '${w.alias}'`),
  ];
  const first = fuzzy[0];
  const listed = `${unchecked.slice(0, 5).join(', ')}${unchecked.length > 5 ? ` … (${unchecked.length})` : ''}`;
  const message = `column(s) ${listed} named by the rule cannot be checked: the query's result columns depend on ${why.join(', ') || 'names without a schema'}`;
  const hint =
    'Declare the missing table in schemas/tables/ or the function with its columns in schemas/functions/ (docs/tables-and-functions.md).';
  if (first) report.inString('warning', ['query'], first.start, 'kql.unchecked-columns', message, hint);
  else report.warning(['query'], 'kql.unchecked-columns', message, hint, 'key');
}

/** Every result column the rule names: mappings, custom details, alert columns and placeholders. */
function namedColumns(rule: Record<string, unknown>): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    const column = asString(value);
    if (column) out.push(column);
  };
  asArray(rule.entityMappings).forEach((m) => asArray(asRecord(m)?.fieldMappings).forEach((f) => add(asRecord(f)?.columnName)));
  asArray(rule.sentinelEntitiesMappings).forEach((m) => add(asRecord(m)?.columnName));
  Object.values(asRecord(rule.customDetails) ?? {}).forEach(add);
  const override = asRecord(rule.alertDetailsOverride) ?? {};
  add(override.alertTacticsColumnName);
  add(override.alertSeverityColumnName);
  asArray(override.alertDynamicProperties).forEach((p) => add(asRecord(p)?.value));
  for (const key of ['alertDisplayNameFormat', 'alertDescriptionFormat']) {
    for (const match of asString(override[key])?.matchAll(PLACEHOLDER) ?? []) out.push(match[1]!.trim());
  }
  return out;
}

function knownFunctions(env: KqlEnvironment, name: string): string[] {
  // Suggestions only among functions with the same first letters (the catalog has ~1,000).
  const prefix = name.slice(0, 3).toLowerCase();
  return ['_GetWatchlist', 'workspace', 'app']
    .filter((f) => f.toLowerCase().startsWith(prefix))
    .concat(env.functionNamesStartingWith(prefix));
}

function kustoHint(message: string): string | undefined {
  if (/does not refer to any known column/i.test(message))
    return 'Check the spelling and case against the table schema in schemas/tables/.';
  return undefined;
}

/** Every column that the rule's mappings, details and placeholders name must be in the query's output. */
export function checkResultColumns(report: Reporter, rule: Record<string, unknown>, columns: readonly string[]): void {
  const check = (path: (string | number)[], column: string | undefined, what: string): void => {
    if (!column || columns.includes(column)) return;
    reportMissing(columns, column, what, (code, message, hint) => report.error(path, code, message, hint));
  };
  asArray(rule.entityMappings).forEach((mapping, i) => {
    const record = asRecord(mapping) ?? {};
    asArray(record.fieldMappings).forEach((field, j) => {
      check(
        ['entityMappings', i, 'fieldMappings', j, 'columnName'],
        asString(asRecord(field)?.columnName),
        `entity mapping ${String(record.entityType)}`,
      );
    });
  });
  asArray(rule.sentinelEntitiesMappings).forEach((mapping, i) => {
    check(['sentinelEntitiesMappings', i, 'columnName'], asString(asRecord(mapping)?.columnName), 'sentinel entities mapping');
  });
  for (const [key, column] of Object.entries(asRecord(rule.customDetails) ?? {})) {
    check(['customDetails', key], asString(column), `custom detail ${key}`);
  }
  const override = asRecord(rule.alertDetailsOverride) ?? {};
  for (const key of ['alertTacticsColumnName', 'alertSeverityColumnName'])
    check(['alertDetailsOverride', key], asString(override[key]), key);
  asArray(override.alertDynamicProperties).forEach((p, i) => {
    check(
      ['alertDetailsOverride', 'alertDynamicProperties', i, 'value'],
      asString(asRecord(p)?.value),
      `alert property ${String(asRecord(p)?.alertProperty)}`,
    );
  });
  for (const key of ['alertDisplayNameFormat', 'alertDescriptionFormat']) {
    const format = asString(override[key]);
    if (!format) continue;
    for (const match of format.matchAll(PLACEHOLDER)) {
      const column = match[1]!.trim();
      if (columns.includes(column)) continue;
      reportMissing(columns, column, `placeholder {{${column}}} in ${key}`, (code, message, hint) =>
        report.inString('error', ['alertDetailsOverride', key], match.index!, code, message, hint),
      );
    }
  }
}

function reportMissing(
  columns: readonly string[],
  column: string,
  what: string,
  emit: (code: string, message: string, hint: string) => void,
): void {
  const sameLetters = columns.find((c) => c.toLowerCase() === column.toLowerCase());
  if (sameLetters) {
    emit(
      'kql.column-case',
      `${what} names column '${column}', but the query outputs '${sameLetters}' (column names are case-sensitive)`,
      `Write '${sameLetters}'.`,
    );
    return;
  }
  const near = closest(column, columns);
  emit(
    'kql.missing-column',
    `${what} names column '${column}', which the query does not output`,
    near
      ? `Did you mean '${near}'? The query outputs: ${summarize(columns)}.`
      : `Project it in the query, or map one of: ${summarize(columns)}.`,
  );
}

function summarize(columns: readonly string[]): string {
  return columns.length <= 12 ? columns.join(', ') : `${columns.slice(0, 12).join(', ')} … (${columns.length} columns)`;
}

/** Declared parameters whose let has a usable default (the let literal). Reports the others. */
function checkParameters(report: Reporter, rule: Record<string, unknown>, analysis: KqlAnalysis): Map<string, ParameterYaml> {
  const out = new Map<string, ParameterYaml>();
  for (const [name, raw] of Object.entries(asRecord(rule.parameters) ?? {})) {
    const decl = raw as ParameterYaml;
    if (typeof decl?.type !== 'string') continue;
    const binding = analysis.lets.find((l) => l.name === name);
    if (!binding) {
      report.error(
        ['parameters', name],
        'rule.parameter-let',
        `parameter ${name} has no top-level \`let ${name} = <default>;\` in the query`,
        `Add \`let ${name} = <default>;\` at the top of the query: the literal is the default, workspaces.yaml overrides it.`,
        'key',
      );
      continue;
    }
    const value = binding.literal ? parseKqlLiteral(decl.type, binding.valueText) : undefined;
    const problem =
      value === undefined
        ? `the default of parameter ${name} (${binding.valueText}) is not a literal of type ${decl.type}`
        : refusal(parameterValueProblem(decl, value), name);
    if (problem) {
      report.inString(
        'error',
        ['query'],
        binding.valueStart,
        'rule.parameter-default',
        problem,
        `Write a ${decl.type} literal${decl.type.endsWith('[]') ? ' such as dynamic([])' : ''} that satisfies the declaration under parameters.${name}.`,
      );
      continue;
    }
    out.set(name, decl);
  }
  return out;
}

/** Layer (g): each workspace's overrides compiled into the query must still analyze clean. */
function checkOverrides(
  workspaces: YamlDocument,
  rule: RuleDocument,
  query: string,
  analysis: KqlAnalysis,
  parameters: ReadonlyMap<string, ParameterYaml>,
  overrides: readonly OverrideValues[],
  input: KqlLayerInput,
): Diagnostic[] {
  const report = new Reporter(workspaces);
  const cache = new Map<string, KqlAnalysis>();
  // Overrides that provably analyze like the default query are not analyzed again (kql/overrides.ts).
  // Its rule needs a default with no error and no unknown table at all: below, an override's analysis
  // reports every unknown table, even one that union isfuzzy=true skips (which the lints' `clean` tolerates).
  // The default has no error here (checkRule calls this only then).
  const provable = analysis.unknownTables.length === 0;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,BooleanLiteral,ArrayDeclaration: each only turns the shortcut off or on where it proves the outcome unchanged (override-shortcut.test.ts compares both)
  const uses = provable && !input.fullOverrideAnalysis ? parameterUses(analysis.syntax, [...parameters.keys()]) : undefined;
  for (const { entry, values: accepted } of overrides) {
    const values = new Map<string, string>();
    for (const [name, value] of accepted) {
      const decl = parameters.get(name);
      if (decl) values.set(name, renderKqlLiteral(decl.type, value));
    }
    if (values.size === 0) continue;
    if (uses && overridesKeepAnalysis(query, provable, uses, values)) continue;
    const compiled = substituteLets(query, analysis.lets, values);
    const result = cache.get(compiled) ?? cache.set(compiled, analyzeKql(input.env, compiled)).get(compiled)!;
    const problems = [
      ...result.unknownTables.map((t) => ({ start: t.start, message: `table or name '${t.name}' is unknown`, kustoCode: 'unknown-table' })),
      // An unknown table is also a KS204 at the same place: report it once.
      ...result.diagnostics.filter((d) => d.severity === 'error' && !result.unknownTables.some((t) => t.start === d.start)),
    ];
    const name = entry.name ?? `#${entry.index}`;
    // The first error is the override's doing; what follows it in the same query is its cascade.
    const first = problems.sort((a, b) => a.start - b.start)[0];
    if (first) {
      const line = compiled.slice(0, first.start).split('\n').length;
      const more =
        problems.length === 1
          ? ''
          : problems.length === 2
            ? '; 1 more error follows from it'
            : `; ${problems.length - 1} more errors follow from it`;
      report.error(
        [...entry.path, 'rules', rule.slug, 'parameters'],
        'kql.override',
        `with workspace ${name}'s parameters, the query of ${rule.doc.file} fails: ${first.message} (${first.kustoCode}, query line ${line} after substitution)${more}`,
        'Fix the override value, or the query so that it accepts it.',
        'key',
      );
    }
  }
  return report.diagnostics;
}

/** parameterValueProblem's reason as a rule.parameter-default message (the reason names the value itself). */
function refusal(reason: string | undefined, name: string): string | undefined {
  return reason && `the default of parameter ${name}: ${reason}`;
}
