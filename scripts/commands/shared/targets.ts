// What plan and deploy share: load and validate the content, pick the environment's workspaces
// (--workspace, --shard), check the rules against each selected workspace's schema snapshot (a rule
// that would fail there stops the run before anything is read or written), compile each one's
// desired state, and read a workspace's live state.
import type { SentinelApi, SentinelApiFactory } from '../../azure/api.ts';
import { checkTokenHosts } from '../../azure/credentials.ts';
import { createSentinelApi } from '../../azure/sentinel.ts';
import { errorCount, sortDiagnostics, type Diagnostic, appendAll } from '../../core/diagnostics.ts';
import { AppError, UsageError } from '../../core/errors.ts';
import { workspacesOf, type Workspace } from '../../core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../core/model/yaml-types.ts';
import { markingRepository } from '../../core/compile/metadata.ts';
import { parseLock } from '../../core/lock/lock-file.ts';
import { contentLockDiagnostics } from '../../core/lock/check.ts';
import { desiredState, type DesiredState } from '../../core/plan/desired.ts';
import { ownershipOf, type LiveState, type Ownership } from '../../core/plan/types.ts';
import type { FailureInfo } from '../../core/plan/results.ts';
import { parseShard, selectWorkspaces } from '../../core/plan/select.ts';
import { workspaceSchemaDiagnostics } from '../../core/validate/workspace-schema.ts';
import { loadContent } from '../../io/content.ts';
import { readLockText } from '../../io/lock.ts';
import { validateContentParallel } from '../../workers/validate.ts';

export interface TargetOptions {
  root: string;
  env: string;
  config?: string;
  /** Names or globs (each may be comma-separated). */
  workspace?: string[];
  /** `i/n`, 1-based. */
  shard?: string;
  /** The process environment: SENTINEL_ACCESS_TOKEN, the retry settings and GITHUB_REPOSITORY are read from it. */
  processEnv: Readonly<Record<string, string | undefined>>;
  /** Hosts besides ARM and loopback that SENTINEL_ACCESS_TOKEN may be sent to (--allow-token-host). */
  allowTokenHosts?: string[];
  /** Overall deadline of the run (default DEFAULT_DEADLINE_MS). */
  deadlineMs?: number;
}

export interface Target {
  workspace: Workspace;
  desired: DesiredState;
}

export interface Targets {
  repository: string;
  /** The repository name and the rule ids its version lock proves it owns (what prune and --adopt may touch). */
  owner: Ownership;
  files: number;
  diagnostics: Diagnostic[];
  /** Empty when the diagnostics have errors: nothing may be planned from content that does not compile. */
  targets: Target[];
}

export async function loadTargets(o: TargetOptions): Promise<Targets> {
  const shard = o.shard === undefined ? undefined : parseShard(o.shard);
  const content = loadContent({ root: o.root, config: o.config });
  const validation = await validateContentParallel(content);
  const config = validation.parsed.workspaces?.value as WorkspacesYaml | undefined;
  if (!config && errorCount(validation.diagnostics) === 0) {
    throw new UsageError(
      `--env ${o.env} needs ${o.config ?? 'workspaces.yaml'}, which does not exist`,
      'Create workspaces.yaml (see docs/content-format.md, "Adding a workspace") or pass --config <file>.',
    );
  }
  if (!config || errorCount(validation.diagnostics) > 0) {
    const owner = ownershipOf(config?.repository ?? '', undefined);
    return { repository: owner.repository, owner, files: validation.files, diagnostics: validation.diagnostics, targets: [] };
  }
  const repository = markingRepository(config, o.config ?? 'workspaces.yaml', o.processEnv.GITHUB_REPOSITORY);
  const lockText = readLockText(o.root);
  const lock = lockText === undefined ? undefined : parseLock(lockText);
  const owner = ownershipOf(repository, lock?.lock);

  const workspaces = selectWorkspaces(workspacesOf(config, o.env, o.config), o.workspace, shard);
  checkTokenHosts(o.processEnv, workspaces, o.allowTokenHosts);
  // What validate refuses, plan and deploy refuse: the version-lock checks too (a changed rule without a
  // version bump, a deleted rule not retired, a retired id reused), not only the lock file's syntax.
  const diagnostics = [...validation.diagnostics, ...(lock?.lock ? lock.diagnostics : [])];
  appendAll(diagnostics, contentLockDiagnostics(validation.parsed, lockText));
  appendAll(
    diagnostics,
    workspaceSchemaDiagnostics({
      parsed: validation.parsed,
      diagnostics: validation.diagnostics,
      workspaces,
      snapshots: content.snapshots ?? [],
      everywhere: content.providers ?? [],
      repoTables: content.tables,
      repoFunctions: content.functions ?? [],
    }),
  );
  const targets = workspaces.map((workspace) => {
    const desired = desiredState(validation.parsed, workspace, repository);
    appendAll(diagnostics, desired.diagnostics);
    return { workspace, desired };
  });
  const sorted = sortDiagnostics(diagnostics);
  return { repository, owner, files: validation.files, diagnostics: sorted, targets: errorCount(sorted) > 0 ? [] : targets };
}

export function apiFactory(processEnv: TargetOptions['processEnv'], allowTokenHosts?: readonly string[]): SentinelApiFactory {
  return (workspace, signal) =>
    createSentinelApi(workspace, { env: processEnv, ...(allowTokenHosts ? { allowTokenHosts } : {}), ...(signal ? { signal } : {}) });
}

export async function readLive(api: SentinelApi): Promise<LiveState> {
  const [alertRules, metadata, watchlists] = await Promise.all([api.listAlertRules(), api.listMetadata(), api.listWatchlists()]);
  return { alertRules, metadata, watchlists };
}

/** An error we throw on purpose → what the report shows; anything else is a bug and propagates. */
export function failureInfo(error: unknown): FailureInfo {
  if (!(error instanceof AppError)) throw error;
  const details = 'details' in error ? (error.details as Partial<FailureInfo>) : {};
  return { ...details, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
}
