// Table schemas, functions and watchlists → Kusto.Language symbols, lazily. The repository's own
// tables (schemas/tables/) are symbols from the start; everything a SchemaProvider knows (the
// generated catalog of ~920 tables, ASIM and solution functions, later workspace snapshots) becomes a
// symbol only when a query names it: building every catalog table would cost ~0.3 s per process.
// Globals are cached by the exact set of symbols a query needs, so a query's analysis never depends on
// which queries ran before it (the same answer in any order, in any worker).
import type { FunctionSchema, SchemaProvider } from '../catalog/provider.ts';
import { compareText } from '../text/compare.ts';
import {
  kusto,
  toArray,
  type KColumnSymbol,
  type KCustomReturnTypeContext,
  type KDatabaseSymbol,
  type KGlobalState,
  type KParameter,
  type KSymbol,
  type KTableSymbol,
  type KTypeSymbol,
  type KustoCode,
  type KustoLanguage,
} from './kusto.ts';
import { namesInText, referencedNames, type ReferencedNames } from './names.ts';
import type { ColumnSchema, KqlType, TableSchema, WatchlistSchema } from './types.ts';

export const WATCHLIST_FUNCTION = '_GetWatchlist';
/** Cross-resource functions of Log Analytics: `workspace("…").Table` reads another workspace's table, `app("…")` Application Insights. */
export const CROSS_RESOURCE_FUNCTIONS = ['workspace', 'app', 'resource'] as const;

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
const MAX_CACHED_GLOBALS = 4096;
/**
 * Globals asked for before Kusto.Language's own cache pays: the cache saves a copy of the globals per
 * bind, but making it costs about 0.2 s, a fifth of a one-rule validate. A repository of a few rules
 * asks for globals a handful of times; a large one asks hundreds of times and gets the cache.
 */
const GLOBALS_BEFORE_CACHE = 16;
/** Table symbols by schema object, shared by every environment (see KqlEnvironment.schemaTable). */
const TABLE_SYMBOLS = new WeakMap<TableSchema, KTableSymbol>();

/**
 * What an environment is built from. Validation workers (scripts/workers/) build the same environment
 * from a plain-data description of it: the lists as they are, each provider by its `source`.
 */
export interface KqlEnvironmentInput {
  /** The repository's own tables (schemas/tables/): they win over every provider. */
  tables: readonly TableSchema[];
  watchlists: readonly WatchlistSchema[];
  /** The repository's own functions (schemas/functions/). */
  functions?: readonly FunctionSchema[];
  /** Further schema knowledge, asked by name (the generated catalog; workspace snapshots). */
  providers?: readonly SchemaProvider[];
  /** How many requests for globals come before new globals get Kusto.Language's cache (default GLOBALS_BEFORE_CACHE). */
  globalsBeforeCache?: number;
}

/** A query parsed and given the globals that hold every symbol it may read. */
export interface PreparedQuery {
  parsed: KustoCode;
  globals: KGlobalState;
  /** The provider symbols in `globals` (to derive globals with placeholders for unknown names). */
  members: readonly KSymbol[];
  /** The names the parse tree refers to (what `members` were selected by). */
  names: ReferencedNames;
}

type Found = { kind: 'table'; table: TableSchema } | { kind: 'function'; fn: FunctionSchema };

/** What a name in a query stands for; `unknown` when no schema declares it. */
export type NameKind = 'table' | 'function' | 'unknown';

/** Symbols for one set of schemas and watchlists; create with createKqlEnvironment. */
export class KqlEnvironment {
  /** The repository's table names (schemas/tables/), sorted. */
  readonly tables: readonly string[];
  /** Watchlist aliases, sorted. */
  readonly watchlists: readonly string[];
  /** Globals with the repository's tables and the built-in functions only (no provider symbols). */
  readonly globals: KGlobalState;

  private readonly k: KustoLanguage;
  private readonly types: ReturnType<typeof scalarTypes>;
  private readonly base: readonly KSymbol[];
  private readonly builtins: readonly KSymbol[];
  private readonly providers: readonly SchemaProvider[];
  private readonly repoFunctions: ReadonlyMap<string, FunctionSchema>;
  private readonly tableSymbols = new Set<KSymbol>();
  private readonly providerTables = new Map<string, KTableSymbol>();
  private readonly functionSymbols = new Map<string, KSymbol>();
  private readonly bodyNames = new Map<string, ReferencedNames>();
  private readonly cache = new Map<string, KGlobalState>();
  private globalsAsked = 0;
  private readonly globalsBeforeCache: number;
  private readonly found = new Map<string, Found | undefined>();
  private readonly repoTables: ReadonlySet<string>;

  constructor(input: KqlEnvironmentInput) {
    this.k = kusto();
    this.types = scalarTypes(this.k);
    this.providers = input.providers ?? [];
    this.globalsBeforeCache = input.globalsBeforeCache ?? GLOBALS_BEFORE_CACHE;
    this.repoFunctions = new Map((input.functions ?? []).map((f) => [f.name, f]));
    const tables = new Map<string, KTableSymbol>();
    for (const table of input.tables) {
      if (tables.has(table.name)) throw new Error(`table ${table.name} is declared twice`);
      const symbol = this.table(table.name, table.columns);
      tables.set(table.name, symbol);
      this.tableSymbols.add(symbol);
    }
    this.repoTables = new Set(tables.keys());
    this.tables = [...tables.keys()].sort(compareText);
    const watchlists = this.watchlistFunction(input.watchlists);
    this.watchlists = watchlists.aliases;
    this.base = [...tables.values()];
    // workspace("…") and resource("…") return the database being bound, the one of the query's globals: a
    // rule that reads another workspace's table is checked against the same schema (the same standard tables).
    const current = (context: KCustomReturnTypeContext): KDatabaseSymbol => context.CurrentDatabase ?? context.Globals!.Database;
    this.builtins = [
      watchlists.symbol,
      this.crossResource('app', new this.k.Symbols.DatabaseSymbol.$ctor1('app', [], true)),
      this.crossResource('workspace', current),
      this.crossResource('resource', current),
    ];
    this.globals = this.globalsOf([], '');
  }

  /** Whether `symbol` is a table of this environment (not a placeholder or a let variable). */
  isTable(symbol: KSymbol): boolean {
    return this.tableSymbols.has(symbol);
  }

  hasWatchlist(alias: string): boolean {
    return this.watchlists.includes(alias);
  }

  /** What `name` is in this environment's schemas. */
  kindOf(name: string): NameKind {
    if (this.repoTables.has(name)) return 'table';
    return this.lookup(name)?.kind ?? 'unknown';
  }

  /** The declaration of a function a query may call (repository first, then the providers). */
  functionSchema(name: string): FunctionSchema | undefined {
    const found = this.lookup(name);
    return found?.kind === 'function' ? found.fn : undefined;
  }

  /** Function names (repository's and providers') starting with `prefix`, case-insensitive, sorted. */
  functionNamesStartingWith(prefix: string): string[] {
    const all = [...this.repoFunctions.keys(), ...this.providers.flatMap((p) => p.functionNames())];
    return [...new Set(all.filter((n) => n.toLowerCase().startsWith(prefix.toLowerCase())))].sort(compareText);
  }

  /** Every table name the environment knows (for suggestions). */
  allTableNames(): string[] {
    return [...new Set([...this.tables, ...this.providers.flatMap((p) => p.tableNames())])].sort(compareText);
  }

  /** Parse `query` and build (or reuse) the globals holding every table and function it names. */
  prepare(query: string): PreparedQuery {
    return this.preparedFrom(this.k.KustoCode.Parse(query, this.globals));
  }

  /**
   * The query analyzed with prepare()'s globals: the same result as `prepare(query).parsed.Analyze(globals)`,
   * mostly in one parse instead of two. The names are guessed from the text first (names.ts), so that
   * Kusto.Language parses and binds in one pass; when the tree's names select other members than the
   * guess did, the query is analyzed again with the tree's globals.
   */
  analyze(query: string): { prepared: PreparedQuery; code: KustoCode } {
    const guess = this.membersFor(namesInText(query));
    const guessKey = keyOf(guess);
    const code = this.k.KustoCode.ParseAndAnalyze(
      query,
      this.globalsOf(
        guess.map((m) => m.symbol),
        guessKey,
      ),
    );
    const prepared = this.preparedFrom(code);
    return { prepared, code: prepared.key === guessKey ? code : code.Analyze(prepared.globals) };
  }

  private preparedFrom(parsed: KustoCode): PreparedQuery & { key: string } {
    const names = referencedNames(parsed);
    const members = this.membersFor(names);
    const key = keyOf(members);
    const symbols = members.map((m) => m.symbol);
    return { parsed, globals: this.globalsOf(symbols, key), members: symbols, names, key };
  }

  /**
   * Globals of a prepared query where each unknown table is an open table with no declared columns
   * and each unknown function returns an open table (or, `scalar`, an unknown scalar) whatever its
   * arguments: a query that reads an unknown name is analyzed again with these, so that what it does
   * with it raises no follow-on errors.
   */
  withPlaceholders(
    prepared: PreparedQuery,
    tables: readonly string[],
    functions: readonly { name: string; scalar: boolean; named?: readonly string[] }[] = [],
  ): KGlobalState {
    const k = this.k;
    const open = new k.Symbols.TableSymbol.$ctor4(null, []).WithIsOpen(true);
    const placeholders: KSymbol[] = tables.map((name) => new k.Symbols.TableSymbol.$ctor4(name, []).WithIsOpen(true));
    for (const f of functions) {
      // Named parameters first: Kusto.Language matches a trailing repeatable parameter last.
      const parameters = [...(f.named ?? []).map((name) => this.optional(name)), this.anyArguments()];
      placeholders.push(
        f.scalar
          ? new k.Symbols.FunctionSymbol.ctor(f.name, () => this.types.unknown, k.Symbols.Tabularity.Unknown, parameters)
          : new k.Symbols.FunctionSymbol.ctor(f.name, () => open, k.Symbols.Tabularity.Tabular, parameters),
      );
    }
    return this.globalsOf([...prepared.members, ...placeholders], undefined);
  }

  private lookup(name: string): Found | undefined {
    // Memoized: every query asks about its words twice (the text's guess and the tree), and keywords recur.
    if (this.found.has(name)) return this.found.get(name);
    const found = this.lookupUncached(name);
    this.found.set(name, found);
    return found;
  }

  private lookupUncached(name: string): Found | undefined {
    const repo = this.repoFunctions.get(name);
    if (repo) return { kind: 'function', fn: repo };
    for (const provider of this.providers) {
      const table = provider.table(name);
      if (table) return { kind: 'table', table };
      const fn = provider.function(name);
      if (fn) return { kind: 'function', fn };
    }
    return undefined;
  }

  private membersFor(refs: ReferencedNames): { key: string; symbol: KSymbol }[] {
    const out = new Map<string, { key: string; symbol: KSymbol }>();
    const visit = (names: ReferencedNames, depth: number): void => {
      for (const name of names.names) {
        if (out.has(name) || this.repoTables.has(name) || name === WATCHLIST_FUNCTION || name === 'app') continue;
        if (name === 'workspace' || name === 'resource') continue;
        const found = this.lookup(name);
        if (!found) continue;
        if (found.kind === 'table') {
          out.set(name, { key: name, symbol: this.providerTable(found.table) });
        } else {
          const extra =
            found.fn.moreNamed || found.fn.parameters === undefined ? [...(refs.namedArguments.get(name) ?? [])].sort(compareText) : [];
          out.set(name, { key: extra.length ? `${name}(${extra.join(',')})` : name, symbol: this.functionSymbol(found.fn, extra) });
          // A declared body reads tables and functions of its own: they must be in the globals too.
          if (found.fn.body !== undefined && depth < 8) visit(this.namesInBody(found.fn), depth + 1);
        }
      }
      for (const pattern of names.wildcards) {
        for (const table of this.allTableNames()) {
          if (!pattern.test(table) || out.has(table) || this.repoTables.has(table)) continue;
          const found = this.lookup(table);
          if (found?.kind === 'table') out.set(table, { key: table, symbol: this.providerTable(found.table) });
        }
      }
    };
    visit(refs, 0);
    return [...out.values()].sort((a, b) => compareText(a.key, b.key));
  }

  private globalsOf(members: readonly KSymbol[], key: string | undefined): KGlobalState {
    this.globalsAsked++;
    const cached = key === undefined ? undefined : this.cache.get(key);
    if (cached) return cached;
    const k = this.k;
    const database = new k.Symbols.DatabaseSymbol.ctor(DATABASE_NAME, [...this.base, ...members, ...this.builtins]);
    // With the parse options KustoCode.Parse and ParseAndAnalyze apply (end tokens), and, once enough
    // work has come to pay for it, with a cache: without one, the binder binds against a copy of the
    // globals each time, rebuilding their lookups.
    const base = k.GlobalState.Default.WithDatabase(database);
    const parsing = base.WithParseOptions(base.ParseOptions.WithAlwaysProduceEndTokens(true));
    const globals = this.globalsAsked > this.globalsBeforeCache ? parsing.WithCache() : parsing;
    if (key !== undefined) {
      if (this.cache.size >= MAX_CACHED_GLOBALS) this.cache.delete(this.cache.keys().next().value!);
      this.cache.set(key, globals);
    }
    return globals;
  }

  private crossResource(name: string, target: KDatabaseSymbol | ((context: KCustomReturnTypeContext) => KDatabaseSymbol)): KSymbol {
    const k = this.k;
    const returnType = typeof target === 'function' ? target : () => target;
    return new k.Symbols.FunctionSymbol.ctor(name, returnType as unknown as () => KTypeSymbol, k.Symbols.Tabularity.Tabular, [
      new k.Symbols.Parameter.$ctor2('name', this.types.string),
    ]);
  }

  /**
   * The symbol of a table schema, the same object for the same schema object in every environment of the
   * process (a symbol is immutable; globals differ only in which symbols they hold). By the schema's
   * identity, never its name: two workspaces' custom tables of the same name are two schemas.
   */
  private schemaTable(schema: TableSchema): KTableSymbol {
    let symbol = TABLE_SYMBOLS.get(schema);
    if (!symbol) {
      symbol = this.table(schema.name, schema.columns);
      if (schema.open) symbol = symbol.WithIsOpen(true);
      TABLE_SYMBOLS.set(schema, symbol);
    }
    return symbol;
  }

  private table(name: string | null, columns: readonly ColumnSchema[]): KTableSymbol {
    const k = this.k;
    return new k.Symbols.TableSymbol.$ctor4(
      name,
      columns.map((c): KColumnSymbol => new k.Symbols.ColumnSymbol(c.name, this.types[c.type], null, null, null, null)),
    );
  }

  private providerTable(schema: TableSchema): KTableSymbol {
    let symbol = this.providerTables.get(schema.name);
    if (!symbol) {
      symbol = this.schemaTable(schema);
      this.providerTables.set(schema.name, symbol);
      this.tableSymbols.add(symbol);
    }
    return symbol;
  }

  private functionSymbol(fn: FunctionSchema, extraNamed: readonly string[]): KSymbol {
    const key = `${fn.name}(${extraNamed.join(',')})`;
    const cached = this.functionSymbols.get(key);
    if (cached) return cached;
    const k = this.k;
    let symbol: KSymbol;
    if (fn.body !== undefined) {
      symbol = new k.Symbols.FunctionSymbol.$ctor16(fn.name, fn.parameters ?? '()', `{\n${fn.body}\n}`, null);
    } else {
      const result = fn.columns ? this.table(null, fn.columns) : new k.Symbols.TableSymbol.$ctor4(null, []).WithIsOpen(true);
      const extra = extraNamed.map((name) => this.optional(name));
      const parameters =
        fn.parameters === undefined
          ? [...extra, this.anyArguments()]
          : [...toArray(k.Symbols.Parameter.ParseList(fn.parameters)), ...extra];
      symbol = new k.Symbols.FunctionSymbol.ctor(fn.name, () => result, k.Symbols.Tabularity.Tabular, parameters);
    }
    this.functionSymbols.set(key, symbol);
    return symbol;
  }

  private namesInBody(fn: FunctionSchema): ReferencedNames {
    let names = this.bodyNames.get(fn.name);
    if (!names) {
      names = referencedNames(this.k.KustoCode.Parse(fn.body ?? '', this.globals));
      this.bodyNames.set(fn.name, names);
    }
    return names;
  }

  /**
   * An optional parameter for a named argument whose declaration is unknown. ASIM names its list
   * filters `…_has_any`, `…_has_any_prefix`, `…_has_all`, `…_in`: those are dynamic (which also takes a
   * one-column table, as `imDns(response_has_any_prefix=IPList)` passes); any other takes any scalar.
   */
  private optional(name: string): KParameter {
    const k = this.k;
    if (/_(has_any|has_any_prefix|has_all|in)$/.test(name))
      return toArray(k.Symbols.Parameter.ParseList(`(${name}:dynamic=dynamic([]))`))[0]!;
    return new k.Symbols.Parameter.ctor(
      name,
      k.Symbols.ParameterTypeKind.Scalar,
      k.Symbols.ArgumentKind.Expression,
      null,
      null,
      false,
      null,
      0,
      1,
      null,
      null,
    );
  }

  /** Any number (0–64) of positional scalar arguments: a function whose parameters are unknown. */
  private anyArguments(): KParameter {
    const k = this.k;
    return new k.Symbols.Parameter.ctor(
      'arguments',
      k.Symbols.ParameterTypeKind.Scalar,
      k.Symbols.ArgumentKind.Expression,
      null,
      null,
      false,
      null,
      0,
      64,
      null,
      null,
    );
  }

  private watchlistFunction(input: readonly WatchlistSchema[]): { symbol: KSymbol; aliases: string[] } {
    const k = this.k;
    // Typing decision: a watchlist's columns carry the types its definition declares (Score: int).
    // In the service every CSV value arrives as a string, so a query that must run should still
    // convert (toint(Score)); typed as declared, both `toint(Score)` and `Score` analyze, and a result
    // column such as IpsumScore = toint(Score) gets the type the rule means.
    const watchlists = new Map<string, KTableSymbol>();
    const metadata = new Set(WATCHLIST_METADATA_COLUMNS.map((c) => c.name));
    for (const watchlist of input) {
      if (watchlists.has(watchlist.alias)) throw new Error(`watchlist ${watchlist.alias} is declared twice`);
      const own = watchlist.columns.filter((c) => !metadata.has(c.name));
      watchlists.set(watchlist.alias, this.table(null, [...WATCHLIST_METADATA_COLUMNS, ...own]));
    }
    // An unknown alias (or one that is not a string literal) gives an open table: any column name
    // resolves, so a misspelt alias is reported once (KqlAnalysis.watchlists, known: false) instead
    // of once per column the query reads from it.
    const unknownWatchlist = this.table(null, WATCHLIST_METADATA_COLUMNS).WithIsOpen(true);
    const returnType = (context: KCustomReturnTypeContext): KTypeSymbol => {
      const args = context.Arguments;
      const first = args && args.Count > 0 ? args.getItem(0) : null;
      const alias = typeof first?.LiteralValue === 'string' ? first.LiteralValue : undefined;
      return (alias !== undefined ? watchlists.get(alias) : undefined) ?? unknownWatchlist;
    };
    const symbol = new k.Symbols.FunctionSymbol.ctor(WATCHLIST_FUNCTION, returnType, k.Symbols.Tabularity.Tabular, [
      new k.Symbols.Parameter.$ctor2('watchlistAlias', this.types.string),
    ]);
    return { symbol, aliases: [...watchlists.keys()].sort(compareText) };
  }
}

function keyOf(members: readonly { key: string }[]): string {
  return members.map((m) => m.key).join('\n');
}

export function createKqlEnvironment(input: KqlEnvironmentInput): KqlEnvironment {
  return new KqlEnvironment(input);
}

function scalarTypes(k: KustoLanguage): Record<KqlType, KTypeSymbol> & { unknown: KTypeSymbol } {
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
    unknown: s.Unknown,
  };
}
