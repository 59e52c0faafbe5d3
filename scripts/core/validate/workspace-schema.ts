// Each rule against the pulled schema of each workspace it deploys to (schemas/workspaces/<label>.json):
// the failures that otherwise only show up as a 400 in the middle of a deploy — a table the workspace
// does not have (no connector yet), a column its version of a table lacks (custom `_CL` tables
// differ between workspaces), a function (parser) it lacks, a watchlist that is not there, a table on a
// plan analytics rules cannot query. Each diagnostic lands in the rule's query and names the workspace and its snapshot.
//
// A rule that already has errors is not checked again per workspace (its problems are reported once).
// The query is analyzed with its default parameter values. Analyses are shared: a rule is analyzed
// again for a workspace only when a table or function it reads (directly, or through a function's
// body) is defined differently there than in the repository-wide analysis that found it clean, or is
// on a plan rules cannot query; and once per distinct set of such definitions (workspaces of one
// environment usually agree). Hundreds of rules over tens of workspaces stay fast.
import { appendAll } from '../diagnostics.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { asRecord, asString } from '../guards.ts';
import { analyzeKql, type KqlAnalysis } from '../kql/analyze.ts';
import { kusto } from '../kql/kusto.ts';
import { referencedNames } from '../kql/names.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../kql/symbols.ts';
import type { TableSchema, WatchlistSchema } from '../kql/types.ts';
import type { Workspace } from '../model/workspaces.ts';
import type { FunctionSchema, SchemaProvider } from '../catalog/provider.ts';
import { functionsOnly, snapshotProvider, type WorkspaceSnapshot } from '../schema/snapshot.ts';
import { checkResultColumns } from './kql.ts';
import { Reporter } from './report.ts';
import type { ParsedContent } from './validate.ts';
import { watchlistSchema } from './validate.ts';

export interface LoadedSnapshot {
  /** Repository path of the file. */
  path: string;
  /** The workspace label its file name says. */
  name: string;
  snapshot: WorkspaceSnapshot;
}

export interface WorkspaceSchemaInput {
  parsed: ParsedContent;
  /** What the other layers found: a file with an error is not checked again. */
  diagnostics: readonly Diagnostic[];
  /** The workspaces to check (those without a snapshot are skipped). */
  workspaces: readonly Workspace[];
  snapshots: readonly LoadedSnapshot[];
  /** Also report snapshots of workspaces that workspaces.yaml does not list (the full validate only). */
  reportOrphans?: boolean;
  /** Providers whose functions every workspace has (the catalog: ASIM and solution parsers); their tables do not count. */
  everywhere?: readonly SchemaProvider[];
  /** The repository's own tables and functions (schemas/tables/, schemas/functions/), as the repository-wide analysis used them. */
  repoTables?: readonly TableSchema[];
  repoFunctions?: readonly FunctionSchema[];
}

/** Plans whose tables scheduled analytics rules cannot query. */
const UNQUERYABLE_PLANS = new Set(['basic', 'auxiliary']);

export function workspaceSchemaDiagnostics(input: WorkspaceSchemaInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map(input.snapshots.map((s) => [s.name.toLowerCase(), s]));
  if (input.reportOrphans) {
    const listed = new Set(input.workspaces.map((w) => w.name.toLowerCase()));
    for (const s of input.snapshots) {
      if (listed.has(s.name.toLowerCase())) continue;
      out.push({
        code: 'workspaces.unknown-snapshot',
        severity: 'warning',
        file: s.path,
        line: 1,
        column: 1,
        message: `snapshot of workspace '${s.name}', which workspaces.yaml does not list: nothing is checked against it`,
        hint: "Delete it if the workspace is gone, or rename it after the workspace's new label.",
      });
    }
  }
  const failing = new Set(input.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const rules = input.parsed.rules.filter((r) => !failing.has(r.doc.file));
  const repoWatchlists = input.parsed.watchlists.map(watchlistSchema).filter((w): w is WatchlistSchema => !!w);
  const everywhere = input.everywhere ?? [];
  const repoWide = repoWideDefinitions(input);
  const names = new NameReader();
  const analyses = new Map<string, KqlAnalysis>();

  for (const workspace of input.workspaces) {
    const loaded = byName.get(workspace.name.toLowerCase());
    if (!loaded) continue;
    const { snapshot } = loaded;
    if (
      snapshot.source.workspace.toLowerCase() !== workspace.workspace.toLowerCase() ||
      snapshot.source.resourceGroup.toLowerCase() !== workspace.resourceGroup.toLowerCase()
    ) {
      out.push({
        code: 'workspaces.stale-snapshot',
        severity: 'warning',
        file: loaded.path,
        line: 1,
        column: 1,
        message: `pulled from ${snapshot.source.workspace} in ${snapshot.source.resourceGroup}, but workspace '${workspace.name}' now points at ${workspace.workspace} in ${workspace.resourceGroup}`,
        hint: pullHint(workspace),
      });
    }
    if (rules.length === 0) continue;
    let env: KqlEnvironment | undefined;
    const own = definitionsOf(snapshotProvider([loaded]), [functionsOnly(everywhere)]);
    const plans = new Map(snapshot.tables.map((t) => [t.name, t.plan])); // no plan: Analytics
    const where = `workspace ${workspace.name} (${workspace.environment})`;
    for (const rule of rules) {
      const value = asRecord(rule.doc.value) ?? {};
      const query = asString(value.query);
      if (!query) continue;
      const read = names.closure(query, (name) => own.body(name) ?? repoWide.body(name));
      const differs =
        read === undefined ||
        // Stryker disable next-line StringLiteral: any text but a plan's name does the same for a name that is no table
        [...read].some((n) => own.key(n) !== repoWide.key(n) || UNQUERYABLE_PLANS.has((plans.get(n) ?? '').toLowerCase()));
      if (!differs) continue; // exactly what the repository-wide analysis checked, and found clean
      const key = `${rule.doc.file}\u0000${
        read
          ? // Stryker disable next-line MethodExpression: unsorted, the same definitions read in another order only share less
            [...read]
              .sort()
              .map((n) => own.key(n))
              .join('\u0000')
          : loaded.path
      }\u0000${JSON.stringify(snapshot.watchlists)}`;
      const analysis = memo(analyses, key, () => analyzeKql((env ??= workspaceEnvironment(loaded, repoWatchlists, everywhere)), query));
      const report = new Reporter(rule.doc);
      for (const table of analysis.unknownTables) {
        if (table.fuzzy) continue; // union isfuzzy=true: the service skips a missing table too
        if (table.function) {
          report.inString(
            'error',
            ['query'],
            table.start,
            'kql.workspace-function',
            `${where} has no function '${table.name}' (${loaded.path}), and it is not one every workspace has: deploying this rule there fails`,
            `Install the solution or save the function (parser) in that workspace, then pull its schema again: ${pullCommand(workspace)}.`,
          );
          continue;
        }
        report.inString(
          'error',
          ['query'],
          table.start,
          'kql.workspace-table',
          `${where} has no table '${table.name}' (${loaded.path}): deploying this rule there fails`,
          `Connect the data source in that workspace, or pull its schema again if the table was added since: ${pullCommand(workspace)}.`,
        );
      }
      for (const d of analysis.diagnostics) {
        if (d.severity !== 'error') continue;
        report.inString(
          'error',
          ['query'],
          d.start,
          'kql.workspace',
          `in ${where} (${loaded.path}): ${d.message}`,
          `The workspace's schema differs from the repository's: fix the query, or pull the schema again if it changed: ${pullCommand(workspace)}.`,
        );
      }
      for (const call of analysis.watchlists) {
        if (call.known) continue;
        report.inString(
          'error',
          ['query'],
          call.start,
          'kql.workspace-watchlist',
          `${where} has no watchlist '${call.alias}' (${loaded.path}), and watchlists/ does not define it`,
          `Define it in watchlists/ so that deploy creates it, or create it in that workspace and pull again: ${pullCommand(workspace)}.`,
        );
      }
      for (const table of analysis.tables) {
        const plan = plans.get(table);
        if (!plan || !UNQUERYABLE_PLANS.has(plan.toLowerCase())) continue;
        report.error(
          ['query'],
          'kql.workspace-table-plan',
          `table '${table}' is on the ${plan} plan in ${where}: scheduled analytics rules query Analytics tables only`,
          'Move the table to the Analytics plan in that workspace, or read another table.',
        );
      }
      if (analysis.columns && !analysis.columnsOpen) {
        const columns = new Reporter(rule.doc);
        checkResultColumns(
          columns,
          value,
          analysis.columns.map((c) => c.name),
        );
        for (const d of columns.diagnostics) {
          out.push({ ...d, code: 'kql.workspace-column', message: `in ${where} (${loaded.path}): ${d.message}` });
        }
      }
      appendAll(out, report.diagnostics);
    }
  }
  return out;
}

/**
 * The KQL environment of one workspace: its own tables and functions (lazily, as the queries name
 * them), the functions every workspace has, and the watchlists deploy creates or it already has.
 */
function workspaceEnvironment(
  loaded: LoadedSnapshot,
  repoWatchlists: readonly WatchlistSchema[],
  everywhere: readonly SchemaProvider[],
): KqlEnvironment {
  const { snapshot } = loaded;
  const aliases = new Set(repoWatchlists.map((w) => w.alias.toLowerCase()));
  const live = snapshot.watchlists
    .filter((w) => !aliases.has(w.alias.toLowerCase()))
    .map((w): WatchlistSchema => ({ alias: w.alias, columns: w.columns.map((name) => ({ name, type: 'string' })) }));
  return createKqlEnvironment({
    tables: [],
    providers: [snapshotProvider([loaded]), functionsOnly(everywhere)],
    watchlists: [...repoWatchlists, ...live],
  });
}

function pullCommand(workspace: Workspace): string {
  return `npm run cli -- schema pull --env ${workspace.environment} --workspace ${workspace.name}`;
}

function pullHint(workspace: Workspace): string {
  return `Pull it again: ${pullCommand(workspace)}.`;
}

interface Definitions {
  /** A stable text of what `name` is (a table's columns, a function's signature and body), '' when nothing. */
  key(name: string): string;
  /** A function's body, to follow the names it reads. */
  body(name: string): string | undefined;
}

type Lookup = Pick<SchemaProvider, 'table' | 'function'>;

/** Tables from `tables` first, then functions from `tables` and `functions` (as the KQL layer looks them up). */
function definitionsOf(
  tables: Lookup,
  functions: readonly Lookup[],
  repoTables?: readonly TableSchema[],
  repoFunctions?: readonly FunctionSchema[],
): Definitions {
  const ownTables = new Map(repoTables?.map((t) => [t.name, t]));
  const ownFunctions = new Map(repoFunctions?.map((f) => [f.name, f]));
  const fn = (name: string): FunctionSchema | undefined => {
    const own = ownFunctions.get(name);
    if (own) return own;
    for (const p of [tables, ...functions]) {
      const f = p.function(name);
      if (f) return f;
    }
    return undefined;
  };
  const cache = new Map<string, string>();
  return {
    key: (name) =>
      memo(cache, name, () => {
        const table = ownTables.get(name) ?? tables.table(name);
        const f = table ? undefined : fn(name);
        // A table's key has one entry, a function's four: they never collide (an absent entry is null).
        return table
          ? JSON.stringify([table.columns])
          : f
            ? JSON.stringify([f.parameters, f.moreNamed, f.columns, f.body])
            : // Stryker disable next-line StringLiteral: any text that is no JSON array does the same
              '';
      }),
    // Stryker disable next-line LogicalOperator: following a function a table of its name hides only adds names, so at most one more clean analysis
    body: (name) => (ownTables.has(name) || tables.table(name) ? undefined : fn(name)?.body),
  };
}

/** What the repository-wide analysis used: the repository's own files, then all snapshots, then the catalog. */
function repoWideDefinitions(input: WorkspaceSchemaInput): Definitions {
  const union = snapshotProvider(input.snapshots);
  const everywhere = input.everywhere ?? [];
  const stacked: Lookup = {
    table: (name) => union.table(name) ?? everywhere.map((p) => p.table(name)).find((t) => t !== undefined),
    function: () => undefined,
  };
  return definitionsOf(stacked, [union, ...everywhere], input.repoTables, input.repoFunctions);
}

/** The names a query reads, and those of the function bodies it calls, transitively; undefined with a `Table*` wildcard. */
class NameReader {
  readonly #parsed = new Map<string, { names: Set<string>; wildcard: boolean }>();

  closure(query: string, body: (name: string) => string | undefined): Set<string> | undefined {
    const out = new Set<string>();
    const queue = [query];
    for (let text = queue.pop(); text !== undefined; text = queue.pop()) {
      const refs = this.#read(text);
      if (refs.wildcard) return undefined;
      for (const name of refs.names) {
        if (out.has(name)) continue;
        out.add(name);
        const b = body(name);
        if (b !== undefined) queue.push(b);
      }
    }
    return out;
  }

  #read(text: string): { names: Set<string>; wildcard: boolean } {
    return memo(this.#parsed, text, () => {
      const k = kusto();
      const found = referencedNames(k.KustoCode.Parse(text, k.GlobalState.Default));
      return { names: found.names, wildcard: found.wildcards.length > 0 };
    });
  }
}

/** `map`'s value for `key`, computed and kept on the first request. */
function memo<K, V>(map: Map<K, V>, key: K, compute: () => V): V {
  return map.get(key) ?? map.set(key, compute()).get(key)!;
}
