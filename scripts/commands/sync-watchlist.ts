// `sync-watchlist <alias> --env <name>`: keep a feed-backed watchlist current in every workspace of an
// environment with the fewest item writes. Read each workspace's watchlist (its description holds the
// last run's state), fetch the feed once (conditional GET when every workspace completed its last
// run from the same download), refuse a bad feed with zero writes, then per workspace (bounded
// concurrency): plan, guards before the first write, apply, provenance line.
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SentinelApiFactory } from '../azure/api.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { markingRepository, metadataName, watchlistMetadata } from '../core/compile/metadata.ts';
import { compileWatchlist, csvHeader } from '../core/compile/watchlist.ts';
import { ContentError, UsageError } from '../core/errors.ts';
import { assertFeed } from '../core/feed/check-feed.ts';
import { compileAllowList } from '../core/feed/desired.ts';
import { parseIpsum } from '../core/feed/ipsum.ts';
import { dropReserved } from '../core/feed/reserved.ts';
import { decodeProvenance } from '../core/feed/provenance.ts';
import { workspacesOf, type Workspace } from '../core/model/workspaces.ts';
import type { WatchlistYaml, WorkspacesYaml } from '../core/model/yaml-types.ts';
import { watchlistParentId } from '../core/plan/desired.ts';
import { selectWorkspaces } from '../core/plan/select.ts';
import { forEachLimit } from '../core/pool.ts';
import { liveShapeProblem } from '../core/sync/plan.ts';
import type { FeedReport, SyncProgressEvent, SyncResult, WorkspaceSyncResult } from '../core/sync/result.ts';
import { feedSettingsOf, itemShapeOf, type ItemShape } from '../core/sync/settings.ts';
import { conditionalValidators } from '../core/sync/state.ts';
import { checkFile } from '../core/validate/validate.ts';
import type { YamlDocument } from '../core/yaml/document.ts';
import { expandPaths, pathExists, readSource } from '../io/content.ts';
import { fetchFeed, redact } from '../io/feed.ts';
import { checkTokenHosts } from '../azure/credentials.ts';
import { startDeadline } from './shared/deadline.ts';
import { apiFactory, failureInfo } from './shared/targets.ts';
import { emptyResult, syncWorkspace, type FeedOutcome, type ReadWorkspace, type WorkspaceRunContext } from './sync-watchlist-workspace.ts';

export interface SyncWatchlistOptions {
  root: string;
  alias: string;
  env: string;
  config?: string;
  /** https URL or file path instead of the definition's feed.url. */
  feed?: string;
  dryRun?: boolean;
  /**
   * Ignore the last run's state: download unconditionally and diff every workspace against its live
   * items even when the feed is the one last applied (after a change to minScore, exitScore,
   * scoreThresholds or allowList, which the unchanged-feed shortcut cannot see).
   */
  full?: boolean;
  /** Only these workspaces: names or globs (`*`, `?`), each may be comma-separated, as for plan and deploy. */
  workspaces?: string[];
  /** GITHUB_REPOSITORY in GitHub Actions: workspaces.yaml `repository` must name it. */
  githubRepository?: string;
  /** The process environment and --allow-token-host: SENTINEL_ACCESS_TOKEN goes to known hosts only. */
  tokenHosts?: { env: Readonly<Record<string, string | undefined>>; allowed?: string[] };
  /** Overall deadline of the run, feed download included (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
}

export interface SyncWatchlistDeps {
  api: SentinelApiFactory;
  now: () => Date;
  fetchFeed?: typeof fetchFeed;
  progress?: (event: SyncProgressEvent) => void;
  /** Workspaces synced at once (default 2): each has its own budget, all share ARM's per-subscription throttle. */
  workspaceConcurrency?: number;
  /** Item writes in flight per workspace (default 4): ARM sustains ~10 writes/s per subscription. */
  itemConcurrency?: number;
  /** A workspace stops after this many failed item writes in a row (default 25). */
  maxConsecutiveFailures?: number;
  /** First retry delay of the feed download (default 1000 ms; tests shorten it). */
  feedBackoffMs?: number;
  rawContentMaxBytes?: number;
}

/** The dependencies of a real run: the SDK against Azure (or SENTINEL_ACCESS_TOKEN's endpoint). */
export function defaultSyncDeps(
  env: Readonly<Record<string, string | undefined>>,
  progress: (event: SyncProgressEvent) => void,
  now: () => Date = () => new Date(),
  allowTokenHosts?: string[],
): SyncWatchlistDeps {
  return { api: apiFactory(env, allowTokenHosts), now, progress };
}

export async function syncWatchlistCommand(options: SyncWatchlistOptions, deps: SyncWatchlistDeps): Promise<SyncResult> {
  const deadline = startDeadline(options.deadlineMs);
  try {
    return await syncWithin(options, deps, deadline.signal);
  } finally {
    deadline.stop();
  }
}

async function syncWithin(options: SyncWatchlistOptions, deps: SyncWatchlistDeps, signal: AbortSignal): Promise<SyncResult> {
  const started = performance.now();
  const progress = deps.progress ?? (() => undefined);
  const { definition, file, config, configFile } = loadDefinition(options);
  const alias = definition.alias;
  const settings = feedSettingsOf(definition, file);
  const shape = itemShapeOf(definition);
  const repository = markingRepository(config, configFile, options.githubRepository);
  const now = deps.now();
  const selected = selectWorkspaces(workspacesOf(config, options.env, configFile), options.workspaces);
  if (options.tokenHosts) checkTokenHosts(options.tokenHosts.env, selected, options.tokenHosts.allowed);
  progress({ kind: 'start', workspaces: selected.length });

  const results = new Map<string, WorkspaceSyncResult>();
  const done = (result: WorkspaceSyncResult): void => {
    results.set(result.name, result);
    const failed = result.status === 'failed' || result.status === 'guard';
    progress({ kind: 'finished', workspace: result.name, status: failed ? 'failed' : 'ok', writes: result.writes });
  };
  const readable: ReadWorkspace[] = [];
  await forEachLimit(selected, deps.workspaceConcurrency ?? 2, async (workspace) => {
    if (workspace.watchlists[alias]?.sync === false) {
      done({
        ...emptyResult(workspace.name),
        status: 'skipped',
        message: `watchlists.${alias}.sync is false for this workspace in ${configFile}.`,
      });
      return;
    }
    const read = await readWorkspace(workspace, alias, (ws) => deps.api(ws, signal), shape);
    if ('failed' in read) done(read.failed);
    else readable.push(read);
  });

  const source = options.feed ?? settings.url;
  const feedReport: FeedReport = { source: redact(source), fetched: 'skipped', conditional: false, problems: [] };
  let outcome: FeedOutcome | undefined;
  if (readable.length > 0) {
    // The validators belong to feed.url: another source is always downloaded in full.
    const validators =
      source === settings.url && !options.full ? conditionalValidators(readable.map((r) => r.provenance.state)) : undefined;
    feedReport.conditional = validators !== undefined;
    progress({ kind: 'feed', source: feedReport.source, conditional: feedReport.conditional });
    const fetched = await (deps.fetchFeed ?? fetchFeed)(source, {
      timeoutMs: settings.fetch.timeoutSeconds * 1000,
      retries: settings.fetch.retries,
      maxBytes: settings.fetch.maxBytes,
      deadlineMs: settings.fetch.deadlineSeconds * 1000,
      ...validators,
      ...(deps.feedBackoffMs === undefined ? {} : { backoffMs: deps.feedBackoffMs }),
      signal,
    });
    if (fetched.kind === 'not-modified') {
      feedReport.fetched = 'not-modified';
      outcome = { kind: 'not-modified' };
    } else {
      const parsed = parseIpsum(fetched.text);
      // Private, loopback, multicast… addresses would match the workspaces' own traffic: never listed.
      const reserved = settings.dropReserved ? dropReserved(parsed.entries) : undefined;
      const entries = reserved?.kept ?? parsed.entries;
      // Refused (InputError, exit 1) before any workspace is written: HTML, empty, truncated, no header, too few IPs…
      assertFeed(fetched.text, { ...parsed, entries }, { minIps: settings.fetch.minIps, alias, source: feedReport.source });
      Object.assign(feedReport, { fetched: 'body', sha256: fetched.sha256, bytes: fetched.bytes, ips: entries.size });
      if (reserved) feedReport.reserved = { dropped: reserved.dropped, examples: reserved.examples };
      if (fetched.finalUrl) feedReport.finalUrl = redact(fetched.finalUrl);
      if (parsed.lastUpdate) feedReport.lastUpdate = parsed.lastUpdate;
      feedReport.problems = parsed.problems.map((p) => `line ${p.line}: ${p.reason} ("${p.text}")`);
      outcome = {
        kind: 'body',
        snapshot: {
          entries,
          sha256: fetched.sha256,
          lastUpdate: parsed.lastUpdate,
          etag: fetched.etag,
          lastModified: fetched.lastModified,
        },
      };
    }
  }

  const compiled = compileWatchlist(definition, file).body;
  const ctx: WorkspaceRunContext = {
    alias,
    description: definition.description.trimEnd(),
    compiled,
    shape,
    header: csvHeader(definition),
    settings,
    // Validation already refused bad entries: this cannot throw here.
    allowList: compileAllowList(settings.allowList, alias),
    dryRun: options.dryRun === true,
    full: options.full === true,
    now,
    progress,
    signal,
    itemConcurrency: deps.itemConcurrency ?? 4,
    maxConsecutiveFailures: deps.maxConsecutiveFailures ?? 25,
    rawContentMaxBytes: deps.rawContentMaxBytes,
    metadata: (workspace) => ({
      name: metadataName('Watchlist', alias),
      body: watchlistMetadata(definition, watchlistParentId(workspace, alias), repository),
    }),
  };
  if (outcome) {
    const feed = outcome;
    await forEachLimit(readable, deps.workspaceConcurrency ?? 2, async (read) => done(await syncWorkspace(ctx, read, feed)));
  }
  return {
    alias,
    environment: options.env,
    dryRun: ctx.dryRun,
    feed: feedReport,
    // In selectWorkspaces' order (by name), whatever order they finished in.
    workspaces: selected.map((w) => results.get(w.name)!).filter((r) => r !== undefined),
    durationMs: Math.round(performance.now() - started),
  };
}

async function readWorkspace(
  workspace: Workspace,
  alias: string,
  factory: (workspace: Workspace) => ReturnType<SentinelApiFactory>,
  shape: ItemShape,
): Promise<ReadWorkspace | { failed: WorkspaceSyncResult }> {
  const fail = (message: string, hint?: string): { failed: WorkspaceSyncResult } => {
    const failed: WorkspaceSyncResult = { ...emptyResult(workspace.name), status: 'failed', message };
    if (hint) failed.hint = hint;
    return { failed };
  };
  try {
    const api = factory(workspace);
    const live = await api.getWatchlist(alias);
    if (!live) return { workspace, api, provenance: decodeProvenance(undefined) };
    const problem = liveShapeProblem(alias, shape, live.properties);
    if (problem) return fail(problem);
    const description = live.properties.description;
    return { workspace, api, live, provenance: decodeProvenance(typeof description === 'string' ? description : undefined) };
  } catch (error) {
    const { message, hint } = failureInfo(error);
    return fail(message, hint);
  }
}

interface LoadedDefinition {
  definition: WatchlistYaml;
  file: string;
  config: WorkspacesYaml;
  configFile: string;
}

/**
 * The watchlist definition (by alias) and workspaces.yaml, each through validate's per-file layers.
 * Only watchlists/ and the config are read: rules and table schemas play no part in a sync.
 */
function loadDefinition(options: SyncWatchlistOptions): LoadedDefinition {
  const { root } = options;
  const configFile = options.config ?? 'workspaces.yaml';
  const configPath = resolve(root, configFile);
  if (options.config && !pathExists(configPath))
    throw new UsageError(`--config ${options.config}: no such file`, 'Pass the path of a workspaces.yaml file.');
  const dir = join(root, 'watchlists');
  const docs = (pathExists(dir) ? expandPaths(root, [dir]) : []).map((path) => {
    const source = readSource(root, path);
    return { file: source.path, ...checkFile(source, 'watchlist') };
  });
  const aliasOf = (doc: YamlDocument): string => String((doc.value as { alias?: unknown } | null)?.alias);
  const match = docs.find((d) => d.document && aliasOf(d.document).toLowerCase() === options.alias.toLowerCase());
  if (!match?.document) {
    const known = docs.flatMap((d) => (d.document ? [aliasOf(d.document)] : []));
    throw new UsageError(
      `No watchlist with alias '${options.alias}' in watchlists/`,
      `Watchlists defined there: ${known.join(', ') || '(none)'}.`,
    );
  }
  refuseInvalid(match.file, match.diagnostics);
  if (!pathExists(configPath))
    throw new UsageError(
      `${configFile} does not exist`,
      'Pass --config <file>, or create workspaces.yaml (see docs/content-format.md, "Adding a workspace").',
    );
  const source = readSource(root, configPath);
  const ws = checkFile(source, 'workspaces');
  refuseInvalid(source.path, ws.diagnostics);
  return { definition: match.document.value as WatchlistYaml, file: match.file, config: ws.document!.value as WorkspacesYaml, configFile };
}

function refuseInvalid(file: string, diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return;
  const shown = errors
    .slice(0, 5)
    .map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)
    .join('; ');
  throw new ContentError(
    `${file} is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}): ${shown}`,
    'Run `npm run cli -- validate` for every problem with its position, fix them, then sync again.',
  );
}
