// Parse and analyze one KQL query with Kusto.Language against the repo's table schemas and
// watchlists: its diagnostics, its result columns, the tables and watchlists it reads and its
// top-level lets (rule parameters). Offsets are UTF-16 code units into `query`, as JavaScript
// strings count them; the caller maps them into the YAML block scalar.
//
// Adding a table: put one file in schemas/tables/<Table>.json (format: schemas/table.schema.json:
// name, description, source, and the columns with their Kusto types, in the documentation's order).
// Every query is then analyzed against it; a query that reads a table without a schema gets an
// entry in `unknownTables` instead of a cascade of unknown-column errors.
import { kusto, toArray, type KDiagnostic, type KTableSymbol, type KustoCode } from './kusto.ts';
import type { KqlEnvironment } from './symbols.ts';
import { findReferences, nameAt, topLevelLets, type LetBinding, type WatchlistCall } from './syntax.ts';
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
}

export interface KqlAnalysis {
  /** Kusto.Language's diagnostics, minus those for unknown tables (see unknownTables) and their follow-on errors. */
  diagnostics: KqlDiagnostic[];
  /** Result columns (name and type, in order) when the query's result is a table, else undefined. */
  columns: ColumnSchema[] | undefined;
  /**
   * True when the result table is open: it derives from an unknown table or watchlist, so it may
   * have columns beyond `columns` (a column missing from the list proves nothing).
   */
  columnsOpen: boolean;
  /** Names in table position that no table schema declares, one entry per occurrence. */
  unknownTables: UnknownTable[];
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
// let, the whole query) it reports KS142, the unknown-column code.
const UNKNOWN_TABLE = 'KS204';
const UNKNOWN_NAME = 'KS142';

export function analyzeKql(env: KqlEnvironment, query: string): KqlAnalysis {
  const k = kusto();
  let code = k.KustoCode.ParseAndAnalyze(query, env.globals);
  let diagnostics = toArray(code.GetDiagnostics());
  let unknownTables: UnknownTable[] = [];

  if (diagnostics.some((d) => d.Code === UNKNOWN_TABLE || d.Code === UNKNOWN_NAME)) {
    const found = findUnknownTables(code, diagnostics, query);
    if (found.tables.length + found.standalone.length > 0) {
      // Analyze again with each unknown name declared as an open table: what the query does with
      // it then raises no errors, and every remaining diagnostic is a real one.
      const all = [...found.tables, ...found.standalone];
      let second = reanalyze(env, query, all);
      if (found.standalone.length > 0 && introducesErrors(diagnostics, second.diagnostics)) {
        // A bare unresolved name that is not used as a table (a misspelt scalar let): keep KS142.
        second = found.tables.length > 0 ? reanalyze(env, query, found.tables) : { code, diagnostics };
        unknownTables = found.tables;
      } else {
        unknownTables = all;
      }
      ({ code, diagnostics } = second);
    }
  }

  const result = resultTable(code, k.Symbols.SymbolKind.Table);
  const references = findReferences(code, env);
  return {
    diagnostics: toKqlDiagnostics(diagnostics),
    columns: result ? resultColumns(result) : undefined,
    columnsOpen: result?.IsOpen ?? false,
    unknownTables: unknownTables.sort((a, b) => a.start - b.start),
    watchlists: references.watchlists,
    tables: references.tables,
    lets: topLevelLets(code, query),
    syntax: code,
  };
}

function reanalyze(env: KqlEnvironment, query: string, unknown: readonly UnknownTable[]): { code: KustoCode; diagnostics: KDiagnostic[] } {
  const names = [...new Set(unknown.map((t) => t.name))];
  const code = kusto().KustoCode.ParseAndAnalyze(query, env.withPlaceholderTables(names));
  return { code, diagnostics: toArray(code.GetDiagnostics()) };
}

function findUnknownTables(code: KustoCode, diagnostics: readonly KDiagnostic[], query: string): { tables: UnknownTable[]; standalone: UnknownTable[] } {
  const tables: UnknownTable[] = [];
  const standalone: UnknownTable[] = [];
  for (const d of diagnostics) {
    if (d.Code !== UNKNOWN_TABLE && d.Code !== UNKNOWN_NAME) continue;
    const at = nameAt(code, d.Start);
    if (d.Code === UNKNOWN_TABLE) {
      tables.push({ name: at?.name ?? unquote(query.slice(d.Start, d.Start + d.Length)), start: d.Start, length: d.Length });
    } else if (at?.standalone) {
      standalone.push({ name: at.name, start: d.Start, length: d.Length });
    }
  }
  return { tables, standalone };
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
