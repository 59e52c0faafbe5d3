// `sync-watchlist <alias> --env <name>`: keep a feed-backed watchlist current in every workspace of an
// environment with the fewest item writes. Read each workspace's watchlist (its description holds the
// last run's state), fetch the feed once (conditional GET when every workspace completed its last
// run from the same download), refuse a bad feed with zero writes, then per workspace (bounded
// concurrency): plan, guards before the first write, apply, provenance line.
import { performance } from 'node:perf_hooks';
import type { SentinelApiFactory } from '../azure/api.ts';
import { createSentinelApi } from '../azure/sentinel.ts';
import { errorCount, type Diagnostic } from '../core/diagnostics.ts';
import { metadataName, repositoryName, watchlistMetadata } from '../core/compile/metadata.ts';
import { compileWatchlist } from '../core/compile/watchlist.ts';
import { AppError, ContentError, UsageError } from '../core/errors.ts';
import { assertFeed } from '../core/feed/check-feed.ts';
import { checkScores, compileAllowList } from '../core/feed/desired.ts';
import { parseIpsum } from '../core/feed/ipsum.ts';
import { decodeProvenance } from '../core/feed/provenance.ts';
import { sentinelScope, workspacesOf, type Workspace } from '../core/model/workspaces.ts';
import type { WatchlistYaml, WorkspacesYaml } from '../core/model/yaml-types.ts';
import { liveShapeProblem } from '../core/sync/plan.ts';
import { forEachLimit } from '../core/pool.ts';
import type { FeedReport, SyncResult, WorkspaceSyncResult } from '../core/sync/result.ts';
import { feedSettingsOf, itemShapeOf } from '../core/sync/settings.ts';
import { conditionalValidators } from '../core/sync/state.ts';
import { schemaDiagnostics } from '../core/validate/schema.ts';
import { watchlistFieldDiagnostics } from '../core/validate/watchlist-fields.ts';
import { parseYaml, type YamlDocument } from '../core/yaml/document.ts';
import { loadContent } from '../io/content.ts';
import { fetchFeed, redact } from '../io/feed.ts';
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
  /** Only these workspaces (labels from workspaces.yaml). */
  workspaces?: string[];
}

export interface SyncWatchlistDeps {
  api: SentinelApiFactory;
  now: () => Date;
  fetchFeed?: typeof fetchFeed;
  progress?: (line: string) => void;
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
export function defaultSyncDeps(env: Readonly<Record<string, string | undefined>>, progress: (line: string) => void, now: () => Date = () => new Date()): SyncWatchlistDeps {
  return { api: (workspace) => createSentinelApi(workspace, { env }), now, progress };
}

export async function syncWatchlistCommand(options: SyncWatchlistOptions, deps: SyncWatchlistDeps): Promise<SyncResult> {
  const started = performance.now();
  const progress = deps.progress ?? (() => undefined);
  const { definition, file, config, configFile } = loadDefinition(options);
  const alias = definition.alias;
  const settings = feedSettingsOf(definition, file);
  // Bad scores or allow-list entries fail before anything is read or downloaded.
  checkScores(settings.minScore, settings.exitScore ?? settings.minScore, alias);
  compileAllowList(settings.allowList, alias);
  const repository = repositoryName(config);
  const now = deps.now();
  const selected = selectWorkspaces(workspacesOf(config, options.env, configFile), options.workspaces, options.env);

  const results = new Map<string, WorkspaceSyncResult>();
  const readable: ReadWorkspace[] = [];
  await forEachLimit(selected, deps.workspaceConcurrency ?? 2, async (workspace) => {
    if (workspace.watchlists[alias]?.sync === false) {
      results.set(workspace.name, { ...emptyResult(workspace.name), status: 'skipped', message: `watchlists.${alias}.sync is false for this workspace in ${configFile}.` });
      return;
    }
    const read = await readWorkspace(workspace, alias, deps.api, itemShapeOf(definition));
    if ('failed' in read) results.set(workspace.name, read.failed);
    else readable.push(read);
  });

  const source = options.feed ?? settings.url;
  const feedReport: FeedReport = { source: redact(source), fetched: 'skipped', conditional: false, problems: [] };
  let outcome: FeedOutcome | undefined;
  if (readable.length > 0) {
    // The validators belong to feed.url: another source is always downloaded in full.
    const validators = source === settings.url && !options.full ? conditionalValidators(readable.map((r) => r.state)) : undefined;
    feedReport.conditional = validators !== undefined;
    progress(`feed: ${feedReport.conditional ? 'conditional ' : ''}download of ${feedReport.source}`);
    const fetched = await (deps.fetchFeed ?? fetchFeed)(source, {
      timeoutMs: settings.fetch.timeoutSeconds * 1000, retries: settings.fetch.retries, maxBytes: settings.fetch.maxBytes,
      ...validators, ...(deps.feedBackoffMs === undefined ? {} : { backoffMs: deps.feedBackoffMs }),
    });
    if (fetched.kind === 'not-modified') {
      feedReport.fetched = 'not-modified';
      outcome = { kind: 'not-modified' };
    } else {
      const parsed = parseIpsum(fetched.text);
      // Refused (InputError, exit 1) before any workspace is written: HTML, empty, truncated, no header, too few IPs…
      assertFeed(fetched.text, parsed, { minIps: settings.fetch.minIps, alias, source: feedReport.source });
      Object.assign(feedReport, { fetched: 'body', sha256: fetched.sha256, bytes: fetched.bytes, ips: parsed.entries.size });
      if (parsed.lastUpdate) feedReport.lastUpdate = parsed.lastUpdate;
      feedReport.problems = parsed.problems.map((p) => `line ${p.line}: ${p.reason} ("${p.text}")`);
      outcome = { kind: 'body', snapshot: { entries: parsed.entries, sha256: fetched.sha256, lastUpdate: parsed.lastUpdate, etag: fetched.etag, lastModified: fetched.lastModified } };
      progress(`feed: ${parsed.entries.size} IPs, last update ${parsed.lastUpdate}, sha256 ${fetched.sha256.slice(0, 12)}`);
    }
  }

  const compiled = compileWatchlist(definition, file).body;
  const ctx: WorkspaceRunContext = {
    alias, description: definition.description.trimEnd(), compiled, shape: itemShapeOf(definition), settings,
    dryRun: options.dryRun === true, full: options.full === true, now, progress,
    itemConcurrency: deps.itemConcurrency ?? 4, maxConsecutiveFailures: deps.maxConsecutiveFailures ?? 25,
    rawContentMaxBytes: deps.rawContentMaxBytes,
    metadata: (workspace) => ({
      name: metadataName('Watchlist', alias),
      body: watchlistMetadata(definition, `${sentinelScope(workspace)}/watchlists/${alias}`, repository),
    }),
  };
  if (outcome) {
    const feed = outcome;
    await forEachLimit(readable, deps.workspaceConcurrency ?? 2, async (read) => {
      results.set(read.workspace.name, await syncWorkspace(ctx, read, feed));
    });
  }
  return {
    alias,
    environment: options.env,
    dryRun: ctx.dryRun,
    feed: feedReport,
    // In workspaces.yaml order, whatever order they finished in.
    workspaces: selected.map((w) => results.get(w.name)!).filter((r) => r !== undefined),
    durationMs: Math.round(performance.now() - started),
  };
}

async function readWorkspace(workspace: Workspace, alias: string, factory: SentinelApiFactory, shape: ReturnType<typeof itemShapeOf>): Promise<ReadWorkspace | { failed: WorkspaceSyncResult }> {
  const fail = (message: string, hint?: string): { failed: WorkspaceSyncResult } => {
    const failed: WorkspaceSyncResult = { ...emptyResult(workspace.name), status: 'failed', message };
    if (hint) failed.hint = hint;
    return { failed };
  };
  try {
    const api = factory(workspace);
    const live = await api.getWatchlist(alias);
    if (!live) return { workspace, api };
    const problem = liveShapeProblem(alias, shape, live.properties);
    if (problem) return fail(problem);
    const state = decodeProvenance(typeof live.properties.description === 'string' ? live.properties.description : undefined).state;
    return state ? { workspace, api, live, state } : { workspace, api, live };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return fail(error.message, error.hint);
  }
}

function selectWorkspaces(all: Workspace[], names: readonly string[] | undefined, env: string): Workspace[] {
  if (!names || names.length === 0) return all;
  const wanted = names.flatMap((n) => n.split(',')).map((n) => n.trim()).filter(Boolean);
  const unknown = wanted.filter((n) => !all.some((w) => w.name === n));
  if (unknown.length > 0) {
    throw new UsageError(`--workspace ${unknown.join(', ')}: not in environment ${env}`, `Workspaces of ${env}: ${all.map((w) => w.name).join(', ') || '(none)'}.`);
  }
  return all.filter((w) => wanted.includes(w.name));
}

interface LoadedDefinition {
  definition: WatchlistYaml;
  file: string;
  config: WorkspacesYaml;
  configFile: string;
}

/** The watchlist definition (by alias) and workspaces.yaml, each checked like validate checks it. */
function loadDefinition(options: SyncWatchlistOptions): LoadedDefinition {
  const content = loadContent({ root: options.root, config: options.config });
  const configFile = options.config ?? 'workspaces.yaml';
  const docs = content.watchlists.map((f) => ({ file: f.path, parsed: parseYaml(f.path, f.text) }));
  const aliasOf = (doc: YamlDocument): unknown => (doc.value as { alias?: unknown } | null)?.alias;
  const match = docs.find((d) => d.parsed.ok && String(aliasOf(d.parsed.document)).toLowerCase() === options.alias.toLowerCase());
  if (!match) {
    const known = docs.flatMap((d) => (d.parsed.ok ? [String(aliasOf(d.parsed.document))] : []));
    throw new UsageError(`No watchlist with alias '${options.alias}' in watchlists/`, `Watchlists defined there: ${known.join(', ') || '(none)'}.`);
  }
  if (!match.parsed.ok) throw new Error('unreachable');
  refuseInvalid(match.file, [...schemaDiagnostics('watchlist', match.parsed.document), ...watchlistFieldDiagnostics(match.parsed.document)]);
  if (!content.workspaces) throw new UsageError(`${configFile} does not exist`, 'Pass --config <file>, or create workspaces.yaml (see the README).');
  const ws = parseYaml(content.workspaces.path, content.workspaces.text);
  if (!ws.ok) refuseInvalid(content.workspaces.path, ws.diagnostics);
  else refuseInvalid(content.workspaces.path, schemaDiagnostics('workspaces', ws.document));
  const config = (ws.ok ? ws.document.value : undefined) as WorkspacesYaml;
  return { definition: match.parsed.document.value as WatchlistYaml, file: match.file, config, configFile };
}

function refuseInvalid(file: string, diagnostics: readonly Diagnostic[]): void {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errorCount(errors) === 0) return;
  const shown = errors.slice(0, 5).map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`).join('; ');
  throw new ContentError(`${file} is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}): ${shown}`, 'Run `npm run cli -- validate` for every problem with its position, fix them, then sync again.');
}
