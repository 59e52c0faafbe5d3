// `lock`: the new lock file for clean content. It records every rule's version and hash and moves
// locked rules that no longer exist to `retired` (with the reason given). It refuses what the lock is
// there to catch: content changed without a version bump, a reused id.
import type { Diagnostic } from '../diagnostics.ts';
import { UsageError } from '../errors.ts';
import type { RuleModel } from '../model/rule.ts';
import { lockDiagnostics } from './check.ts';
import { EMPTY_LOCK, LOCK_COMMAND, lockedRules, ruleHash, type LockFile, type RetiredEntry } from './lock-file.ts';
import { compareText } from '../text/compare.ts';

export interface LockUpdate {
  lock: LockFile;
  added: string[];
  updated: string[];
  retired: string[];
  unchanged: number;
  /** Errors that make the update refuse (then `lock` is the previous one). */
  diagnostics: Diagnostic[];
}

const REFUSED = new Set(['lock.version-not-bumped', 'lock.id-reused']);

export function updateLock(rules: readonly RuleModel[], previous: LockFile | undefined, retireReason?: string): LockUpdate {
  const old = previous ?? EMPTY_LOCK;
  const current = lockedRules(rules);
  const hashes = new Map(current.map((rule) => [rule, ruleHash(rule)]));
  const refused = lockDiagnostics({ rules: current, lock: previous, hashes }).filter((d) => REFUSED.has(d.code) && d.severity === 'error');
  if (refused.length > 0) return { lock: old, added: [], updated: [], retired: [], unchanged: 0, diagnostics: refused };

  const next: LockFile = { rules: {}, retired: [...old.retired] };
  const added: string[] = [];
  const updated: string[] = [];
  let unchanged = 0;
  for (const rule of current) {
    const id = rule.yaml.id.toLowerCase();
    const hash = hashes.get(rule);
    if (hash === undefined) continue; // does not compile: build/validate report why
    const entry = { file: rule.file, version: rule.yaml.version, hash };
    const before = old.rules[id];
    if (!before) added.push(id);
    else if (before.file !== entry.file || before.version !== entry.version || before.hash !== entry.hash) updated.push(id);
    else unchanged++;
    next.rules[id] = entry;
  }
  const gone = Object.entries(old.rules).filter(([id]) => !(id in next.rules));
  if (gone.length > 0 && !retireReason?.trim()) {
    throw new UsageError(
      `locked rules no longer present: ${gone.map(([id, e]) => `${id} (${e.file})`).join(', ')}; lock records them as retired only with --retire-reason`,
      `Say why: \`${LOCK_COMMAND} --retire-reason "<why>"\`; or restore the file(s) if the deletion was a mistake.`,
    );
  }
  for (const [id, entry] of gone) next.retired.push({ id, file: entry.file, reason: retireReason!.trim() } satisfies RetiredEntry);
  next.retired.sort((a, b) => compareText(a.id, b.id));
  return { lock: next, added: added.sort(), updated: updated.sort(), retired: gone.map(([id]) => id).sort(), unchanged, diagnostics: [] };
}
