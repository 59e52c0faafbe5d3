// `lock [--retire-reason <why>]`: validate, then write rules/rules.lock.json for the current rules
// (deterministic). Refuses a rule whose compiled content changed without a version bump, and a
// reused id; deleted rules move to `retired` with the reason given.
import { errorCount, sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import { ruleModels } from '../core/compile/content.ts';
import { LOCK_PATH, parseLock, renderLock } from '../core/lock/lock-file.ts';
import { updateLock } from '../core/lock/update.ts';
import { loadContent } from '../io/content.ts';
import { readLockText, writeLockText } from '../io/lock.ts';
import { validateContentParallel } from '../workers/validate.ts';

export interface LockOptions {
  root: string;
  config?: string;
  retireReason?: string;
}

export interface LockResult {
  files: number;
  diagnostics: Diagnostic[];
  lockFile: string;
  /** False when nothing changed (or the update was refused). */
  written: boolean;
  added: string[];
  updated: string[];
  retired: string[];
  unchanged: number;
}

export async function lockCommand(options: LockOptions): Promise<LockResult> {
  const validation = await validateContentParallel(loadContent({ root: options.root, config: options.config }));
  const result: LockResult = {
    files: validation.files,
    diagnostics: validation.diagnostics,
    lockFile: LOCK_PATH,
    written: false,
    added: [],
    updated: [],
    retired: [],
    unchanged: 0,
  };
  if (errorCount(validation.diagnostics) > 0) return result;

  const text = readLockText(options.root);
  const parsed = text === undefined ? undefined : parseLock(text);
  if (parsed && !parsed.lock) return { ...result, diagnostics: sortDiagnostics([...validation.diagnostics, ...parsed.diagnostics]) };
  const update = updateLock(ruleModels(validation.parsed), parsed?.lock, options.retireReason);
  if (update.diagnostics.length > 0) return { ...result, diagnostics: sortDiagnostics([...validation.diagnostics, ...update.diagnostics]) };
  const next = renderLock(update.lock);
  const written = next !== text;
  if (written) writeLockText(options.root, next);
  return { ...result, written, added: update.added, updated: update.updated, retired: update.retired, unchanged: update.unchanged };
}
