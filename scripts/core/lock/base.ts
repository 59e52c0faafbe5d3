// Checks against the base revision of a pull request (validate --base <ref>): rule ids are resource
// names in every workspace, so an id must never change, never move to another rule, and never vanish
// without being recorded as retired. The base revision's files are read by io/git.ts; this is pure.
import type { Diagnostic } from '../diagnostics.ts';
import type { RuleModel } from '../model/rule.ts';
import { parseYaml } from '../yaml/document.ts';
import { LOCK_COMMAND, LOCK_PATH, type LockFile } from './lock-file.ts';

export interface BaseRevision {
  /** The git ref as given (for messages). */
  ref: string;
  /** Every rule file under rules/ (any depth) at that revision (path relative to the repository root, text). */
  rules: { path: string; text: string }[];
  /** rules/rules.lock.json at that revision, when it had one. */
  lock?: LockFile;
}

/** Rule id (lower case) of each base file that parses and has one. */
function baseIds(base: BaseRevision): Map<string, string> {
  const ids = new Map<string, string>();
  for (const file of base.rules) {
    const parsed = parseYaml(file.path, file.text);
    if (!parsed.ok) continue;
    const value = parsed.document.value as { id?: unknown } | null;
    if (value && typeof value.id === 'string') ids.set(file.path, value.id.toLowerCase());
  }
  return ids;
}

/**
 * `lock` is the current lock file (undefined when there is none): what lockDiagnostics (check.ts)
 * reports from it is not reported again here: a reuse of an id it retired, a deletion of an id it locks.
 */
export function baseDiagnostics(rules: readonly RuleModel[], base: BaseRevision, lock: LockFile | undefined): Diagnostic[] {
  const out: Diagnostic[] = [];
  const before = baseIds(base);
  const fileOfBaseId = new Map([...before].map(([file, id]) => [id, file]));
  const headFiles = new Set(rules.map((r) => r.file));
  const headIds = new Set(rules.map((r) => r.yaml.id.toLowerCase()));
  const baseRetired = new Map((base.lock?.retired ?? []).map((r) => [r.id.toLowerCase(), r]));
  const retiredNow = new Set((lock?.retired ?? []).map((r) => r.id.toLowerCase()));
  const lockedNow = new Set(Object.keys(lock?.rules ?? {}).map((id) => id.toLowerCase()));

  for (const rule of rules) {
    const id = rule.yaml.id.toLowerCase();
    const at = (code: string, message: string, hint: string): Diagnostic => rule.doc.diagnostic(['id'], code, 'error', message, hint);
    const previous = before.get(rule.file);
    if (previous !== undefined && previous !== id) {
      out.push(
        at(
          'lock.id-changed',
          `the id of ${rule.file} changed from ${previous} (in ${base.ref}) to ${id}; the id is the rule's resource name in every workspace`,
          `Restore id: ${previous}. A new rule needs a new file; a rule that replaces this one retires it (\`${LOCK_COMMAND} --retire-reason "<why>"\`).`,
        ),
      );
    }
    if (retiredNow.has(id)) continue;
    const owner = fileOfBaseId.get(id);
    if (owner !== undefined && owner !== rule.file && headFiles.has(owner)) {
      out.push(
        at(
          'lock.id-reused',
          `id ${id} belonged to ${owner} in ${base.ref}, which still exists; one id, one rule`,
          'Give this rule a new id: node -p "crypto.randomUUID()".',
        ),
      );
    }
    const retired = baseRetired.get(id);
    if (retired) {
      out.push(
        at(
          'lock.id-reused',
          `id ${id} was retired in ${base.ref} (${retired.file}: ${retired.reason}); a retired id is never reused`,
          'Give this rule a new id: node -p "crypto.randomUUID()".',
        ),
      );
    }
  }
  for (const [id, file] of fileOfBaseId) {
    if (headIds.has(id) || retiredNow.has(id) || lockedNow.has(id)) continue;
    out.push({
      code: 'lock.deleted-not-retired',
      severity: 'error',
      file: LOCK_PATH,
      line: 1,
      column: 1,
      message: `rule ${id} (${file}) was deleted (compared with ${base.ref}) but is not recorded as retired in ${LOCK_PATH}`,
      hint: `Record it: \`${LOCK_COMMAND} --retire-reason "<why>"\`, then commit ${LOCK_PATH}; or restore ${file}.`,
    });
  }
  return out;
}
