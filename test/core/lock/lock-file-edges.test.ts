// The lock file's edges: which paths it covers, every malformed shape, lines, version arithmetic.
import { describe, expect, it } from 'vitest';
import {
  compareVersions,
  isLockedPath,
  lockedRules,
  lockLine,
  nextPatch,
  parseLock,
  ruleHash,
} from '../../../scripts/core/lock/lock-file.ts';
import { ruleModel } from '../../support/rule-model.ts';

describe('which rules the lock covers', () => {
  it.each([
    ['rules/a.yaml', true],
    ['rules/network/a.yml', true],
    ['rules/A.YAML', true],
    ['rules/.yaml', false],
    ['rules/a.yaml.bak', false],
    ['rules/a.json', false],
    ['drafts/rules/a.yaml', false],
    ['rulesa.yaml', false],
  ])('%s: %s', (path, locked) => {
    expect(isLockedPath(path)).toBe(locked);
  });

  it('lockedRules keeps only those', () => {
    const kept = ruleModel('rules/a.yaml');
    expect(lockedRules([ruleModel('drafts/b.yaml'), kept])).toStrictEqual([kept]);
  });

  it('ruleHash is the same for the same content and differs for other content', () => {
    expect(ruleHash(ruleModel('rules/a.yaml'))).toBe(ruleHash(ruleModel('rules/b.yaml')));
    expect(ruleHash(ruleModel('rules/a.yaml', { severity: 'High' }))).not.toBe(ruleHash(ruleModel('rules/a.yaml')));
    expect(ruleHash(ruleModel('rules/a.yaml'))).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('parseLock: every malformed shape is one lock.invalid at line 1', () => {
  const HINT = 'Restore it from git, or delete it and run `npm run cli -- lock` to write it anew.';
  const SHAPE = 'expected {"rules": {...}, "retired": [...]}';
  it.each([
    ['null', SHAPE],
    ['"text"', SHAPE],
    ['{"rules": [], "retired": []}', SHAPE],
    ['{"rules": {}, "retired": {}}', SHAPE],
    ['{"retired": []}', SHAPE],
    ['{"rules": {"x": 1}, "retired": []}', 'rules["x"] must be {"file", "version", "hash"} strings'],
    ['{"rules": {"x": {"version": "1", "hash": "h"}}, "retired": []}', 'rules["x"] must be {"file", "version", "hash"} strings'],
    ['{"rules": {"x": {"file": "f", "hash": "h"}}, "retired": []}', 'rules["x"] must be {"file", "version", "hash"} strings'],
    ['{"rules": {"x": {"file": "f", "version": "1"}}, "retired": []}', 'rules["x"] must be {"file", "version", "hash"} strings'],
    ['{"rules": {}, "retired": ["x"]}', 'retired[0] must be {"id", "file", "reason"} strings'],
    ['{"rules": {}, "retired": [{"file": "f", "reason": "r"}]}', 'retired[0] must be {"id", "file", "reason"} strings'],
    ['{"rules": {}, "retired": [{"id": "i", "reason": "r"}]}', 'retired[0] must be {"id", "file", "reason"} strings'],
    [
      '{"rules": {}, "retired": [{"id": "i", "file": "f", "reason": "r"}, {"id": "i", "file": "f"}]}',
      'retired[1] must be {"id", "file", "reason"} strings',
    ],
  ])('%s', (text, message) => {
    expect(parseLock(text, 'x/lock.json')).toStrictEqual({
      diagnostics: [
        {
          code: 'lock.invalid',
          severity: 'error',
          file: 'x/lock.json',
          line: 1,
          column: 1,
          message: `x/lock.json: ${message}`,
          hint: HINT,
        },
      ],
    });
  });

  it('a sound lock keeps only the known fields', () => {
    expect(
      parseLock(
        '{"rules": {"x": {"file": "f", "version": "1.0.0", "hash": "h", "extra": 1}}, "retired": [{"id": "i", "file": "f", "reason": "r", "at": 2}]}',
      ),
    ).toStrictEqual({
      lock: { rules: { x: { file: 'f', version: '1.0.0', hash: 'h' } }, retired: [{ id: 'i', file: 'f', reason: 'r' }] },
      diagnostics: [],
    });
  });
});

describe('lockLine', () => {
  it('the line of the id as a key, 1 when there is no text or no such id', () => {
    expect(lockLine('{\n  "rules": {\n    "abc": {}\n', 'abc')).toBe(3);
    expect(lockLine('"abc": {}', 'abc')).toBe(1);
    expect(lockLine('{\n"ab": 1\n}', 'abc')).toBe(1);
    expect(lockLine('', 'abc')).toBe(1);
    expect(lockLine(undefined, 'abc')).toBe(1);
  });
});

describe('version arithmetic', () => {
  it.each([
    ['1.0.0', '1.0.0', 0],
    ['1.0', '1.0.0', 0],
    ['1.0', '1.0.1', -1],
    ['1.0.1', '1.0', 1],
    ['1.10.0', '1.9.0', 1],
    ['2.0.0', '10.0.0', -1],
  ])('compareVersions(%s, %s) = %d', (a, b, order) => {
    expect(compareVersions(a, b)).toBe(order);
  });

  it.each([
    ['1.0.0', '1.0.0', '1.0.1'],
    ['1.0.0', '1.2.0', '1.2.1'],
    ['2.0.0', '1.2.9', '2.0.1'],
    ['1', '1', '1.0.1'],
    ['1.1', '1.0.0', '1.1.1'],
  ])('nextPatch(%s, %s) = %s', (current, locked, next) => {
    expect(nextPatch(current, locked)).toBe(next);
  });
});
