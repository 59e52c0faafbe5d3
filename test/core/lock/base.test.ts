// baseDiagnostics (validate --base): ids never change, never move to another rule, never vanish unrecorded.
import { describe, expect, it } from 'vitest';
import { baseDiagnostics, type BaseRevision } from '../../../scripts/core/lock/base.ts';
import type { LockFile } from '../../../scripts/core/lock/lock-file.ts';
import { RULE_YAML, ruleModel } from '../../support/rule-model.ts';

const A = '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10';
const B = '11111111-2222-4333-8444-555555555555';
const yamlWith = (id: string) => RULE_YAML.replace(/^id: .*$/m, `id: ${id}`);
const base = (rules: Record<string, string>, lock?: LockFile): BaseRevision => ({
  ref: 'origin/main',
  rules: Object.entries(rules).map(([path, text]) => ({ path, text })),
  ...(lock ? { lock } : {}),
});
const NEW_ID = 'Give this rule a new id: node -p "crypto.randomUUID()".';

describe('baseDiagnostics', () => {
  it('the same rules with the same ids are clean; a base file that does not parse or has no id is skipped', () => {
    expect(
      baseDiagnostics(
        [ruleModel('rules/a.yaml')],
        base({
          'rules/a.yaml': yamlWith(A.toUpperCase()),
          'rules/bad.yaml': 'id: [',
          'rules/none.yaml': 'name: x\n',
          'rules/num.yaml': 'id: 7\n',
        }),
        undefined,
      ),
    ).toStrictEqual([]);
  });

  it('an id that changed in its file', () => {
    const rule = ruleModel('rules/a.yaml', { id: B });
    expect(
      baseDiagnostics([rule], base({ 'rules/a.yaml': yamlWith(A) }), {
        rules: { [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: 'h' } },
        retired: [],
      }),
    ).toStrictEqual([
      {
        code: 'lock.id-changed',
        severity: 'error',
        file: 'rules/a.yaml',
        line: 1,
        column: 5,
        message: `the id of rules/a.yaml changed from ${A} (in origin/main) to ${B}; the id is the rule's resource name in every workspace`,
        hint: `Restore id: ${A}. A new rule needs a new file; a rule that replaces this one retires it (\`npm run cli -- lock --retire-reason "<why>"\`).`,
      },
    ]);
  });

  it('an id taken from a rule that still exists; taken from one that was deleted and recorded is fine', () => {
    const copy = ruleModel('rules/copy.yaml');
    expect(baseDiagnostics([ruleModel('rules/a.yaml'), copy], base({ 'rules/a.yaml': yamlWith(A) }), undefined)).toStrictEqual([
      {
        code: 'lock.id-reused',
        severity: 'error',
        file: 'rules/copy.yaml',
        line: 1,
        column: 5,
        message: `id ${A} belonged to rules/a.yaml in origin/main, which still exists; one id, one rule`,
        hint: NEW_ID,
      },
    ]);
    expect(baseDiagnostics([copy], base({ 'rules/a.yaml': yamlWith(A) }), undefined)).toStrictEqual([]);
  });

  it("an id the base lock retired; the current lock's own retirement is reported by the lock check instead", () => {
    const retired = { rules: {}, retired: [{ id: A.toUpperCase(), file: 'rules/old.yaml', reason: 'replaced' }] };
    expect(baseDiagnostics([ruleModel('rules/a.yaml')], base({}, retired), undefined)).toStrictEqual([
      {
        code: 'lock.id-reused',
        severity: 'error',
        file: 'rules/a.yaml',
        line: 1,
        column: 5,
        message: `id ${A} was retired in origin/main (rules/old.yaml: replaced); a retired id is never reused`,
        hint: NEW_ID,
      },
    ]);
    expect(baseDiagnostics([ruleModel('rules/a.yaml')], base({}, retired), retired)).toStrictEqual([]);
  });

  it('a rule deleted since the base and not retired; retired or still locked now is left to the lock', () => {
    const b = base({ 'rules/a.yaml': yamlWith(A), 'rules/b.yaml': yamlWith(B) });
    expect(baseDiagnostics([ruleModel('rules/a.yaml')], b, undefined)).toStrictEqual([
      {
        code: 'lock.deleted-not-retired',
        severity: 'error',
        file: 'rules/rules.lock.json',
        line: 1,
        column: 1,
        message: `rule ${B} (rules/b.yaml) was deleted (compared with origin/main) but is not recorded as retired in rules/rules.lock.json`,
        hint: 'Record it: `npm run cli -- lock --retire-reason "<why>"`, then commit rules/rules.lock.json; or restore rules/b.yaml.',
      },
    ]);
    expect(
      baseDiagnostics([ruleModel('rules/a.yaml')], b, { rules: {}, retired: [{ id: B, file: 'rules/b.yaml', reason: 'r' }] }),
    ).toStrictEqual([]);
    expect(
      baseDiagnostics([ruleModel('rules/a.yaml')], b, {
        rules: { [B.toUpperCase()]: { file: 'rules/b.yaml', version: '1.0.0', hash: 'h' } },
        retired: [],
      }),
    ).toStrictEqual([]);
  });
});
