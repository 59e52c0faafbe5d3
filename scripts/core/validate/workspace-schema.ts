// Each rule against the pulled schema of each workspace it deploys to (schemas/workspaces/<label>.json):
// the failures that otherwise only show up as a 400 in the middle of a deploy — a table the workspace
// does not have (no connector yet), a column its version of a table lacks (custom `_CL` tables
// differ between workspaces), a function (parser) it lacks, a watchlist that is not there, a table on a
// plan analytics rules cannot query. Each diagnostic lands in the rule's query and names the workspace and its snapshot.
//
// A rule that already has errors is not checked again per workspace (its problems are reported once).
// The query is analyzed with its default parameter values.
import type { Diagnostic } from '../diagnostics.ts';
import { asRecord, asString } from '../guards.ts';
import { analyzeKql } from '../kql/analyze.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../kql/symbols.ts';
import type { WatchlistSchema } from '../kql/types.ts';
import type { Workspace } from '../model/workspaces.ts';
import type { SchemaProvider } from '../catalog/provider.ts';
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
      out.push({ code: 'workspaces.unknown-snapshot', severity: 'warning', file: s.path, line: 1, column: 1,
        message: `snapshot of workspace '${s.name}', which workspaces.yaml does not list: nothing is checked against it`,
        hint: 'Delete it if the workspace is gone, or rename it after the workspace\'s new label.' });
    }
  }
  const failing = new Set(input.diagnostics.filter((d) => d.severity === 'error').map((d) => d.file));
  const rules = input.parsed.rules.filter((r) => !failing.has(r.doc.file));
  const repoWatchlists = input.parsed.watchlists.map(watchlistSchema).filter((w): w is WatchlistSchema => !!w);

  for (const workspace of input.workspaces) {
    const loaded = byName.get(workspace.name.toLowerCase());
    if (!loaded) continue;
    const { snapshot } = loaded;
    if (snapshot.source.workspace.toLowerCase() !== workspace.workspace.toLowerCase() || snapshot.source.resourceGroup.toLowerCase() !== workspace.resourceGroup.toLowerCase()) {
      out.push({ code: 'workspaces.stale-snapshot', severity: 'warning', file: loaded.path, line: 1, column: 1,
        message: `pulled from ${snapshot.source.workspace} in ${snapshot.source.resourceGroup}, but workspace '${workspace.name}' now points at ${workspace.workspace} in ${workspace.resourceGroup}`,
        hint: pullHint(workspace) });
    }
    if (rules.length === 0) continue;
    const env = workspaceEnvironment(loaded, repoWatchlists, input.everywhere ?? []);
    const plans = new Map(snapshot.tables.map((t) => [t.name, t.plan ?? 'Analytics']));
    const where = `workspace ${workspace.name} (${workspace.environment})`;
    for (const rule of rules) {
      const value = asRecord(rule.doc.value) ?? {};
      const query = asString(value.query);
      if (!query) continue;
      const analysis = analyzeKql(env, query);
      const report = new Reporter(rule.doc);
      for (const table of analysis.unknownTables) {
        if (table.fuzzy) continue; // union isfuzzy=true: the service skips a missing table too
        if (table.function) {
          report.inString('error', ['query'], table.start, 'kql.workspace-function', `${where} has no function '${table.name}' (${loaded.path}), and it is not one every workspace has: deploying this rule there fails`,
            `Install the solution or save the function (parser) in that workspace, then pull its schema again: ${pullCommand(workspace)}.`);
          continue;
        }
        report.inString('error', ['query'], table.start, 'kql.workspace-table', `${where} has no table '${table.name}' (${loaded.path}): deploying this rule there fails`,
          `Connect the data source in that workspace, or pull its schema again if the table was added since: ${pullCommand(workspace)}.`);
      }
      for (const d of analysis.diagnostics) {
        if (d.severity !== 'error') continue;
        report.inString('error', ['query'], d.start, 'kql.workspace', `in ${where} (${loaded.path}): ${d.message}`,
          `The workspace's schema differs from the repository's: fix the query, or pull the schema again if it changed: ${pullCommand(workspace)}.`);
      }
      for (const call of analysis.watchlists) {
        if (env.hasWatchlist(call.alias)) continue;
        report.inString('error', ['query'], call.start, 'kql.workspace-watchlist', `${where} has no watchlist '${call.alias}' (${loaded.path}), and watchlists/ does not define it`,
          `Define it in watchlists/ so that deploy creates it, or create it in that workspace and pull again: ${pullCommand(workspace)}.`);
      }
      for (const table of analysis.tables) {
        const plan = plans.get(table);
        if (!plan || !UNQUERYABLE_PLANS.has(plan.toLowerCase())) continue;
        report.error(['query'], 'kql.workspace-table-plan', `table '${table}' is on the ${plan} plan in ${where}: scheduled analytics rules query Analytics tables only`,
          'Move the table to the Analytics plan in that workspace, or read another table.');
      }
      if (analysis.columns && !analysis.columnsOpen) {
        const columns = new Reporter(rule.doc);
        checkResultColumns(columns, value, analysis.columns.map((c) => c.name));
        for (const d of columns.diagnostics) {
          out.push({ ...d, code: 'kql.workspace-column', message: `in ${where} (${loaded.path}): ${d.message}` });
        }
      }
      out.push(...report.diagnostics);
    }
  }
  return out;
}

/**
 * The KQL environment of one workspace: its own tables and functions (lazily, as the queries name
 * them), the functions every workspace has, and the watchlists deploy creates or it already has.
 */
function workspaceEnvironment(loaded: LoadedSnapshot, repoWatchlists: readonly WatchlistSchema[], everywhere: readonly SchemaProvider[]): KqlEnvironment {
  const { snapshot } = loaded;
  const aliases = new Set(repoWatchlists.map((w) => w.alias.toLowerCase()));
  const live = snapshot.watchlists.filter((w) => !aliases.has(w.alias.toLowerCase()))
    .map((w): WatchlistSchema => ({ alias: w.alias, columns: w.columns.map((name) => ({ name, type: 'string' })) }));
  return createKqlEnvironment({ tables: [], providers: [snapshotProvider([loaded]), functionsOnly(everywhere)], watchlists: [...repoWatchlists, ...live] });
}

function pullCommand(workspace: Workspace): string {
  return `npm run cli -- schema pull --env ${workspace.environment} --workspace ${workspace.name}`;
}

function pullHint(workspace: Workspace): string {
  return `Pull it again: ${pullCommand(workspace)}.`;
}
