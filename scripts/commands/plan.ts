// `plan`: per selected workspace, read the live state (every page), compare with what this repository
// would deploy there, and report create / update / noop / delete with field diffs. Writes nothing.
import type { SentinelApiFactory } from '../azure/api.ts';
import { mapPool } from '../core/pool.ts';
import { planWorkspace } from '../core/plan/plan.ts';
import type { PlanReport, WorkspacePlanResult } from '../core/plan/results.ts';
import { apiFactory, failureInfo, loadTargets, readLive, type TargetOptions } from './shared/targets.ts';

export interface PlanOptions extends TargetOptions {
  /** Workspaces read at once (default 4). */
  workspaceConcurrency?: number;
}

export interface PlanDeps {
  api?: SentinelApiFactory;
}

export async function planCommand(options: PlanOptions, deps: PlanDeps = {}): Promise<PlanReport> {
  const { repository, files, diagnostics, targets } = loadTargets(options);
  const api = deps.api ?? apiFactory(options.processEnv);
  const workspaces = await mapPool(targets, options.workspaceConcurrency ?? 4, async ({ workspace, desired }): Promise<WorkspacePlanResult> => {
    try {
      const live = await readLive(api(workspace));
      return { name: workspace.name, changes: planWorkspace(workspace, desired, live, repository).changes.map((c) => c.change) };
    } catch (error) {
      return { name: workspace.name, changes: [], error: failureInfo(error) };
    }
  });
  return { environment: options.env, repository, files, diagnostics, workspaces };
}
