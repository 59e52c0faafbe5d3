// lockDiagnostics: every lock code, where it points and what it says.
import { describe, expect, it } from 'vitest';
import { lockDiagnostics } from '../../../scripts/core/lock/check.ts';
import { ruleHash, type LockFile } from '../../../scripts/core/lock/lock-file.ts';
import { ruleModel } from '../../support/rule-model.ts';

const ID = '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10';
const OTHER = '11111111-2222-4333-8444-555555555555';
const rule = ruleModel();
const hash = ruleHash(rule)!;
const lockOf = (entry: Partial<LockFile['rules'][string]> = {}, more: Partial<LockFile> = {}): LockFile => ({
  rules: { [ID]: { file: 'rules/r.yaml', version: '1.0.0', hash, ...entry } },
  retired: [],
  ...more,
});
const RUN = 'Run `npm run cli -- lock` and commit rules/rules.lock.json.';
const diag = (code: string, severity: string, line: number, column: number, message: string, hint: string) => ({
  code,
  severity,
  message,
  file: 'rules/r.yaml',
  line,
  column,
  hint,
});

describe('lockDiagnostics', () => {
  it("a rule as locked is clean; a rule outside rules/ is not the lock's business", () => {
    expect(lockDiagnostics({ rules: [rule], lock: lockOf() })).toStrictEqual([]);
    expect(lockDiagnostics({ rules: [ruleModel('drafts/r.yaml')], lock: { rules: {}, retired: [] } })).toStrictEqual([]);
  });

  it('no lock file: nothing to check, unless the base revision had one', () => {
    expect(lockDiagnostics({ rules: [rule], lock: undefined })).toStrictEqual([]);
    expect(lockDiagnostics({ rules: [rule], lock: undefined, base: { ref: 'origin/main', rules: [], lock: lockOf() } })).toStrictEqual([
      {
        code: 'lock.missing',
        severity: 'error',
        file: 'rules/rules.lock.json',
        line: 1,
        column: 1,
        message: 'rules/rules.lock.json is missing, but origin/main has one: rule versions cannot be checked',
        hint: 'Restore it (git checkout origin/main -- rules/rules.lock.json), then run `npm run cli -- lock`.',
      },
    ]);
    expect(lockDiagnostics({ rules: [], lock: undefined, base: { ref: 'origin/main', rules: [], lock: lockOf() } })).toStrictEqual([]);
  });

  it('a rule without an entry', () => {
    expect(lockDiagnostics({ rules: [rule], lock: { rules: {}, retired: [] } })).toStrictEqual([
      diag('lock.missing', 'error', 1, 5, `rule ${ID} has no entry in rules/rules.lock.json`, RUN),
    ]);
  });

  it('a retired id in use', () => {
    const lock = { rules: {}, retired: [{ id: ID.toUpperCase(), file: 'rules/old.yaml', reason: 'replaced' }] };
    expect(lockDiagnostics({ rules: [rule], lock })).toStrictEqual([
      diag(
        'lock.id-reused',
        'error',
        1,
        5,
        `id ${ID} belonged to a retired rule (rules/old.yaml: replaced); a retired id is never reused`,
        'Give this rule a new id: node -p "crypto.randomUUID()".',
      ),
    ]);
  });

  it('content changed without a bump; a version lower than the lock', () => {
    expect(lockDiagnostics({ rules: [rule], lock: lockOf({ hash: 'old' }) })).toStrictEqual([
      diag(
        'lock.version-not-bumped',
        'error',
        15,
        10,
        'the compiled rule changed since version 1.0.0 was locked, but its version did not',
        'Bump version to 1.0.1 and run `npm run cli -- lock`.',
      ),
    ]);
    expect(lockDiagnostics({ rules: [rule], lock: lockOf({ version: '1.2.0' }) })).toStrictEqual([
      diag(
        'lock.version-not-bumped',
        'error',
        15,
        10,
        'version 1.0.0 is lower than the locked 1.2.0; versions only go up',
        'Set version to 1.2.1 and run `npm run cli -- lock`.',
      ),
    ]);
  });

  it('bumped with new content but not locked (an error); bumped alone (a warning)', () => {
    const bumped = ruleModel('rules/r.yaml', { version: '1.1.0' });
    expect(lockDiagnostics({ rules: [bumped], lock: lockOf({ hash: 'old' }) })).toStrictEqual([
      diag(
        'lock.stale',
        'error',
        15,
        10,
        "version bumped to 1.1.0, but rules/rules.lock.json still records 1.0.0 with the old content's hash",
        RUN,
      ),
    ]);
    expect(lockDiagnostics({ rules: [bumped], lock: lockOf() })).toStrictEqual([
      diag(
        'lock.stale',
        'warning',
        15,
        10,
        'version bumped to 1.1.0 without a content change (allowed); rules/rules.lock.json still records 1.0.0',
        RUN,
      ),
    ]);
  });

  it('a moved rule', () => {
    const moved = ruleModel('rules/network/r.yaml');
    expect(lockDiagnostics({ rules: [moved], lock: lockOf() })).toStrictEqual([
      {
        ...diag(
          'lock.stale',
          'error',
          1,
          5,
          `rule ${ID} moved from rules/r.yaml to rules/network/r.yaml; rules/rules.lock.json still names rules/r.yaml`,
          RUN,
        ),
        file: 'rules/network/r.yaml',
      },
    ]);
  });

  it('hashes given by the caller are used (undefined: the rule does not compile, nothing to compare)', () => {
    expect(lockDiagnostics({ rules: [rule], lock: lockOf(), hashes: new Map([[rule, 'other']]) }).map((d) => d.code)).toStrictEqual([
      'lock.version-not-bumped',
    ]);
    expect(lockDiagnostics({ rules: [rule], lock: lockOf({ hash: 'old' }), hashes: new Map([[rule, undefined]]) })).toStrictEqual([]);
  });

  it('a locked rule that is gone and not retired, at its line in the lock; retired ones are not reported', () => {
    const text = `{\n  "retired": [],\n  "rules": {\n    "${OTHER}": {}\n  }\n}\n`;
    const lock = lockOf(
      {},
      {
        rules: {
          ...lockOf().rules,
          [OTHER]: { file: 'rules/gone.yaml', version: '1.0.0', hash: 'h' },
          OLD: { file: 'rules/old.yaml', version: '1.0.0', hash: 'h' },
        },
        retired: [{ id: 'old', file: 'rules/old.yaml', reason: 'r' }],
      },
    );
    expect(lockDiagnostics({ rules: [rule], lock, lockText: text })).toStrictEqual([
      {
        code: 'lock.deleted-not-retired',
        severity: 'error',
        file: 'rules/rules.lock.json',
        line: 4,
        column: 1,
        message: `rule ${OTHER} (rules/gone.yaml) is in rules/rules.lock.json, but no rule has this id any more`,
        hint: 'If it was removed on purpose, record it as retired: `npm run cli -- lock --retire-reason "<why>"`; otherwise restore rules/gone.yaml.',
      },
    ]);
  });
});
