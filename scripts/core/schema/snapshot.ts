// A workspace's schema as `schema pull` read it from Azure Resource Manager: its tables (standard and
// custom `_CL`, with their columns and plan), its saved functions (parsers) and its watchlists with
// their columns. One reviewed file per workspace, schemas/workspaces/<workspace label>.json, in this
// repository's own compact format (a column is "Name:type"). Deterministic: the same workspace state
// gives the same bytes (sorted names, no timestamp), so a pull that finds nothing new changes nothing
// and a pull request shows exactly which tables, columns or functions appeared or went.
import { stableJson } from '../compile/stable-json.ts';
import { ConfigError } from '../errors.ts';
import { isRecord } from '../guards.ts';
import { listProvider, type FunctionSchema, type SchemaProvider } from '../catalog/provider.ts';
import { isKqlType, type ColumnSchema, type KqlType, type TableSchema } from '../kql/types.ts';
import { compareText } from '../text/compare.ts';
import type { FailureInfo } from '../plan/results.ts';

export const SNAPSHOT_DIR = 'schemas/workspaces';
export const SNAPSHOT_FORMAT = 1;

export interface SnapshotTable {
  name: string;
  /** Analytics, Basic or Auxiliary (scheduled rules read Analytics tables only). */
  plan?: string;
  columns: ColumnSchema[];
}

export interface SnapshotFunction {
  /** The function alias queries call it by. */
  name: string;
  /** As the service stores it, e.g. `starttime:datetime=datetime(null), srcipaddr:string='*'`; absent: no parameters. */
  parameters?: string;
  body: string;
}

export interface SnapshotWatchlist {
  alias: string;
  searchKey?: string;
  /** Column names, from an item (empty when the watchlist has no item yet). */
  columns: string[];
}

export interface WorkspaceSnapshot {
  /** The workspace's label in workspaces.yaml. */
  workspace: string;
  environment: string;
  /** Log Analytics workspace and resource group it was pulled from (a later retarget makes it stale). */
  source: { resourceGroup: string; workspace: string };
  tables: SnapshotTable[];
  functions: SnapshotFunction[];
  watchlists: SnapshotWatchlist[];
}

/** What the Log Analytics tables API answers for one table (standard columns first, then custom ones). */
export interface LiveTable {
  name: string;
  plan?: string;
  columns: { name: string; type: string }[];
}

/** A saved search; only those with a function alias are functions. */
export interface LiveSavedSearch {
  functionAlias?: string;
  functionParameters?: string;
  query: string;
}

export interface LiveSchema {
  tables: LiveTable[];
  savedSearches: LiveSavedSearch[];
  watchlists: SnapshotWatchlist[];
}

// The tables API's column types (string, int, long, real, boolean, dateTime, guid, dynamic) → Kusto's.
const COLUMN_TYPES: Record<string, KqlType> = {
  string: 'string',
  int: 'int',
  long: 'long',
  real: 'real',
  boolean: 'bool',
  bool: 'bool',
  datetime: 'datetime',
  guid: 'guid',
  dynamic: 'dynamic',
  timespan: 'timespan',
  decimal: 'decimal',
};

export interface BuiltSnapshot {
  snapshot: WorkspaceSnapshot;
  /** What the live schema holds that the snapshot cannot (a column type Kusto does not have): kept as `dynamic`. */
  notes: string[];
}

export function buildSnapshot(
  target: { name: string; environment: string; resourceGroup: string; workspace: string },
  live: LiveSchema,
): BuiltSnapshot {
  const notes: string[] = [];
  const tables = new Map<string, SnapshotTable>();
  for (const table of live.tables) {
    if (tables.has(table.name)) continue;
    const seen = new Set<string>();
    const columns: ColumnSchema[] = [];
    for (const column of table.columns) {
      if (seen.has(column.name)) continue; // a name in both standardColumns and columns: the first wins
      seen.add(column.name);
      let type = COLUMN_TYPES[column.type.toLowerCase()];
      if (!type) {
        notes.push(`${table.name}.${column.name}: column type ${JSON.stringify(column.type)} is not a Kusto type; recorded as dynamic`);
        type = 'dynamic';
      }
      columns.push({ name: column.name, type });
    }
    tables.set(table.name, { name: table.name, ...(table.plan ? { plan: table.plan } : {}), columns });
  }
  const functions = new Map<string, SnapshotFunction>();
  for (const search of live.savedSearches) {
    const name = search.functionAlias?.trim();
    if (!name || functions.has(name)) continue;
    const parameters = search.functionParameters?.trim();
    functions.set(name, { name, ...(parameters ? { parameters } : {}), body: search.query.replace(/\r\n?/g, '\n') });
  }
  const watchlists = [...new Map(live.watchlists.map((w) => [w.alias, w])).values()];
  return {
    snapshot: {
      workspace: target.name,
      environment: target.environment,
      source: { resourceGroup: target.resourceGroup, workspace: target.workspace },
      tables: [...tables.values()].sort(byName),
      functions: [...functions.values()].sort(byName),
      watchlists: watchlists.sort((a, b) => compareText(a.alias, b.alias)),
    },
    notes: notes.sort(compareText),
  };
}

function byName(a: { name: string }, b: { name: string }): number {
  return compareText(a.name, b.name);
}

/** The file's text: stable JSON, names as keys (sorted), a column as `"Name:type"`. */
export function renderSnapshot(s: WorkspaceSnapshot): string {
  return stableJson({
    format: SNAPSHOT_FORMAT,
    workspace: s.workspace,
    environment: s.environment,
    source: s.source,
    tables: Object.fromEntries(
      s.tables.map((t) => [t.name, { ...(t.plan ? { plan: t.plan } : {}), columns: t.columns.map((c) => `${c.name}:${c.type}`) }]),
    ),
    functions: Object.fromEntries(
      s.functions.map((f) => [f.name, { ...(f.parameters ? { parameters: f.parameters } : {}), body: f.body }]),
    ),
    watchlists: Object.fromEntries(
      s.watchlists.map((w) => [w.alias, { ...(w.searchKey ? { searchKey: w.searchKey } : {}), columns: w.columns }]),
    ),
  });
}

/** A snapshot file's text → the snapshot; anything malformed throws ConfigError naming the file and the place. */
export function parseSnapshot(file: string, text: string): WorkspaceSnapshot {
  const fail = (problem: string): never => {
    throw new ConfigError(
      `workspace snapshot ${file}: ${problem}`,
      file,
      'Snapshots are written by `npm run cli -- schema pull`: pull it again rather than editing it by hand.',
    );
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value)) return fail('expected a JSON object');
  if (value.format !== SNAPSHOT_FORMAT) fail(`"format" must be ${SNAPSHOT_FORMAT}, got ${JSON.stringify(value.format)}`);
  const nonEmpty = (v: unknown, where: string): string =>
    typeof v === 'string' && v !== '' ? v : fail(`${where} must be a non-empty string`);
  const record = (v: unknown, where: string): Record<string, unknown> => (isRecord(v) ? v : fail(`${where} must be an object`));
  const strings = (v: unknown, where: string): string[] =>
    Array.isArray(v) && v.every((s) => typeof s === 'string') ? v : fail(`${where} must be an array of strings`);
  const source = record(value.source, '"source"');

  const tables = Object.entries(record(value.tables, '"tables"')).map(([name, raw]): SnapshotTable => {
    const t = record(raw, `tables.${name}`);
    const columns = strings(t.columns, `tables.${name}.columns`).map((entry, i): ColumnSchema => {
      const at = entry.lastIndexOf(':');
      const type = entry.slice(at + 1);
      if (at <= 0 || !isKqlType(type)) fail(`tables.${name}.columns[${i}] ${JSON.stringify(entry)} is not "Name:type" with a Kusto type`);
      return { name: entry.slice(0, at), type: type as KqlType };
    });
    return { name, ...(t.plan !== undefined ? { plan: nonEmpty(t.plan, `tables.${name}.plan`) } : {}), columns };
  });
  const functions = Object.entries(record(value.functions, '"functions"')).map(([name, raw]): SnapshotFunction => {
    const f = record(raw, `functions.${name}`);
    return {
      name,
      ...(f.parameters !== undefined ? { parameters: nonEmpty(f.parameters, `functions.${name}.parameters`) } : {}),
      body: typeof f.body === 'string' ? f.body : fail(`functions.${name}.body must be a string`),
    };
  });
  const watchlists = Object.entries(record(value.watchlists, '"watchlists"')).map(([alias, raw]): SnapshotWatchlist => {
    const w = record(raw, `watchlists.${alias}`);
    return {
      alias,
      ...(w.searchKey !== undefined ? { searchKey: nonEmpty(w.searchKey, `watchlists.${alias}.searchKey`) } : {}),
      columns: strings(w.columns, `watchlists.${alias}.columns`),
    };
  });
  return {
    workspace: nonEmpty(value.workspace, '"workspace"'),
    environment: nonEmpty(value.environment, '"environment"'),
    source: {
      resourceGroup: nonEmpty(source.resourceGroup, 'source.resourceGroup'),
      workspace: nonEmpty(source.workspace, 'source.workspace'),
    },
    tables: tables.sort(byName),
    functions: functions.sort(byName),
    watchlists: watchlists.sort((a, b) => compareText(a.alias, b.alias)),
  };
}

export interface SnapshotChanges {
  tablesAdded: string[];
  tablesRemoved: string[];
  /** Tables whose columns or plan changed. */
  tablesChanged: string[];
  functionsAdded: string[];
  functionsRemoved: string[];
  functionsChanged: string[];
  watchlistsAdded: string[];
  watchlistsRemoved: string[];
  watchlistsChanged: string[];
}

/** What a pull changes compared with the committed snapshot (everything is added when there was none). */
export function snapshotChanges(before: WorkspaceSnapshot | undefined, after: WorkspaceSnapshot): SnapshotChanges {
  const diff = <T extends object>(a: readonly T[], b: readonly T[], key: (x: T) => string) => {
    const old = new Map(a.map((x) => [key(x), JSON.stringify(x)]));
    const now = new Map(b.map((x) => [key(x), JSON.stringify(x)]));
    return {
      added: [...now.keys()].filter((k) => !old.has(k)),
      removed: [...old.keys()].filter((k) => !now.has(k)),
      changed: [...now.keys()].filter((k) => old.has(k) && old.get(k) !== now.get(k)),
    };
  };
  const t = diff(before?.tables ?? [], after.tables, (x) => x.name);
  const f = diff(before?.functions ?? [], after.functions, (x) => x.name);
  const w = diff(before?.watchlists ?? [], after.watchlists, (x) => x.alias);
  return {
    tablesAdded: t.added,
    tablesRemoved: t.removed,
    tablesChanged: t.changed,
    functionsAdded: f.added,
    functionsRemoved: f.removed,
    functionsChanged: f.changed,
    watchlistsAdded: w.added,
    watchlistsRemoved: w.removed,
    watchlistsChanged: w.changed,
  };
}

/**
 * Snapshots as a SchemaProvider (the same interface as the table catalog): a table any of them has,
 * with the union of its columns over all of them (the repository-wide analysis; one workspace's own
 * check gives its snapshot alone); a function from the first snapshot, by workspace label, that has it.
 */
export function snapshotProvider(snapshots: readonly { path: string; snapshot: WorkspaceSnapshot }[]): SchemaProvider {
  const sorted = [...snapshots].sort((a, b) => compareText(a.snapshot.workspace, b.snapshot.workspace));
  const tables = new Map<string, TableSchema>();
  const functions = new Map<string, FunctionSchema>();
  for (const { snapshot } of sorted) {
    for (const table of snapshot.tables) {
      const known = tables.get(table.name);
      if (!known) {
        tables.set(table.name, { name: table.name, columns: [...table.columns] });
        continue;
      }
      const names = new Set(known.columns.map((c) => c.name));
      for (const column of table.columns) if (!names.has(column.name)) known.columns.push(column);
    }
  }
  for (const { path, snapshot } of sorted) {
    for (const f of snapshot.functions) {
      if (functions.has(f.name)) continue;
      functions.set(f.name, { name: f.name, parameters: `(${f.parameters ?? ''})`, body: f.body, origin: `workspace function in ${path}` });
    }
  }
  // As a list provider, it has a source: validation workers rebuild it from the merged lists.
  return listProvider([...tables.values()], [...functions.values()]);
}

/** A provider's functions only: what every workspace can call (the catalog's), none of its tables. */
export function functionsOnly(providers: readonly SchemaProvider[]): SchemaProvider {
  return {
    table: () => undefined,
    function: (name) => {
      for (const p of providers) {
        const f = p.function(name);
        if (f) return f;
      }
      return undefined;
    },
    tableNames: () => [],
    functionNames: () => [...new Set(providers.flatMap((p) => p.functionNames()))],
  };
}

/** One workspace's outcome of `schema pull`, as the command returns it and the reporters render it. */
export interface WorkspacePull {
  name: string;
  environment: string;
  file: string;
  status: 'written' | 'unchanged' | 'failed';
  tables: number;
  functions: number;
  watchlists: number;
  /** Compared with the snapshot that was there (everything is "added" for a first pull). */
  changes?: SnapshotChanges;
  notes: string[];
  error?: FailureInfo;
}
