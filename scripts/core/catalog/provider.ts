// The one question the KQL layer asks about a workspace's schema: what is <name>? A SchemaProvider
// answers for tables and functions; providers stack (the repository's own schemas/tables/ and
// schemas/functions/ over the generated catalog; later, a workspace's pulled schema snapshot over
// both) so that the validator never needs to know where a fact came from.
import type { ColumnSchema, TableSchema } from '../kql/types.ts';

export interface FunctionSchema {
  name: string;
  /** Kusto parameter list such as `(starttime:datetime=datetime(null), pack:bool=false)`; absent: any arguments. */
  parameters?: string;
  /** Named arguments beyond `parameters` are accepted unchecked (ASIM filtering parameters). */
  moreNamed?: boolean;
  /** Result columns; absent with no body: unknown (an open result: any column name resolves). */
  columns?: ColumnSchema[];
  /** KQL body (`{ … }` not included); Kusto.Language derives the result from it. */
  body?: string;
  /** Where the declaration comes from, for messages (e.g. `ASIM Authentication`, `schemas/functions/X.yaml`). */
  origin: string;
}

/**
 * Plain data a provider is rebuilt from (source.ts): validation worker threads receive a copy of it and
 * answer exactly as the provider it describes.
 */
export type ProviderSource =
  | { kind: 'list'; tables: readonly TableSchema[]; functions: readonly FunctionSchema[] }
  | { kind: 'catalog'; texts: { tables: string; functions: string; overlay: string } }
  | { kind: 'stack'; providers: readonly ProviderSource[] };

export interface SchemaProvider {
  /** The table, or undefined when this provider does not know it. Names are case-sensitive. */
  table(name: string): TableSchema | undefined;
  function(name: string): FunctionSchema | undefined;
  /** Every table name this provider knows (suggestions for a misspelt table). */
  tableNames(): readonly string[];
  /** Every function name this provider knows (suggestions). */
  functionNames(): readonly string[];
  /** What this provider is rebuilt from elsewhere; absent: it cannot be (validation then stays in one thread). */
  readonly source?: ProviderSource;
}

/** Tables and functions given as lists (schemas/tables/, schemas/functions/, a snapshot). */
export function listProvider(tables: readonly TableSchema[], functions: readonly FunctionSchema[] = []): SchemaProvider {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const fns = new Map(functions.map((f) => [f.name, f]));
  return {
    table: (name) => byName.get(name),
    function: (name) => fns.get(name),
    tableNames: () => [...byName.keys()],
    functionNames: () => [...fns.keys()],
    source: { kind: 'list', tables, functions },
  };
}

/** The first provider that knows a name answers for it. */
export function stackProviders(...providers: readonly SchemaProvider[]): SchemaProvider {
  return {
    table: (name) => {
      for (const p of providers) {
        const t = p.table(name);
        if (t) return t;
      }
      return undefined;
    },
    function: (name) => {
      for (const p of providers) {
        const f = p.function(name);
        if (f) return f;
      }
      return undefined;
    },
    tableNames: () => [...new Set(providers.flatMap((p) => p.tableNames()))],
    functionNames: () => [...new Set(providers.flatMap((p) => p.functionNames()))],
    ...(providers.every((p) => p.source) ? { source: { kind: 'stack', providers: providers.map((p) => p.source!) } } : {}),
  };
}
