// `schema pull --env <name> [--workspace …]`: per selected workspace, read its tables, saved functions
// and watchlists (with their columns) through Azure Resource Manager and write its snapshot,
// schemas/workspaces/<label>.json, when it changed. Reads only; one workspace failing does not stop
// the others, and its snapshot is left as it was (every file is written whole or not at all).
import type { SentinelApi } from '../azure/api.ts';
import type { LogAnalyticsApi } from '../azure/log-analytics.ts';
import { createLogAnalyticsApi } from '../azure/log-analytics.ts';
import { createSentinelApi } from '../azure/sentinel.ts';
import { UsageError } from '../core/errors.ts';
import { workspacesOf, type Workspace } from '../core/model/workspaces.ts';
import { selectWorkspaces } from '../core/plan/select.ts';
import { mapPool } from '../core/pool.ts';
import {
  buildSnapshot,
  parseSnapshot,
  renderSnapshot,
  snapshotChanges,
  type SnapshotWatchlist,
  type WorkspacePull,
} from '../core/schema/snapshot.ts';
import { readSnapshotText, snapshotPath, writeSnapshotText } from '../io/snapshots.ts';
import { readWorkspacesConfig } from './shared/config.ts';
import { failureInfo } from './shared/targets.ts';

export interface SchemaPullOptions {
  root: string;
  env: string;
  config?: string;
  /** Names or globs (each may be comma-separated). */
  workspace?: string[];
}

export interface SchemaPullDeps {
  sentinel(workspace: Workspace): SentinelApi;
  logAnalytics(workspace: Workspace): LogAnalyticsApi;
}

export interface SchemaPullResult {
  environment: string;
  workspaces: WorkspacePull[];
}

const WORKSPACE_CONCURRENCY = 4;
const WATCHLIST_CONCURRENCY = 4;

/** `allowTokenHosts`: --allow-token-host (a workspace elsewhere fails, naming its host: azure/credentials.ts). */
export function defaultSchemaPullDeps(
  processEnv: Readonly<Record<string, string | undefined>>,
  allowTokenHosts: readonly string[] = [],
): SchemaPullDeps {
  return {
    sentinel: (workspace) => createSentinelApi(workspace, { env: processEnv, allowTokenHosts }),
    logAnalytics: (workspace) => createLogAnalyticsApi(workspace, { env: processEnv, allowTokenHosts }),
  };
}

export async function schemaPullCommand(options: SchemaPullOptions, deps: SchemaPullDeps): Promise<SchemaPullResult> {
  const config = readWorkspacesConfig(options.root, options.config, 'pull');
  const selected = selectWorkspaces(workspacesOf(config, options.env, options.config), options.workspace);
  if (selected.length === 0)
    throw new UsageError(
      `--workspace ${options.workspace?.join(',')}: no workspace of environment ${options.env} matches`,
      'Use the names from workspaces.yaml; * and ? match.',
    );
  const workspaces = await mapPool(selected, WORKSPACE_CONCURRENCY, (workspace) => pullOne(options.root, workspace, deps));
  return { environment: options.env, workspaces };
}

async function pullOne(root: string, workspace: Workspace, deps: SchemaPullDeps): Promise<WorkspacePull> {
  const file = snapshotPath(workspace.name);
  const base = {
    name: workspace.name,
    environment: workspace.environment,
    file,
    tables: 0,
    functions: 0,
    watchlists: 0,
    notes: [] as string[],
  };
  try {
    const la = deps.logAnalytics(workspace);
    const sentinel = deps.sentinel(workspace);
    const [tables, savedSearches, watchlists] = await Promise.all([la.listTables(), la.listSavedSearches(), liveWatchlists(sentinel)]);
    const built = buildSnapshot(
      { name: workspace.name, environment: workspace.environment, resourceGroup: workspace.resourceGroup, workspace: workspace.workspace },
      { tables, savedSearches, watchlists },
    );
    const text = renderSnapshot(built.snapshot);
    const before = readSnapshotText(root, workspace.name);
    const previous = before === undefined ? undefined : safeParse(file, before);
    const changed = text !== before;
    if (changed) writeSnapshotText(root, workspace.name, text);
    return {
      ...base,
      status: changed ? 'written' : 'unchanged',
      tables: built.snapshot.tables.length,
      functions: built.snapshot.functions.length,
      watchlists: built.snapshot.watchlists.length,
      changes: snapshotChanges(previous, built.snapshot),
      notes: built.notes,
    };
  } catch (error) {
    return { ...base, status: 'failed', error: failureInfo(error) };
  }
}

/** The watchlists that exist (not being deleted), each with the columns of one of its items. */
async function liveWatchlists(api: SentinelApi): Promise<SnapshotWatchlist[]> {
  const all = (await api.listWatchlists()).filter((w) => !/^deleting$/i.test(w.provisioningState ?? ''));
  return mapPool(all, WATCHLIST_CONCURRENCY, async (w): Promise<SnapshotWatchlist> => {
    const item = await api.firstWatchlistItem(w.alias);
    const searchKey = typeof w.properties.itemsSearchKey === 'string' ? w.properties.itemsSearchKey : undefined;
    return { alias: w.alias, ...(searchKey ? { searchKey } : {}), columns: Object.keys(item?.itemsKeyValue ?? {}) };
  });
}

/** The committed snapshot, for the change summary only: a broken one is simply replaced. */
function safeParse(file: string, text: string) {
  try {
    return parseSnapshot(file, text);
  } catch {
    return undefined;
  }
}
