// `plan --format text`: per workspace a count line, then each change that writes something, with its
// changed fields (old → new; long texts as a line diff). Unchanged rules are counted, not listed.
import type { PlanReport } from '../core/plan/results.ts';
import { countActions, type Change } from '../core/plan/types.ts';
import { conflictCount, diffLineText, fieldView, remarks, SYMBOL, title, worthShowing } from './plan-values.ts';
import { safeForText } from './safe.ts';
import type { Style } from './style.ts';

export function renderPlanText(raw: PlanReport, style: Style): string {
  const report = safeForText(raw);
  const lines: string[] = [`Plan for environment ${report.environment} (repository ${report.repository})`, ''];
  for (const ws of report.workspaces) {
    if (ws.error) {
      lines.push(`${style.bold(ws.name)}: ${style.red(`could not be planned: ${ws.error.message}`)}`);
      if (ws.error.hint) lines.push(`  ${style.dim(`→ ${ws.error.hint}`)}`);
      lines.push('');
      continue;
    }
    lines.push(`${style.bold(ws.name)}: ${countLine(ws.changes)}`);
    for (const change of ws.changes.filter(worthShowing)) lines.push(...changeLines(change, style, '  '));
    lines.push('');
  }
  if (report.workspaces.length === 0) lines.push('No workspace selected.', '');
  return `${lines.join('\n')}`;
}

export function countLine(changes: readonly Change[]): string {
  const n = countActions(changes);
  const conflicts = conflictCount(changes);
  const parts = [`${n.create} to create`, `${n.update} to update`, `${n.delete} to delete (with --prune)`, `${n.noop} unchanged`];
  if (conflicts) parts.push(`${conflicts} conflict${conflicts === 1 ? '' : 's'}`);
  return parts.join(', ');
}

export function changeLines(change: Change, style: Style, indent: string): string[] {
  const colour = change.conflict
    ? style.red
    : change.action === 'create'
      ? style.green
      : change.action === 'delete'
        ? style.red
        : style.yellow;
  const file = change.file ? style.dim(`  ${change.file}`) : '';
  const lines = [`${indent}${colour(`${SYMBOL[change.action]} ${change.type} ${title(change)}`)}${file}`];
  for (const remark of remarks(change))
    lines.push(`${indent}    ${change.conflict && remark.startsWith('CONFLICT') ? style.red(remark) : style.dim(remark)}`);
  const fields = [
    ...(change.changedFields ?? []).map((f) => ({ f, prefix: '' })),
    ...(change.markFields ?? []).map((f) => ({ f, prefix: 'ownership mark: ' })),
  ];
  for (const { f, prefix } of fields) {
    const view = fieldView(f);
    if (view.kind === 'value') {
      lines.push(`${indent}    ${prefix}${view.field}: ${view.old} → ${view.new}`);
    } else {
      lines.push(`${indent}    ${prefix}${view.field}:`);
      for (const line of view.lines) {
        const text = `${indent}      ${diffLineText(line)}`;
        lines.push(line.kind === '-' ? style.red(text) : line.kind === '+' ? style.green(text) : style.dim(text));
      }
    }
  }
  if (change.mark === 'create' && change.action !== 'create') lines.push(`${indent}    ${style.dim('ownership mark: create')}`);
  return lines;
}
