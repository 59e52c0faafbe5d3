// Table schemas and watchlists → Kusto.Language symbols. Built once per environment and reused for
// every query: building symbols and a GlobalState is the part Kusto.Language caches on, so it must
// not happen per query.
import {
  kusto,
  type KColumnSymbol,
  type KCustomReturnTypeContext,
  type KGlobalState,
  type KSymbol,
  type KTableSymbol,
  type KTypeSymbol,
  type KustoLanguage,
} from './kusto.ts';
import { compareText } from '../text/compare.ts';
import type { ColumnSchema, KqlType, TableSchema, WatchlistSchema } from './types.ts';

export const WATCHLIST_FUNCTION = '_GetWatchlist';

/**
 * What `_GetWatchlist('<alias>')` returns besides the watchlist's own columns. Sentinel's function
 * reads the Watchlist table, keeps the latest non-deleted version of each item (arg_max by
 * _DTItemId), drops its bookkeeping columns and unpacks the item's CSV values into columns
 * (bag_unpack): what remains is _DTItemId, LastUpdatedTimeUTC and SearchKey, then the CSV columns.
 */
export const WATCHLIST_METADATA_COLUMNS: readonly ColumnSchema[] = [
  { name: '_DTItemId', type: 'string' },
  { name: 'LastUpdatedTimeUTC', type: 'datetime' },
  { name: 'SearchKey', type: 'string' },
];

const DATABASE_NAME = 'workspace';

/** Symbols for one set of table schemas and watchlists; create with createKqlEnvironment. */
export class KqlEnvironment {
  /** Table names, sorted. */
  readonly tables: readonly string[];
  /** Watchlist aliases, sorted. */
  readonly watchlists: readonly string[];

  /** The globals every query of this environment is analyzed with (exposed for benchmarks). */
  readonly globals: KGlobalState;
  /** The database members (tables and _GetWatchlist), to derive globals with placeholder tables. */
  private readonly members: readonly KSymbol[];
  private readonly tableSymbols: ReadonlySet<KSymbol>;

  constructor(globals: KGlobalState, members: readonly KSymbol[], tableSymbols: ReadonlySet<KSymbol>, tables: readonly string[], watchlists: readonly string[]) {
    this.globals = globals;
    this.members = members;
    this.tableSymbols = tableSymbols;
    this.tables = [...tables].sort(compareText);
    this.watchlists = [...watchlists].sort(compareText);
  }

  /** Whether `symbol` is one of this environment's tables (not a placeholder or a let variable). */
  isTable(symbol: KSymbol): boolean {
    return this.tableSymbols.has(symbol);
  }

  hasWatchlist(alias: string): boolean {
    return this.watchlists.includes(alias);
  }

  /**
   * Globals where each of `names` is an open table with no declared columns: a query that reads an
   * unknown table is analyzed again with these, so that its columns raise no follow-on errors.
   */
  withPlaceholderTables(names: readonly string[]): KGlobalState {
    const k = kusto();
    const placeholders = names.map((name) => new k.Symbols.TableSymbol.$ctor4(name, []).WithIsOpen(true));
    const database = new k.Symbols.DatabaseSymbol.ctor(DATABASE_NAME, [...this.members, ...placeholders]);
    return k.GlobalState.Default.WithDatabase(database);
  }
}

export function createKqlEnvironment(input: { tables: readonly TableSchema[]; watchlists: readonly WatchlistSchema[] }): KqlEnvironment {
  const k = kusto();
  const types = scalarTypes(k);
  const column = (c: ColumnSchema): KColumnSymbol => new k.Symbols.ColumnSymbol(c.name, types[c.type], null, null, null, null);

  const tables = new Map<string, KTableSymbol>();
  for (const table of input.tables) {
    if (tables.has(table.name)) throw new Error(`table ${table.name} is declared twice`);
    tables.set(table.name, new k.Symbols.TableSymbol.$ctor4(table.name, table.columns.map(column)));
  }

  // Typing decision: a watchlist's columns carry the types its definition declares (Score: int).
  // In the service every CSV value arrives as a string, so a query that must run should still
  // convert (toint(Score)); typed as declared, both `toint(Score)` and `Score` analyze, and a result
  // column such as IpsumScore = toint(Score) gets the type the rule means.
  const watchlists = new Map<string, KTableSymbol>();
  for (const watchlist of input.watchlists) {
    if (watchlists.has(watchlist.alias)) throw new Error(`watchlist ${watchlist.alias} is declared twice`);
    const metadata = new Set(WATCHLIST_METADATA_COLUMNS.map((c) => c.name));
    const own = watchlist.columns.filter((c) => !metadata.has(c.name));
    watchlists.set(watchlist.alias, new k.Symbols.TableSymbol.$ctor4(null, [...WATCHLIST_METADATA_COLUMNS, ...own].map(column)));
  }
  // An unknown alias (or one that is not a string literal) gives an open table: any column name
  // resolves, so a misspelt alias is reported once (KqlAnalysis.watchlists, known: false) instead
  // of once per column the query reads from it.
  const unknownWatchlist = new k.Symbols.TableSymbol.$ctor4(null, WATCHLIST_METADATA_COLUMNS.map(column)).WithIsOpen(true);

  const returnType = (context: KCustomReturnTypeContext): KTypeSymbol => {
    const args = context.Arguments;
    const first = args && args.Count > 0 ? args.getItem(0) : null;
    const alias = typeof first?.LiteralValue === 'string' ? first.LiteralValue : undefined;
    return (alias !== undefined ? watchlists.get(alias) : undefined) ?? unknownWatchlist;
  };
  const getWatchlist = new k.Symbols.FunctionSymbol.ctor(WATCHLIST_FUNCTION, returnType, k.Symbols.Tabularity.Tabular, [
    new k.Symbols.Parameter.$ctor2('watchlistAlias', types.string),
  ]);

  const members: KSymbol[] = [...tables.values(), getWatchlist];
  const database = new k.Symbols.DatabaseSymbol.ctor(DATABASE_NAME, members);
  const globals = k.GlobalState.Default.WithDatabase(database);
  return new KqlEnvironment(globals, members, new Set<KSymbol>(tables.values()), [...tables.keys()], [...watchlists.keys()]);
}

function scalarTypes(k: KustoLanguage): Record<KqlType, KTypeSymbol> {
  const s = k.Symbols.ScalarTypes;
  return {
    string: s.String,
    int: s.Int,
    long: s.Long,
    real: s.Real,
    decimal: s.Decimal,
    bool: s.Bool,
    datetime: s.DateTime,
    timespan: s.TimeSpan,
    dynamic: s.Dynamic,
    guid: s.Guid,
  };
}
