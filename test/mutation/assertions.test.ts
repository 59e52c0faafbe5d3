// The core's tests assert the text people read (messages, hints, notes, reasons) exactly: a substring
// or pattern would still pass when the function returns another of its messages that shares the words
// (and mutation testing showed such assertions letting changed messages through). Negated substring
// checks (`.not.toContain`) stay allowed: they assert an absence.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const scanned = join(root, 'test/core');

/** Text fields of core results that users read. */
const TEXT = '(?:message|hint|note|reason|why|remedy|summary)';
const RULES: { name: string; pattern: RegExp }[] = [
  { name: 'substring or pattern on a message', pattern: new RegExp(`\\.${TEXT}\\)?\\s*\\)\\s*\\.(?:toContain|toMatch|toMatchObject)\\(`) },
  { name: 'thrown message by substring or pattern', pattern: /\.(?:toThrow|toThrowError)\(\s*['"`/]/ },
  {
    name: 'message by expect.stringContaining / stringMatching',
    pattern: new RegExp(`\\b${TEXT}s?\\b.*expect\\.(?:stringContaining|stringMatching)\\(`),
  },
];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? testFiles(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

/** `file:line: rule: text` for every assertion a rule matches. */
export function looseAssertions(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const rule of RULES) if (rule.pattern.test(line)) found.push(`${file}:${i + 1}: ${rule.name}: ${line.trim()}`);
  });
  return found;
}

describe('message assertions in test/core are exact', () => {
  it('the rules catch what they are for, and leave exact and negated assertions alone', () => {
    const loose = [
      "expect(v.message).toContain('would hold');",
      'expect(result.diagnostics[0]!.hint).toMatch(/raise/);',
      "expect(() => run()).toThrow('not a UUID');",
      'expect(run).toThrow(/invalid state/);',
      'await expect(p).rejects.toThrowError(`boom`);',
      'expect(d).toMatchObject({ reason: expect.stringMatching(/^Fusion rule: /) });',
      'expect(ds.map((d) => d.message)).toEqual([expect.stringMatching(/^no Defender/)]);',
    ];
    const exact = [
      "expect(v.message).toBe('would hold 5 items');",
      "expect(v.message).not.toContain('line 7:');",
      'expect(run).toThrow(ConfigError);',
      "expect(run).toThrow(new ConfigError('m', 'f', 'h'));",
      "expect(names).toContain('a');",
      "['IpsumIPs', expect.stringMatching(/^_GetWatchlist/), false],",
    ];
    expect(loose.map((line) => looseAssertions('x', line).length)).toStrictEqual(loose.map(() => 1));
    expect(exact.flatMap((line) => looseAssertions('x', line))).toStrictEqual([]);
  });

  it('no test under test/core asserts a message by a substring or a pattern', () => {
    const found = testFiles(scanned).flatMap((file) => looseAssertions(relative(root, file), readFileSync(file, 'utf8')));
    expect(found).toStrictEqual([]);
  });
});
