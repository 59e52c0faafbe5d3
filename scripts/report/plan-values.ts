// Shared by the plan and deploy reporters: how a changed field is shown (old → new, or a compact
// line diff for long texts such as queries), the one-line summary of a change, which changes are
// listed, and why deploy refused one.
import { isLongText, lineDiff, type DiffLine } from '../core/plan/field-diff.ts';
import type { Change, FieldChange } from '../core/plan/types.ts';

function showValue(value: unknown): string {
  return value === undefined ? '(not set)' : JSON.stringify(value);
}

export type FieldView = { field: string; kind: 'value'; old: string; new: string } | { field: string; kind: 'lines'; lines: DiffLine[] };

export function fieldView(c: FieldChange): FieldView {
  if (isLongText(c.old) || isLongText(c.new)) {
    return {
      field: c.field,
      kind: 'lines',
      lines: lineDiff(typeof c.old === 'string' ? c.old : '', typeof c.new === 'string' ? c.new : ''),
    };
  }
  return { field: c.field, kind: 'value', old: showValue(c.old), new: showValue(c.new) };
}

export function diffLineText(line: DiffLine): string {
  return line.kind === '…' ? '…' : `${line.kind} ${line.text}`;
}

export const SYMBOL: Record<Change['action'], string> = { create: '+', update: '~', delete: '-', noop: '=' };

export function title(change: Change): string {
  return change.displayName ? `${change.displayName} (${change.id})` : change.id;
}

/** Listed in a report: it writes something or a reviewer must see its conflict. */
export function worthShowing(change: Change): boolean {
  return change.action !== 'noop' || change.conflict !== undefined;
}

export function conflictCount(changes: readonly Change[]): number {
  return changes.filter((c) => c.conflict).length;
}

/** Why deploy refused a conflicting change, and what would take it over (if anything may). */
export function refusal(change: Change): { why: string; remedy?: string } {
  const conflict = change.conflict;
  if (conflict?.reason !== 'unmanaged') return { why: 'owned by another repository' };
  return conflict.adoptable
    ? { why: 'not marked as ours', remedy: 'deploy --adopt takes it over' }
    : {
        why: 'not marked as ours, and its id is not in the version lock',
        remedy: 'run `npm run cli -- lock` and commit the lock, then deploy --adopt',
      };
}

/** The words after the action: what the reviewer must not miss. */
export function remarks(change: Change): string[] {
  const out: string[] = [];
  if (change.conflict) out.push(`CONFLICT: ${change.conflict.message}`);
  if (change.action === 'delete') out.push('owned by this repository and no longer in it: deleted only by deploy --prune');
  if (change.action === 'update' && !change.changedFields?.length && change.mark !== 'noop') out.push('ownership mark only');
  if (change.note) out.push(change.note);
  return out;
}

/** type, id and action first (the CLI contract's keys), then the rest as built. */
export function contractOrder<C extends Change>({
  type,
  id,
  action,
  ...rest
}: C): Omit<C, 'type' | 'id' | 'action'> & Pick<Change, 'type' | 'id' | 'action'> {
  return { type, id, action, ...rest };
}
