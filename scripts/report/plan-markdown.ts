// `plan --format markdown`: the pull-request comment. A reviewer should grasp it in ten seconds: a
// hidden marker (the workflow finds and updates its own comment by it), one table row per workspace,
// then per workspace the changes, each update folded in a <details> with its field diffs.
import type { PlanReport, WorkspacePlanResult } from '../core/plan/results.ts';
import { countActions, type Change } from '../core/plan/types.ts';
import { cell, code, codeSpan, esc, table } from './markdown.ts';
import { safeForText } from './safe.ts';
import { conflictCount, diffLineText, fieldView, remarks, title, worthShowing } from './plan-values.ts';

export const PLAN_MARKER = '<!-- sentinel-plan -->';
/** GitHub refuses comments above 65,536 characters; stay well below. */
const MAX_LENGTH = 60_000;
const ICON: Record<Change['action'], string> = { create: '➕', update: '✏️', delete: '🗑️', noop: '＝' };

export function renderPlanMarkdown(raw: PlanReport): string {
  const report = safeForText(raw);
  const head = [PLAN_MARKER, `### Sentinel plan · ${codeSpan(report.environment)}`, ''];
  if (report.workspaces.length === 0) return `${[...head, 'No workspace selected.'].join('\n')}\n`;
  const rows = report.workspaces.map((ws) => {
    if (ws.error) return [cell(ws.name), `⚠️ not planned: ${cell(ws.error.message)}`];
    const n = countActions(ws.changes);
    const conflicts = conflictCount(ws.changes);
    return [cell(ws.name), n.create, n.update, n.delete, n.noop, conflicts ? `**${conflicts}**` : 0];
  });
  head.push(...table(['Workspace', 'Create', 'Update', 'Delete¹', 'Unchanged', 'Conflicts'], 'lrrrrr', rows));
  head.push(
    '',
    `¹ Deletes (rules this repository deployed and no longer contains) are applied only by \`deploy --prune\`. Repository mark: ${codeSpan(report.repository)}.`,
    '',
  );

  let body = '';
  const sections = report.workspaces.filter((ws) => ws.error || ws.changes.some(worthShowing)).map(section);
  for (const [i, text] of sections.entries()) {
    if (head.join('\n').length + body.length + text.length > MAX_LENGTH) {
      body += `\n_…${sections.length - i} more workspace section(s) left out to fit a comment: run \`plan --format text\` or see the job log._\n`;
      break;
    }
    body += text;
  }
  if (!sections.length) body = '_No changes: every workspace matches the repository._\n';
  return `${`${head.join('\n')}\n${body}`.trimEnd()}\n`;
}

function section(ws: WorkspacePlanResult): string {
  const lines = [`#### ${esc(ws.name)}`, ''];
  if (ws.error) {
    lines.push(`⚠️ ${esc(ws.error.message)}`);
    if (ws.error.hint) lines.push('', `_${esc(ws.error.hint)}_`);
    return `${lines.join('\n')}\n\n`;
  }
  let previous: 'item' | 'block' | undefined;
  for (const change of ws.changes.filter(worthShowing)) {
    const block = changeBlock(change);
    // A tight list for one-line changes; a blank line around each <details>.
    if (previous && !(previous === 'item' && block.kind === 'item')) lines.push('');
    lines.push(...block.lines);
    previous = block.kind;
  }
  return `${lines.join('\n')}\n\n`;
}

function changeBlock(change: Change): { kind: 'item' | 'block'; lines: string[] } {
  const icon = change.conflict ? '⛔' : ICON[change.action];
  const file = change.file ? ` — <code>${esc(change.file)}</code>` : '';
  const summary = `${icon} <b>${change.action}</b> ${change.type} ${esc(title(change))}${file}`;
  const notes = remarks(change).map((r) => `<i>${esc(r)}</i>`);
  const fields = [
    ...(change.changedFields ?? []).map((f) => ({ f, prefix: '' })),
    ...(change.markFields ?? []).map((f) => ({ f, prefix: 'ownership mark · ' })),
  ];
  if (!fields.length) return { kind: 'item', lines: [`- ${summary}${notes.length ? `<br>${notes.join('<br>')}` : ''}`] };

  const out = ['<details>', `<summary>${summary}${notes.length ? ` · ${notes.join(' · ')}` : ''}</summary>`, ''];
  const values = fields.map(({ f, prefix }) => ({ view: fieldView(f), prefix }));
  const simple = values.filter((v) => v.view.kind === 'value');
  if (simple.length) {
    out.push('| Field | Old | New |', '|---|---|---|');
    for (const { view, prefix } of simple)
      if (view.kind === 'value') out.push(`| ${cell(prefix + view.field)} | ${code(view.old)} | ${code(view.new)} |`);
    out.push('');
  }
  for (const { view, prefix } of values) {
    if (view.kind !== 'lines') continue;
    const text = view.lines.map(diffLineText).join('\n');
    const fence = '`'.repeat(Math.max(3, longestRun(text) + 1));
    out.push(`<b>${esc(prefix + view.field)}</b>`, '', `${fence}diff`, text, fence, '');
  }
  out.push('</details>');
  return { kind: 'block', lines: out };
}

function longestRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
}
