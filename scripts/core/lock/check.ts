// Lock checks, run after validation when the content is clean (they need the compiled payload):
//   lock.missing               a rule without a lock entry (or the lock file deleted, with --base)
//   lock.version-not-bumped    compiled content changed, version did not go up (the fix names the version)
//   lock.stale                 version bumped (or file moved) but the lock not updated; a bump without a
//                              content change is allowed (a warning until the lock records it)
//   lock.deleted-not-retired   a locked rule is gone and not recorded as retired
//   lock.id-reused             a rule uses a retired id
// With a base revision (validate --base <ref>, base.ts): lock.id-changed, lock.id-reused, lock.deleted-not-retired
// (what the current lock already reports, base.ts leaves out).
import { appendAll } from '../diagnostics.ts';
import type { Diagnostic } from '../diagnostics.ts';
import { ruleModels } from '../compile/content.ts';
import type { RuleModel } from '../model/rule.ts';
import type { ParsedContent } from '../validate/validate.ts';
import { baseDiagnostics, type BaseRevision } from './base.ts';
import {
  compareVersions,
  LOCK_COMMAND,
  LOCK_PATH,
  lockedRules,
  lockLine,
  nextPatch,
  parseLock,
  ruleHash,
  type LockFile,
} from './lock-file.ts';

export interface LockInput {
  rules: readonly RuleModel[];
  /** The committed lock, or undefined when the file does not exist. */
  lock: LockFile | undefined;
  /** Its text, for positions. */
  lockText?: string;
  base?: BaseRevision;
  /** ruleHash of each rule, when the caller has computed them already (each rule is compiled once). */
  hashes?: ReadonlyMap<RuleModel, string | undefined>;
}

export function lockDiagnostics(input: LockInput): Diagnostic[] {
  const rules = lockedRules(input.rules);
  const out: Diagnostic[] = [];
  if (!input.lock) {
    // No lock file: the lock is not adopted (yet), nothing to check, unless the base revision had one
    // (a pull request must not switch the checks off by deleting it).
    if (input.base?.lock !== undefined && rules.length > 0) {
      out.push({
        code: 'lock.missing',
        severity: 'error',
        file: LOCK_PATH,
        line: 1,
        column: 1,
        message: `${LOCK_PATH} is missing, but ${input.base.ref} has one: rule versions cannot be checked`,
        hint: `Restore it (git checkout ${input.base.ref} -- ${LOCK_PATH}), then run \`${LOCK_COMMAND}\`.`,
      });
    }
    if (input.base) appendAll(out, baseDiagnostics(rules, input.base, undefined));
    return out;
  }
  const { lock } = input;
  const retired = new Map(lock.retired.map((r) => [r.id.toLowerCase(), r]));
  const present = new Set<string>();
  for (const rule of rules) {
    const id = rule.yaml.id.toLowerCase();
    present.add(id);
    const gone = retired.get(id);
    if (gone) {
      out.push(
        rule.doc.diagnostic(
          ['id'],
          'lock.id-reused',
          'error',
          `id ${id} belonged to a retired rule (${gone.file}: ${gone.reason}); a retired id is never reused`,
          'Give this rule a new id: node -p "crypto.randomUUID()".',
        ),
      );
      continue;
    }
    const entry = lock.rules[id];
    if (!entry) {
      out.push(
        rule.doc.diagnostic(
          ['id'],
          'lock.missing',
          'error',
          `rule ${id} has no entry in ${LOCK_PATH}`,
          `Run \`${LOCK_COMMAND}\` and commit ${LOCK_PATH}.`,
        ),
      );
      continue;
    }
    const hash = input.hashes?.has(rule) ? input.hashes.get(rule) : ruleHash(rule);
    const version = rule.yaml.version;
    const order = compareVersions(version, entry.version);
    if (order < 0) {
      out.push(
        rule.doc.diagnostic(
          ['version'],
          'lock.version-not-bumped',
          'error',
          `version ${version} is lower than the locked ${entry.version}; versions only go up`,
          `Set version to ${nextPatch(version, entry.version)} and run \`${LOCK_COMMAND}\`.`,
        ),
      );
    } else if (hash !== undefined && hash !== entry.hash) {
      out.push(
        order === 0
          ? rule.doc.diagnostic(
              ['version'],
              'lock.version-not-bumped',
              'error',
              `the compiled rule changed since version ${entry.version} was locked, but its version did not`,
              `Bump version to ${nextPatch(version, entry.version)} and run \`${LOCK_COMMAND}\`.`,
            )
          : rule.doc.diagnostic(
              ['version'],
              'lock.stale',
              'error',
              `version bumped to ${version}, but ${LOCK_PATH} still records ${entry.version} with the old content's hash`,
              `Run \`${LOCK_COMMAND}\` and commit ${LOCK_PATH}.`,
            ),
      );
    } else if (order > 0) {
      out.push(
        rule.doc.diagnostic(
          ['version'],
          'lock.stale',
          'warning',
          `version bumped to ${version} without a content change (allowed); ${LOCK_PATH} still records ${entry.version}`,
          `Run \`${LOCK_COMMAND}\` and commit ${LOCK_PATH}.`,
        ),
      );
    }
    if (entry.file !== rule.file) {
      out.push(
        rule.doc.diagnostic(
          ['id'],
          'lock.stale',
          'error',
          `rule ${id} moved from ${entry.file} to ${rule.file}; ${LOCK_PATH} still names ${entry.file}`,
          `Run \`${LOCK_COMMAND}\` and commit ${LOCK_PATH}.`,
        ),
      );
    }
  }
  for (const [id, entry] of Object.entries(lock.rules)) {
    if (present.has(id.toLowerCase()) || retired.has(id.toLowerCase())) continue;
    out.push({
      code: 'lock.deleted-not-retired',
      severity: 'error',
      file: LOCK_PATH,
      line: lockLine(input.lockText, id),
      column: 1,
      message: `rule ${id} (${entry.file}) is in ${LOCK_PATH}, but no rule has this id any more`,
      hint: `If it was removed on purpose, record it as retired: \`${LOCK_COMMAND} --retire-reason "<why>"\`; otherwise restore ${entry.file}.`,
    });
  }
  if (input.base) appendAll(out, baseDiagnostics(rules, input.base, lock));
  return out;
}

/** The lock checks for validated content: parses the lock text (undefined = no lock file). */
export function contentLockDiagnostics(parsed: ParsedContent, lockText: string | undefined, base?: BaseRevision): Diagnostic[] {
  if (lockText === undefined) return lockDiagnostics({ rules: ruleModels(parsed), lock: undefined, ...(base ? { base } : {}) });
  const { lock, diagnostics } = parseLock(lockText);
  if (!lock) return diagnostics;
  return lockDiagnostics({ rules: ruleModels(parsed), lock, lockText, ...(base ? { base } : {}) });
}
