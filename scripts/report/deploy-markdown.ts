// `deploy --format markdown`: the job summary of a deploy. One row per workspace, then what failed or
// was refused, with the rule file, the workspace and the service's message.
import type { DeployReport, DeployedChange } from '../core/plan/results.ts';
import { cell, codeSpan, esc, table } from './markdown.ts';
import { refusal, title } from './plan-values.ts';
import { safeForText } from './safe.ts';

export function renderDeployMarkdown(raw: DeployReport): string {
  const report = safeForText(raw);
  const mode = report.dryRun ? ' · dry run, nothing written' : '';
  const lines = [`### Sentinel deploy · ${codeSpan(report.environment)}${mode}`, ''];
  if (report.workspaces.length === 0) return `${[...lines, 'No workspace selected.'].join('\n')}\n`;
  const rows = report.workspaces.map((ws) => {
    const count = (...results: DeployedChange['result'][]) => ws.changes.filter((c) => results.includes(c.result)).length;
    const status = ws.status === 'ok' ? '✅ ok' : '❌ failed';
    return [
      cell(ws.name),
      status,
      ws.writes,
      count('applied', 'planned'),
      count('unchanged'),
      count('skipped'),
      count('refused', 'failed'),
    ];
  });
  lines.push(
    ...table(
      ['Workspace', 'Status', 'Writes', report.dryRun ? 'Would change' : 'Changed', 'Unchanged', 'Skipped', 'Refused or failed'],
      'llrrrrr',
      rows,
    ),
    '',
  );

  const problems: string[] = [];
  for (const ws of report.workspaces) {
    if (ws.error) problems.push(`- **${esc(ws.name)}**: ${esc(ws.error.message)}${ws.error.hint ? ` — _${esc(ws.error.hint)}_` : ''}`);
    for (const c of ws.changes.filter((change) => change.result === 'failed' || change.result === 'refused')) {
      const file = c.file ? ` (${codeSpan(c.file)})` : '';
      const { why: refused, remedy } = refusal(c);
      const why = c.error?.message ?? `${refused}${remedy ? `: ${remedy}` : ''}`;
      problems.push(
        `- **${esc(ws.name)}** · ${c.result} ${c.type} ${esc(title(c))}${file}: ${esc(why)}${c.error?.hint ? ` — _${esc(c.error.hint)}_` : ''}`,
      );
    }
  }
  if (problems.length) lines.push('**Needs attention**', '', ...problems, '');
  const skippedDeletes = report.workspaces
    .flatMap((ws) => ws.changes)
    .filter((c) => c.action === 'delete' && c.result === 'skipped').length;
  if (skippedDeletes && !report.prune)
    lines.push(`_${skippedDeletes} owned rule(s) that left the repository were not deleted: run deploy with --prune to delete them._`, '');
  lines.push(`Repository mark: ${codeSpan(report.repository)}.`);
  return `${lines.join('\n')}\n`;
}
