// The version lock (rules/rules.lock.json): for each rule id, its file, its version and the hash of
// its canonical compiled payload; and the retired ids, which are never reused. Committed, so that a
// pull request that changes what a rule deploys must also bump its version (elastic/detection-rules
// keeps the same kind of lock).
//
// The hash is contentHash (compile/stable-json.ts) of the REST body as the default build compiles it
// (compile/content.ts BUILD_TARGET: NRT rules, which the default api-version cannot express, for
// NRT_API_VERSION). Workspace overrides do not enter it: they are deployment settings, not rule content.
import type { Diagnostic } from '../diagnostics.ts';
import { compileAlertRule } from '../compile/alert-rule.ts';
import { BUILD_TARGET, ruleApiVersion } from '../compile/content.ts';
import { contentHash, stableJson } from '../compile/stable-json.ts';
import type { RuleModel } from '../model/rule.ts';
import { isRecord } from '../guards.ts';
import { compareText } from '../text/compare.ts';

export const LOCK_PATH = 'rules/rules.lock.json';
export const LOCK_COMMAND = 'npm run cli -- lock';

export interface LockEntry {
  file: string;
  version: string;
  /** sha256 of the canonical compiled default payload. */
  hash: string;
}

export interface RetiredEntry {
  id: string;
  file: string;
  reason: string;
}

export interface LockFile {
  rules: Record<string, LockEntry>;
  retired: RetiredEntry[];
}

export const EMPTY_LOCK: LockFile = { rules: {}, retired: [] };

/** Whether the lock covers a rule file: at any depth under rules/ (a rule under review elsewhere is not locked). */
export function isLockedPath(path: string): boolean {
  return /^rules\/.+\.ya?ml$/i.test(path);
}

/** The rules the lock covers (isLockedPath). */
export function lockedRules(rules: readonly RuleModel[]): RuleModel[] {
  return rules.filter((r) => isLockedPath(r.file));
}

/** Hash of the rule's canonical compiled payload; undefined when it does not compile (compile reports why). */
export function ruleHash(rule: RuleModel): string | undefined {
  const result = compileAlertRule(rule, ruleApiVersion(rule.yaml, BUILD_TARGET));
  return result.ok ? contentHash(result.rule.body) : undefined;
}

export function renderLock(lock: LockFile): string {
  const retired = [...lock.retired].sort((a, b) => compareText(a.id, b.id));
  return stableJson({ rules: lock.rules, retired });
}

/** Parse the lock file's text; a malformed file is one `lock.invalid` diagnostic. */
export function parseLock(text: string, file = LOCK_PATH): { lock?: LockFile; diagnostics: Diagnostic[] } {
  const invalid = (message: string): { diagnostics: Diagnostic[] } => ({
    diagnostics: [
      {
        code: 'lock.invalid',
        severity: 'error',
        file,
        line: 1,
        column: 1,
        message: `${file}: ${message}`,
        hint: `Restore it from git, or delete it and run \`${LOCK_COMMAND}\` to write it anew.`,
      },
    ],
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return invalid(`not valid JSON (${(error as Error).message})`);
  }
  if (!isRecord(value) || !isRecord(value.rules) || !Array.isArray(value.retired))
    return invalid('expected {"rules": {...}, "retired": [...]}');
  const rules: Record<string, LockEntry> = {};
  for (const [id, entry] of Object.entries(value.rules)) {
    if (!isRecord(entry) || typeof entry.file !== 'string' || typeof entry.version !== 'string' || typeof entry.hash !== 'string') {
      return invalid(`rules["${id}"] must be {"file", "version", "hash"} strings`);
    }
    rules[id] = { file: entry.file, version: entry.version, hash: entry.hash };
  }
  const retired: RetiredEntry[] = [];
  for (const [i, entry] of value.retired.entries()) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.file !== 'string' || typeof entry.reason !== 'string') {
      return invalid(`retired[${i}] must be {"id", "file", "reason"} strings`);
    }
    retired.push({ id: entry.id, file: entry.file, reason: entry.reason });
  }
  return { lock: { rules, retired }, diagnostics: [] };
}

/** 1-based line of `"<id>"` as a key in the lock text (1 when absent), for diagnostics on the lock file. */
export function lockLine(text: string | undefined, id: string): number {
  if (!text) return 1;
  const index = text.indexOf(`"${id}"`);
  // Stryker disable next-line EqualityOperator: at index 0 the line is 1 either way
  return index < 0 ? 1 : text.slice(0, index).split('\n').length;
}

/** -1, 0, 1 comparing two x.y.z versions numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  // Stryker disable next-line EqualityOperator: one more round compares 0 with 0
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    // Stryker disable next-line EqualityOperator: d is not 0 here, so < and <= agree
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return 0;
}

/** The next patch version after the higher of the two: 1.0.0 → 1.0.1. */
export function nextPatch(current: string, locked: string): string {
  // Stryker disable next-line EqualityOperator: equal x.y.z versions (the schema's form) give the same parts either way
  const base = compareVersions(current, locked) >= 0 ? current : locked;
  const parts = base.split('.').map(Number);
  while (parts.length < 3) parts.push(0);
  parts[2] = (parts[2] ?? 0) + 1;
  return parts.join('.');
}
