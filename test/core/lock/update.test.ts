// updateLock: what the new lock records, what it refuses, and the retire rule.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/core/errors.ts';
import { ruleHash, type LockFile } from '../../../scripts/core/lock/lock-file.ts';
import { updateLock } from '../../../scripts/core/lock/update.ts';
import { ruleModel } from '../../support/rule-model.ts';

const A = '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10';
const B = '11111111-2222-4333-8444-555555555555';
const C = '22222222-2222-4333-8444-555555555555';
const a = ruleModel('rules/a.yaml');
const b = ruleModel('rules/b.yaml', { id: B, name: 'B' });
const hashA = ruleHash(a)!;
const hashB = ruleHash(b)!;

describe('updateLock', () => {
  it('a first lock adds every rule under rules/, sorted, each with file, version and hash', () => {
    const result = updateLock([b, a, ruleModel('drafts/x.yaml', { id: C })], undefined);
    expect(result).toStrictEqual({
      lock: {
        rules: {
          [B]: { file: 'rules/b.yaml', version: '1.0.0', hash: hashB },
          [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: hashA },
        },
        retired: [],
      },
      added: [B, A].sort(),
      updated: [],
      retired: [],
      unchanged: 0,
      diagnostics: [],
    });
  });

  it('unchanged, updated (a version, a file or a hash), and the previous lock untouched', () => {
    const previous: LockFile = {
      rules: {
        [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: hashA },
        [B]: { file: 'rules/old-b.yaml', version: '1.0.0', hash: hashB },
      },
      retired: [],
    };
    const result = updateLock([a, b], previous);
    expect([result.added, result.updated, result.unchanged]).toStrictEqual([[], [B], 1]);
    expect(result.lock.rules[B]).toStrictEqual({ file: 'rules/b.yaml', version: '1.0.0', hash: hashB });
    expect(previous.rules[B]!.file).toBe('rules/old-b.yaml');
    const bumped = ruleModel('rules/a.yaml', { version: '1.0.1' });
    expect(
      updateLock([bumped], { rules: { [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: hashA } }, retired: [] }).updated,
    ).toStrictEqual([A]);
    expect(
      updateLock([a], { rules: { [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: 'old' } }, retired: [] }).diagnostics.map(
        (d) => d.code,
      ),
    ).toStrictEqual(['lock.version-not-bumped']);
  });

  it('refuses changed content without a bump, and a reused id: the previous lock comes back unchanged', () => {
    const previous: LockFile = {
      rules: { [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: 'old' } },
      retired: [{ id: B, file: 'rules/b.yaml', reason: 'gone' }],
    };
    const result = updateLock([a, b], previous);
    expect(result.lock).toBe(previous);
    expect([result.added, result.updated, result.retired, result.unchanged]).toStrictEqual([[], [], [], 0]);
    expect(result.diagnostics.map((d) => [d.code, d.file])).toStrictEqual([
      ['lock.version-not-bumped', 'rules/a.yaml'],
      ['lock.id-reused', 'rules/b.yaml'],
    ]);
  });

  it('a lock-only warning (bumped without a change) does not refuse', () => {
    const bumped = ruleModel('rules/a.yaml', { version: '2.0.0' });
    const result = updateLock([bumped], { rules: { [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: hashA } }, retired: [] });
    expect([result.diagnostics, result.updated, result.lock.rules[A]!.version]).toStrictEqual([[], [A], '2.0.0']);
  });

  it('locked rules that are gone need a reason; with one they are retired, sorted by id', () => {
    const previous: LockFile = {
      rules: {
        [A]: { file: 'rules/a.yaml', version: '1.0.0', hash: hashA },
        [C]: { file: 'rules/c.yaml', version: '1.0.0', hash: 'h' },
        [B]: { file: 'rules/b.yaml', version: '1.0.0', hash: hashB },
      },
      retired: [{ id: 'ffff', file: 'rules/f.yaml', reason: 'old' }],
    };
    const error = new UsageError(
      `locked rules no longer present: ${C} (rules/c.yaml), ${B} (rules/b.yaml); lock records them as retired only with --retire-reason`,
      'Say why: `npm run cli -- lock --retire-reason "<why>"`; or restore the file(s) if the deletion was a mistake.',
    );
    expect(() => updateLock([a], previous)).toThrow(error);
    expect(() => updateLock([a], previous, '   ')).toThrow(error);
    const result = updateLock([a], previous, '  merged into a  ');
    expect(result.retired).toStrictEqual([B, C]);
    expect(result.lock.retired).toStrictEqual([
      { id: B, file: 'rules/b.yaml', reason: 'merged into a' },
      { id: C, file: 'rules/c.yaml', reason: 'merged into a' },
      { id: 'ffff', file: 'rules/f.yaml', reason: 'old' },
    ]);
    expect(Object.keys(result.lock.rules)).toStrictEqual([A]);
    expect(result.unchanged).toBe(1);
  });
});
