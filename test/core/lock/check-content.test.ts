// The lock checks wired to validated content (contentLockDiagnostics) and to a base revision.
import { describe, expect, it } from 'vitest';
import { contentLockDiagnostics, lockDiagnostics } from '../../../scripts/core/lock/check.ts';
import { renderLock, ruleHash, type LockFile } from '../../../scripts/core/lock/lock-file.ts';
import type { ParsedContent } from '../../../scripts/core/validate/validate.ts';
import { ruleModel } from '../../support/rule-model.ts';

const ID = '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10';
const OLD = '11111111-2222-4333-8444-555555555555';
const rule = ruleModel();
const parsed = { rules: [{ slug: rule.slug, doc: rule.doc }], lets: new Map(), watchlists: [] } as unknown as ParsedContent;
const lock: LockFile = { rules: { [ID]: { file: 'rules/r.yaml', version: '1.0.0', hash: ruleHash(rule)! } }, retired: [] };
/** The base revision had rules/r.yaml with another id: the id changed, and the old one vanished unretired. */
const base = { ref: 'origin/main', rules: [{ path: 'rules/r.yaml', text: `id: ${OLD}\n` }] };
const idChanged = {
  code: 'lock.id-changed',
  severity: 'error',
  file: 'rules/r.yaml',
  line: 1,
  column: 5,
  message: `the id of rules/r.yaml changed from ${OLD} (in origin/main) to ${ID}; the id is the rule's resource name in every workspace`,
  hint: `Restore id: ${OLD}. A new rule needs a new file; a rule that replaces this one retires it (\`npm run cli -- lock --retire-reason "<why>"\`).`,
};
const oldDeleted = {
  code: 'lock.deleted-not-retired',
  severity: 'error',
  file: 'rules/rules.lock.json',
  line: 1,
  column: 1,
  message: `rule ${OLD} (rules/r.yaml) was deleted (compared with origin/main) but is not recorded as retired in rules/rules.lock.json`,
  hint: 'Record it: `npm run cli -- lock --retire-reason "<why>"`, then commit rules/rules.lock.json; or restore rules/r.yaml.',
};
const fromBase = [idChanged, oldDeleted];

describe('lockDiagnostics with a base revision', () => {
  it("adds the base revision's checks with and without a lock file", () => {
    expect(lockDiagnostics({ rules: [rule], lock: undefined, base })).toStrictEqual(fromBase);
    expect(lockDiagnostics({ rules: [rule], lock, base })).toStrictEqual(fromBase);
  });
});

describe('contentLockDiagnostics', () => {
  it('no lock text: nothing to check, unless the base revision says otherwise', () => {
    expect(contentLockDiagnostics(parsed, undefined)).toStrictEqual([]);
    expect(contentLockDiagnostics(parsed, undefined, base)).toStrictEqual(fromBase);
  });

  it('a lock that does not parse is reported alone', () => {
    expect(contentLockDiagnostics(parsed, '[]', base)).toStrictEqual([
      {
        code: 'lock.invalid',
        severity: 'error',
        file: 'rules/rules.lock.json',
        line: 1,
        column: 1,
        message: 'rules/rules.lock.json: expected {"rules": {...}, "retired": [...]}',
        hint: 'Restore it from git, or delete it and run `npm run cli -- lock` to write it anew.',
      },
    ]);
  });

  it('checks the rules against the parsed lock, positions taken from its text', () => {
    expect(contentLockDiagnostics(parsed, renderLock(lock))).toStrictEqual([]);
    const stray = { ...lock, rules: { ...lock.rules, [OLD]: { file: 'rules/gone.yaml', version: '1.0.0', hash: 'h' } } };
    const text = renderLock(stray);
    expect(contentLockDiagnostics(parsed, text, base)).toStrictEqual([
      {
        code: 'lock.deleted-not-retired',
        severity: 'error',
        file: 'rules/rules.lock.json',
        line: text.split('\n').findIndex((l) => l.includes(OLD)) + 1,
        column: 1,
        message: `rule ${OLD} (rules/gone.yaml) is in rules/rules.lock.json, but no rule has this id any more`,
        hint: 'If it was removed on purpose, record it as retired: `npm run cli -- lock --retire-reason "<why>"`; otherwise restore rules/gone.yaml.',
      },
      idChanged,
    ]);
  });
});
