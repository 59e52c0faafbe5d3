// `deploy`: plan each selected workspace, then write only what differs: the rule (or watchlist) first,
// its ownership mark after. Bounded concurrency across workspaces and within each; one workspace's
// failure never stops the others. --dry-run writes nothing; --prune also deletes owned rules that left
// the repository; --adopt takes over unmarked rules (refused otherwise, also when they equal ours).
import type { SentinelApi } from '../azure/api.ts';
import { createBody } from '../core/compile/watchlist.ts';
import { ConfigError, RemoteError } from '../core/errors.ts';
import { mapPool } from '../core/pool.ts';
import { planWorkspace } from '../core/plan/plan.ts';
import type {
  ChangeResult,
  DeployedChange,
  DeployReport,
  FailureInfo,
  ProgressEvent,
  WorkspaceDeployResult,
} from '../core/plan/results.ts';
import type { Change, Ownership, PlannedChange, Write } from '../core/plan/types.ts';
import { readBootstrapCsv } from '../io/content.ts';
import { startDeadline } from './shared/deadline.ts';
import { apiFactory, failureInfo, loadTargets, readLive, type Target, type TargetOptions } from './shared/targets.ts';

export interface DeployOptions extends TargetOptions {
  prune?: boolean;
  dryRun?: boolean;
  adopt?: boolean;
  /** Requests in flight per workspace (default 4). */
  concurrency?: number;
  /** Workspaces at once (default 4). */
  workspaceConcurrency?: number;
}

export interface DeployDeps {
  progress?: (event: ProgressEvent) => void;
}

export async function deployCommand(options: DeployOptions, deps: DeployDeps = {}): Promise<DeployReport> {
  const { repository, owner, files, diagnostics, targets } = await loadTargets(options);
  const api = apiFactory(options.processEnv, options.allowTokenHosts);
  const progress = deps.progress ?? (() => undefined);
  const report: DeployReport = {
    environment: options.env,
    repository,
    files,
    dryRun: Boolean(options.dryRun),
    prune: Boolean(options.prune),
    diagnostics,
    workspaces: [],
  };
  if (targets.length === 0) return report;
  const csv = bootstrapFiles(options.root, targets);
  progress({ kind: 'start', workspaces: targets.length });
  const deadline = startDeadline(options.deadlineMs);
  report.workspaces = await mapPool(targets, options.workspaceConcurrency ?? 4, async (target) => {
    const result = await deployWorkspace(
      target,
      api(target.workspace, deadline.signal),
      owner,
      { ...options, csv, signal: deadline.signal },
      progress,
    );
    progress({ kind: 'finished', workspace: result.name, status: result.status, writes: result.writes });
    return result;
  }).finally(() => deadline.stop());
  return report;
}

/**
 * The bootstrap CSVs that new watchlists are created with, read once before any write (a missing file
 * fails the run here, not halfway through a workspace).
 */
function bootstrapFiles(root: string, targets: readonly Target[]): ReadonlyMap<string, string> {
  const paths = new Set(
    targets.flatMap((t) => t.desired.watchlists.map((w) => w.bootstrapCsv).filter((p): p is string => p !== undefined)),
  );
  return new Map(
    [...paths].map((path) => {
      // Validation checked the same file; read it through the same confinement again (it may have changed).
      const file = readBootstrapCsv(root, path);
      if ('problem' in file)
        throw new ConfigError(`bootstrapCsv ${path}: ${file.problem}`, path, 'Run `npm run cli -- validate` and fix what it reports.');
      return [path, file.text];
    }),
  );
}

type WorkspaceRun = DeployOptions & { csv: ReadonlyMap<string, string>; signal: AbortSignal };

async function deployWorkspace(
  target: Target,
  api: SentinelApi,
  owner: Ownership,
  o: WorkspaceRun,
  progress: (e: ProgressEvent) => void,
): Promise<WorkspaceDeployResult> {
  const name = target.workspace.name;
  let planned: PlannedChange[];
  try {
    planned = planWorkspace(target.workspace, target.desired, await readLive(api), owner).changes;
  } catch (error) {
    return { name, status: 'failed', writes: 0, changes: [], error: failureInfo(error) };
  }
  progress({ kind: 'planned', workspace: name, writes: planned.reduce((n, p) => n + (decide(p, o) === 'write' ? p.writes.length : 0), 0) });

  let credentialsRefused = false;
  const changes = await mapPool(planned, o.concurrency ?? 4, async (p): Promise<DeployedChange> => {
    const decision = decide(p, o);
    if (decision !== 'write') return { ...p.change, result: decision, writes: 0 };
    // What is reported: with --adopt, an unmarked rule's conflict becomes what happened to it.
    const done = (result: ChangeResult, writes: number, error?: FailureInfo): DeployedChange => ({
      ...adopted(p.change, result),
      result,
      writes,
      ...(error ? { error } : {}),
    });
    if (o.dryRun) return done('planned', p.writes.length);
    let writes = 0;
    for (const write of p.writes) {
      if (credentialsRefused) return done('skipped', writes, { message: 'not attempted: the workspace refused our credentials' });
      if (o.signal.aborted) return done('skipped', writes, { message: `not attempted: ${(o.signal.reason as Error).message}` });
      try {
        await execute(api, write, o.csv);
        writes += 1;
        progress({ kind: 'wrote', workspace: name });
      } catch (error) {
        const status = error instanceof RemoteError ? error.details.status : undefined;
        if (status === 401 || status === 403) credentialsRefused = true;
        const withFile =
          error instanceof RemoteError && p.change.file ? new RemoteError({ ...error.details, file: p.change.file }, error.hint) : error;
        return done('failed', writes, failureInfo(withFile));
      }
    }
    return done('applied', writes);
  });
  // A change abandoned (credentials refused, deadline passed) carries the reason: the workspace is not done.
  const failed = changes.some((c) => c.result === 'failed' || c.result === 'refused' || (c.result === 'skipped' && c.error !== undefined));
  return { name, status: failed ? 'failed' : 'ok', writes: changes.reduce((n, c) => n + c.writes, 0), changes };
}

/**
 * A change --adopt takes over: reported as what happened to it, not with the plan's refusal (which is
 * what deploy does without --adopt).
 */
function adopted(change: Change, result: ChangeResult): Change {
  if (change.conflict?.reason !== 'unmanaged') return change;
  const { conflict: _refused, ...rest } = change;
  // Equal content: only the mark is written (a rule PUT would reset its schedule).
  const how = change.changedFields?.length
    ? ['it would be overwritten with this version and marked', 'overwritten with this version and marked']
    : ['it equals this version: only the mark would be written', 'it equals this version: only the mark was written'];
  const note =
    result === 'planned'
      ? `would be adopted (--adopt): it has no ownership mark of this repository; ${how[0]}`
      : result === 'applied'
        ? `adopted (--adopt): it had no ownership mark of this repository; ${how[1]}`
        : '--adopt did not complete (see the error): it still has no ownership mark of this repository';
  return { ...rest, note };
}

function decide(p: PlannedChange, o: DeployOptions): 'write' | 'unchanged' | 'skipped' | 'refused' {
  const { conflict, action } = p.change;
  if (conflict && !(o.adopt && conflict.reason === 'unmanaged' && conflict.adoptable)) return 'refused';
  if (action === 'delete' && !o.prune) return 'skipped';
  return p.writes.length ? 'write' : 'unchanged';
}

async function execute(api: SentinelApi, write: Write, csv: ReadonlyMap<string, string>): Promise<void> {
  switch (write.op) {
    case 'putRule':
      await api.putAlertRule(write.id, write.body);
      return;
    case 'deleteRule':
      await api.deleteAlertRule(write.id);
      return;
    case 'putMark':
      await api.putMetadata(write.name, write.body);
      return;
    case 'deleteMark':
      await api.deleteMetadata(write.name);
      return;
    case 'putWatchlist': {
      if (!write.create) {
        await api.putWatchlist(write.alias, write.body);
        return;
      }
      // Created once with its first items (or the header alone); afterwards the sync owns the items.
      const rows = write.create.bootstrapCsv ? csv.get(write.create.bootstrapCsv)! : write.create.header;
      await api.putWatchlist(write.alias, createBody(write.body, String(write.body.properties.description ?? ''), rows));
      return;
    }
  }
}
