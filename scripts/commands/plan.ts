// `plan`: per selected workspace, read the live state (every page), compare with what this repository
// would deploy there, and report create / update / noop / delete with field diffs. Writes nothing.
import { mapPool } from '../core/pool.ts';
import { planWorkspace } from '../core/plan/plan.ts';
import type { PlanReport, WorkspacePlanResult } from '../core/plan/results.ts';
import { startDeadline } from './shared/deadline.ts';
import { apiFactory, failureInfo, loadTargets, readLive, type TargetOptions } from './shared/targets.ts';

/** Workspaces read at once. */
const WORKSPACE_CONCURRENCY = 4;

export async function planCommand(options: TargetOptions): Promise<PlanReport> {
  const { repository, owner, files, diagnostics, targets } = await loadTargets(options);
  const api = apiFactory(options.processEnv, options.allowTokenHosts);
  const deadline = startDeadline(options.deadlineMs);
  const workspaces = await mapPool(targets, WORKSPACE_CONCURRENCY, async ({ workspace, desired }): Promise<WorkspacePlanResult> => {
    try {
      const live = await readLive(api(workspace, deadline.signal));
      return { name: workspace.name, changes: planWorkspace(workspace, desired, live, owner).changes.map((c) => c.change) };
    } catch (error) {
      return { name: workspace.name, changes: [], error: failureInfo(error) };
    }
  }).finally(() => deadline.stop());
  return { environment: options.env, repository, files, diagnostics, workspaces };
}
