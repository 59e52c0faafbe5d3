import { describe, expect, it } from 'vitest';
import { diffFields, isLongText, lineDiff, type DiffLine } from '../../../scripts/core/plan/field-diff.ts';

const show = (lines: DiffLine[]) => lines.map((l) => (l.kind === '…' ? '…' : `${l.kind}${l.text}`));

/** Length of the longest common subsequence, by plain recursion (inputs here are a few lines). */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  if (a[0] === b[0]) return 1 + lcsLength(a.slice(1), b.slice(1));
  return Math.max(lcsLength(a.slice(1), b), lcsLength(a, b.slice(1)));
}

/** Every sequence of 1..max lines over a two-letter alphabet. */
function sequences(max: number): string[][] {
  const out: string[][] = [];
  const grow = (prefix: string[]) => {
    if (prefix.length > 0) out.push(prefix);
    if (prefix.length < max) for (const c of ['a', 'b']) grow([...prefix, c]);
  };
  grow([]);
  return out;
}

describe('diffFields', () => {
  it('a field only on one side has only that side (no undefined key)', () => {
    expect(diffFields({ a: 1 }, {})).toStrictEqual([{ field: 'a', old: 1 }]);
    expect(diffFields({}, { a: 1 })).toStrictEqual([{ field: 'a', new: 1 }]);
  });

  it('an object against a scalar is one change of the whole value, not a descent', () => {
    expect(diffFields({ a: 'text' }, { a: { b: 1 } })).toStrictEqual([{ field: 'a', old: 'text', new: { b: 1 } }]);
    expect(diffFields({ a: { b: 1 } }, { a: null })).toStrictEqual([{ field: 'a', old: { b: 1 }, new: null }]);
  });

  it('arrays compare whole, objects inside them regardless of key order', () => {
    expect(diffFields({ a: [{ x: 1, y: 2 }] }, { a: [{ y: 2, x: 1 }] })).toStrictEqual([]);
    expect(diffFields({ a: [1, 2] }, { a: [2, 1] })).toStrictEqual([{ field: 'a', old: [1, 2], new: [2, 1] }]);
  });

  it('fields in path order, nested paths dotted', () => {
    expect(diffFields({ b: 1, a: { z: 1, c: 1 } }, { b: 2, a: { z: 2, c: 2 } }).map((c) => c.field)).toEqual(['a.c', 'a.z', 'b']);
  });
});

describe('lineDiff', () => {
  it.each([
    ['a line appended at the end', 'a\nb\nc', 'a\nb\nc\nd', ['…', ' c', '+d']],
    ['a line inserted at the start', 'a\nb\nc', 'X\na\nb\nc', ['+X', ' a', '…']],
    ['everything replaced', 'a\nb', 'x\ny', ['-a', '-b', '+x', '+y']],
    ['from one empty line', '', 'a', ['-', '+a']],
    [
      'two changes far apart keep their own context',
      'a\nb\nc\nd\ne\nf\ng',
      'A\nb\nc\nd\ne\nf\nG',
      ['-a', '+A', ' b', '…', ' f', '-g', '+G'],
    ],
    ['changes two lines apart share one line of context each', 'a\nb\nc\nd', 'A\nb\nc\nD', ['-a', '+A', ' b', ' c', '-d', '+D']],
  ])('%s', (_label, a, b, expected) => {
    expect(show(lineDiff(a, b))).toEqual(expected);
  });

  it('context 0 shows only the changes; a larger context shows more', () => {
    expect(show(lineDiff('a\nb\nc\nd\ne', 'a\nb\nX\nd\ne', 0))).toEqual(['…', '-c', '+X', '…']);
    expect(show(lineDiff('a\nb\nc\nd\ne', 'a\nb\nX\nd\ne', 2))).toEqual([' a', ' b', '-c', '+X', ' d', ' e']);
  });

  it('the skipped-lines marker has empty text', () => {
    expect(lineDiff('a\nb\nc', 'a\nb\nC')[0]).toStrictEqual({ kind: '…', text: '' });
  });

  // Every pair of texts of up to four lines over two letters: with full context the diff of two
  // different texts rebuilds
  // both texts, changes exactly the lines outside a longest common subsequence (minimal), and lists each
  // run of changes as its removals, then its additions.
  it('is complete and minimal for every small pair of texts', () => {
    const all = sequences(4);
    for (const a of all) {
      for (const b of all) {
        const lines = lineDiff(a.join('\n'), b.join('\n'), 100);
        const where = `${a.join('')} → ${b.join('')}`;
        if (a.join() === b.join()) {
          expect(show(lines), where).toEqual(['…']);
          continue;
        }
        expect(
          lines.filter((l) => l.kind !== '+').map((l) => l.text),
          where,
        ).toEqual(a);
        expect(
          lines.filter((l) => l.kind !== '-').map((l) => l.text),
          where,
        ).toEqual(b);
        expect(lines.filter((l) => l.kind !== ' ').length, where).toBe(a.length + b.length - 2 * lcsLength(a, b));
        const kinds = lines.map((l) => l.kind).join('');
        expect(kinds, where).not.toMatch(/\+-/);
      }
    }
  });
});

describe('isLongText: when a value is shown as a line diff', () => {
  it.each([
    ['80 characters on one line', 'x'.repeat(80), false],
    ['81 characters on one line', 'x'.repeat(81), true],
    ['a short text with a line break', 'a\nb', true],
    ['a short text', 'T | take 1', false],
    ['a number', 123, false],
    ['an array of long strings', ['x'.repeat(100)], false],
  ])('%s: %s', (_label, value, expected) => {
    expect(isLongText(value)).toBe(expected);
  });
});
