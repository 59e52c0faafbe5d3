// `deploy` results: text (per workspace: status, then each change that did or would do something,
// with its field diffs and, for failures, the rule file, the workspace and the service's message)
// and json ({"workspaces":[{"name","status","writes","changes":[{…, "result"}]}]}).
import type { DeployedChange, DeployReport, WorkspaceDeployResult } from '../core/plan/results.ts';
import { renderDeployMarkdown } from './deploy-markdown.ts';
import { changeLines, countLine } from './plan-text.ts';
import { contractOrder, refusal } from './plan-values.ts';
import { safeForText } from './safe.ts';
import type { Style } from './style.ts';

export type DeployFormat = 'text' | 'json' | 'markdown';

export function renderDeploy(report: DeployReport, format: DeployFormat, style: Style): string {
  if (format === 'markdown') return renderDeployMarkdown(report);
  return format === 'json' ? `${JSON.stringify(deployJson(report), null, 2)}\n` : renderText(safeForText(report), style);
}

function deployJson(report: DeployReport): object {
  return {
    environment: report.environment,
    repository: report.repository,
    dryRun: report.dryRun,
    prune: report.prune,
    workspaces: report.workspaces.map((ws) => ({
      name: ws.name,
      status: ws.status,
      writes: ws.writes,
      ...(ws.error ? { error: ws.error } : {}),
      changes: ws.changes.map(contractOrder),
    })),
    ...(report.diagnostics.length ? { diagnostics: report.diagnostics } : {}),
  };
}

function renderText(report: DeployReport, style: Style): string {
  const mode = report.dryRun ? ' — dry run, nothing written' : '';
  const lines = [`Deploy to environment ${report.environment} (repository ${report.repository})${mode}`, ''];
  for (const ws of report.workspaces) lines.push(...workspaceLines(ws, report, style), '');
  const failed = report.workspaces.filter((w) => w.status === 'failed');
  const writes = report.workspaces.reduce((n, w) => n + w.writes, 0);
  if (report.workspaces.length === 0) lines.push('No workspace selected.');
  else if (failed.length)
    lines.push(style.red(`${failed.length} of ${report.workspaces.length} workspace(s) failed: ${failed.map((w) => w.name).join(', ')}`));
  else
    lines.push(
      style.green(
        `${report.workspaces.length} workspace(s) ${report.dryRun ? `planned: ${writes} write(s) would be sent` : `deployed: ${writes} write(s)`}`,
      ),
    );
  return `${lines.join('\n')}\n`;
}

function workspaceLines(ws: WorkspaceDeployResult, report: DeployReport, style: Style): string[] {
  const status = ws.status === 'ok' ? style.green('ok') : style.red('FAILED');
  const lines = [`${style.bold(ws.name)}: ${status} — ${ws.writes} write(s)${ws.error ? '' : `; ${countLine(ws.changes)}`}`];
  if (ws.error) {
    lines.push(`  ${style.red(ws.error.message)}`);
    if (ws.error.hint) lines.push(`  ${style.dim(`→ ${ws.error.hint}`)}`);
  }
  for (const change of ws.changes.filter((c) => c.result !== 'unchanged')) {
    lines.push(...changeLines(change, style, '  '));
    lines.push(`      ${resultText(change, report, style)}`);
    if (change.error) {
      lines.push(`      ${style.red(change.error.message)}`);
      if (change.error.hint) lines.push(`      ${style.dim(`→ ${change.error.hint}`)}`);
    }
  }
  return lines;
}

function resultText(change: DeployedChange, report: DeployReport, style: Style): string {
  switch (change.result) {
    case 'applied':
      return style.green(`applied (${change.writes} write${change.writes === 1 ? '' : 's'})`);
    case 'planned':
      return style.dim(`would write ${change.writes} request(s)`);
    case 'skipped':
      return style.dim(change.action === 'delete' && !report.prune ? 'skipped: deletes need --prune' : 'skipped');
    case 'refused': {
      const { why, remedy } = refusal(change);
      return style.red(`refused: ${why}${remedy ? ` (${remedy})` : ''}`);
    }
    case 'failed':
      return style.red(`failed after ${change.writes} write(s)`);
    case 'unchanged':
      return 'unchanged';
  }
}
