// The lock file's format and version arithmetic (the end-to-end behaviour: test/commands/lock.test.ts).
import { describe, expect, it } from 'vitest';
import { compareVersions, lockLine, nextPatch, parseLock, renderLock } from '../../../scripts/core/lock/lock-file.ts';
import { jsonParseError } from '../../support/json-error.ts';

describe('lock file', () => {
  it('renders deterministically: sorted keys, retired sorted by id, trailing newline; parses back', () => {
    const lock = {
      rules: { b: { file: 'rules/b.yaml', version: '1.0.0', hash: 'h2' }, a: { file: 'rules/a.yaml', version: '2.0.0', hash: 'h1' } },
      retired: [
        { id: 'z', file: 'rules/z.yaml', reason: 'r' },
        { id: 'c', file: 'rules/c.yaml', reason: 'r' },
      ],
    };
    const text = renderLock(lock);
    expect(text.indexOf('"a"')).toBeLessThan(text.indexOf('"b"'));
    expect(JSON.parse(text).retired.map((r: { id: string }) => r.id)).toEqual(['c', 'z']);
    expect(text.endsWith('}\n')).toBe(true);
    expect(parseLock(text)).toEqual({ lock: { ...lock, retired: [lock.retired[1], lock.retired[0]] }, diagnostics: [] });
    expect(lockLine(text, 'b')).toBe(text.split('\n').findIndex((l) => l.includes('"b"')) + 1);
  });

  it.each([
    ['{', `rules/rules.lock.json: not valid JSON (${jsonParseError('{')})`],
    ['[]', 'rules/rules.lock.json: expected {"rules": {...}, "retired": [...]}'],
    ['{"rules": {"x": {"file": 1}}, "retired": []}', 'rules/rules.lock.json: rules["x"] must be {"file", "version", "hash"} strings'],
    ['{"rules": {}, "retired": [{"id": "x"}]}', 'rules/rules.lock.json: retired[0] must be {"id", "file", "reason"} strings'],
  ])('a malformed lock (%s) is one lock.invalid diagnostic', (text, message) => {
    const { lock, diagnostics } = parseLock(text);
    expect(lock).toBeUndefined();
    expect(diagnostics.map((d) => [d.code, d.line])).toEqual([['lock.invalid', 1]]);
    expect(diagnostics[0]).toMatchObject({
      message,
      hint: 'Restore it from git, or delete it and run `npm run cli -- lock` to write it anew.',
    });
  });

  it.each([
    ['1.0.0', '1.0.0', 0, '1.0.1'],
    ['1.0.10', '1.0.9', 1, '1.0.11'],
    ['1.2.0', '1.10.0', -1, '1.10.1'],
    ['2.0', '1.9.9', 1, '2.0.1'],
  ])('compareVersions(%s, %s) = %i; next patch %s', (a, b, order, next) => {
    expect(compareVersions(a, b)).toBe(order);
    expect(nextPatch(a, b)).toBe(next);
  });
});
