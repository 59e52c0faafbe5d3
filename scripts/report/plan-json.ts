// `plan --format json`: the CLI contract {"workspaces":[{"name","changes":[{"type","id","action",…}]}]}
// plus environment, repository, per-workspace counts, and diagnostics when there are any.
import type { PlanReport } from '../core/plan/results.ts';
import { countActions } from '../core/plan/types.ts';
import { contractOrder } from './plan-values.ts';

function planJson(report: PlanReport): object {
  return {
    environment: report.environment,
    repository: report.repository,
    workspaces: report.workspaces.map((ws) => ({
      name: ws.name,
      ...(ws.error ? { error: ws.error } : { summary: countActions(ws.changes) }),
      changes: ws.changes.map(contractOrder),
    })),
    ...(report.diagnostics.length ? { diagnostics: report.diagnostics } : {}),
  };
}

export function renderPlanJson(report: PlanReport): string {
  return `${JSON.stringify(planJson(report), null, 2)}\n`;
}
