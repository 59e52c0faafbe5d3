// Parse and analyze one KQL query with Kusto.Language against the repo's table schemas and
// watchlists: its diagnostics, its result columns, the tables and watchlists it reads and its
// top-level lets (rule parameters). Offsets are UTF-16 code units into `query`, as JavaScript
// strings count them; the caller maps them into the YAML block scalar.
//
// Tables and functions come from the environment's schemas (schemas/tables/, schemas/functions/, the
// generated catalog; see docs/tables-and-functions.md). A query that reads a name no schema declares
// gets one entry in `unknownTables` instead of a cascade of follow-on errors.
import { kusto, toArray, type KDiagnostic, type KTableSymbol, type KustoCode } from './kusto.ts';
import type { KqlEnvironment, PreparedQuery } from './symbols.ts';
import { findReferences, isTabularPosition, nameAt, topLevelLets, type LetBinding, type WatchlistCall } from './syntax.ts';
import { isKqlType, type ColumnSchema } from './types.ts';
import { compareText } from '../text/compare.ts';

export interface KqlDiagnostic {
  /** Kusto.Language's code, verbatim (e.g. KS142). */
  kustoCode: string;
  severity: 'error' | 'warning' | 'suggestion';
  message: string;
  start: number;
  length: number;
}

export interface UnknownTable {
  name: string;
  start: number;
  length: number;
  /** A function call (`Name(…)`) rather than a table. */
  function?: boolean;
  /** Read by `union isfuzzy=true`: the service skips it silently, the query still runs. */
  fuzzy?: boolean;
}

export interface KqlAnalysis {
  /** Kusto.Language's diagnostics, minus those for unknown names (see unknownTables) and their follow-on errors. */
  diagnostics: KqlDiagnostic[];
  /** Result columns (name and type, in order) when the query's result is a table, else undefined. */
  columns: ColumnSchema[] | undefined;
  /**
   * True when the result table is open: it derives from an unknown table, function or watchlist, so
   * it may have columns beyond `columns` (a column missing from the list proves nothing).
   */
  columnsOpen: boolean;
  /** Names in table or function position that no schema declares, one entry per occurrence. */
  unknownTables: UnknownTable[];
  /** Functions the query calls whose result columns no schema declares (solution parsers), sorted. */
  untypedFunctions: string[];
  /** Every _GetWatchlist('<alias>') call with a literal alias; start/length cover the literal, quotes included. */
  watchlists: WatchlistCall[];
  /** The environment's tables the query reads (sorted, unique). */
  tables: string[];
  /** Top-level `let Name = <expr>;` statements, in order. */
  lets: LetBinding[];
  /** The parsed and bound query (unknown tables declared as open placeholders), for syntax-tree checks such as the content lints. */
  syntax: KustoCode;
}

// Kusto.Language reports an unresolved name in table position (pipe source, join/union/lookup
// operand, table('…')) as KS204; where a table and a scalar are both possible (the whole value of a
// let, the whole query) it reports KS142, the unknown-column code; an unknown function call is KS211;
// a table that `union isfuzzy=true` cannot find is the warning KS205.
const UNKNOWN_TABLE = 'KS204';
const UNKNOWN_NAME = 'KS142';
const UNKNOWN_FUNCTION = 'KS211';
const FUZZY_TABLE = 'KS205';

export function analyzeKql(env: KqlEnvironment, query: string): KqlAnalysis {
  const analyzed = env.analyze(query);
  const prepared = analyzed.prepared;
  let code = analyzed.code;
  let diagnostics = toArray(code.GetDiagnostics());
  let unknownTables: UnknownTable[] = [];

  if (diagnostics.some((d) => d.Code === UNKNOWN_TABLE || d.Code === UNKNOWN_NAME || d.Code === UNKNOWN_FUNCTION)) {
    const found = findUnknownNames(code, diagnostics, query);
    if (found.tables.length + found.standalone.length + found.functions.length > 0) {
      // Analyze again with each unknown name declared (an open table; a function returning one): what
      // the query does with it then raises no errors, and every remaining diagnostic is a real one.
      // An unknown function called where a value is expected (`where f(x)`) gets a scalar placeholder.
      const scalar = new Set(found.functions.filter((f) => !isTabularPosition(code, f.start)).map((f) => f.name));
      const rerun = (tables: readonly UnknownTable[]): { code: KustoCode; diagnostics: KDiagnostic[] } =>
        reanalyze(prepared, env, tables, found.functions, scalar);
      let second = rerun([...found.tables, ...found.standalone]);
      if (found.standalone.length > 0 && introducesErrors(diagnostics, second.diagnostics)) {
        // A bare unresolved name that is not used as a table (a misspelt scalar let): keep KS142.
        second = found.tables.length + found.functions.length > 0 ? rerun(found.tables) : { code, diagnostics };
        unknownTables = [...found.tables, ...found.functions];
      } else {
        unknownTables = [...found.tables, ...found.standalone, ...found.functions];
      }
      ({ code, diagnostics } = second);
    }
  }
  // A table union isfuzzy=true cannot find: one entry (the caller says the columns are unchecked).
  for (const d of diagnostics) {
    if (d.Code !== FUZZY_TABLE) continue;
    const at = nameAt(code, d.Start);
    unknownTables.push({
      name: at?.name ?? unquote(query.slice(d.Start, d.Start + d.Length)),
      start: d.Start,
      length: d.Length,
      fuzzy: true,
    });
  }
  diagnostics = diagnostics.filter((d) => d.Code !== FUZZY_TABLE);

  const result = resultTable(code, kusto().Symbols.SymbolKind.Table);
  const references = findReferences(code, env);
  const untypedFunctions = [...prepared.names.names]
    .filter((name) => {
      const fn = env.functionSchema(name);
      return fn !== undefined && fn.columns === undefined && fn.body === undefined;
    })
    .sort(compareText);
  return {
    diagnostics: toKqlDiagnostics(diagnostics),
    columns: result ? resultColumns(result) : undefined,
    columnsOpen: result?.IsOpen ?? false,
    unknownTables: unknownTables.sort((a, b) => a.start - b.start),
    untypedFunctions,
    watchlists: references.watchlists,
    tables: references.tables,
    lets: topLevelLets(code, query),
    syntax: code,
  };
}

function reanalyze(
  prepared: PreparedQuery,
  env: KqlEnvironment,
  tables: readonly UnknownTable[],
  functions: readonly UnknownTable[],
  scalar: ReadonlySet<string>,
): { code: KustoCode; diagnostics: KDiagnostic[] } {
  const tableNames = [...new Set(tables.map((t) => t.name))];
  const functionNames = [...new Set(functions.map((f) => f.name))].filter((n) => !tableNames.includes(n));
  const named = prepared.names.namedArguments;
  const globals = env.withPlaceholders(
    prepared,
    tableNames,
    functionNames.map((name) => ({ name, scalar: scalar.has(name), named: [...(named.get(name) ?? [])] })),
  );
  const code = prepared.parsed.Analyze(globals);
  return { code, diagnostics: toArray(code.GetDiagnostics()) };
}

function findUnknownNames(
  code: KustoCode,
  diagnostics: readonly KDiagnostic[],
  query: string,
): { tables: UnknownTable[]; standalone: UnknownTable[]; functions: UnknownTable[] } {
  const tables: UnknownTable[] = [];
  const standalone: UnknownTable[] = [];
  const functions: UnknownTable[] = [];
  for (const d of diagnostics) {
    if (d.Code !== UNKNOWN_TABLE && d.Code !== UNKNOWN_NAME && d.Code !== UNKNOWN_FUNCTION) continue;
    const at = nameAt(code, d.Start);
    if (d.Code === UNKNOWN_FUNCTION) {
      const name = at?.name ?? query.slice(d.Start, d.Start + d.Length);
      // workspace()/app() are declared; anything else called and unknown is reported once.
      functions.push({ name, start: d.Start, length: d.Length, function: true });
    } else if (d.Code === UNKNOWN_TABLE) {
      tables.push({ name: at?.name ?? unquote(query.slice(d.Start, d.Start + d.Length)), start: d.Start, length: d.Length });
    } else if (at?.standalone) {
      standalone.push({ name: at.name, start: d.Start, length: d.Length });
    }
  }
  return { tables, standalone, functions };
}

/** Whether `after` has an error that `before` did not (same code at the same place). */
function introducesErrors(before: readonly KDiagnostic[], after: readonly KDiagnostic[]): boolean {
  const known = new Set(before.map(key));
  return after.some((d) => d.Severity === 'Error' && !known.has(key(d)));
}

function key(d: KDiagnostic): string {
  return `${d.Code}@${d.Start}+${d.Length}`;
}

/** `['Name']`, `'Name'` or `Name` → Name. */
function unquote(text: string): string {
  const inner = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return /^(['"]).*\1$/s.test(inner) ? inner.slice(1, -1) : inner;
}

function toKqlDiagnostics(diagnostics: readonly KDiagnostic[]): KqlDiagnostic[] {
  const out: KqlDiagnostic[] = [];
  for (const d of diagnostics) {
    const severity = mapSeverity(d.Severity);
    if (!severity) continue;
    out.push({
      kustoCode: d.Code ?? '',
      severity,
      message: d.Message ?? '',
      start: d.HasLocation ? d.Start : 0,
      length: d.HasLocation ? d.Length : 0,
    });
  }
  return out.sort((a, b) => a.start - b.start || compareText(a.kustoCode, b.kustoCode));
}

/** Kusto.Language's DiagnosticSeverity: Error, Warning, Suggestion, Information, Hidden (dropped). */
function mapSeverity(severity: string | null): KqlDiagnostic['severity'] | undefined {
  switch (severity) {
    case 'Error':
      return 'error';
    case 'Warning':
      return 'warning';
    case 'Suggestion':
    case 'Information':
      return 'suggestion';
    default:
      return undefined;
  }
}

function resultTable(code: KustoCode, tableKind: number): KTableSymbol | undefined {
  const type = code.ResultType;
  return type?.Kind === tableKind ? (type as KTableSymbol) : undefined;
}

/** Column types outside the scalar list ('unknown' for a column of an open table, dynamic subtypes) become dynamic. */
function resultColumns(table: KTableSymbol): ColumnSchema[] {
  return toArray(table.Columns).map((c) => {
    const type = c.Type?.Name;
    return { name: c.Name ?? '', type: isKqlType(type) ? type : 'dynamic' };
  });
}
