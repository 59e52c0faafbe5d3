// What one content file may cost validate (issue 10.11), and hints that name paths that resolve
// from the file, inside the repository or not (issue 10.19).
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { appendAll, type Diagnostic } from '../../scripts/core/diagnostics.ts';
import { capPerFile, MAX_CONTENT_FILE_BYTES, MAX_DIAGNOSTICS_PER_FILE } from '../../scripts/core/validate/limits.ts';
import { cli, tempRepo } from '../support/cli.ts';
import { fixture, replaceOnce } from '../support/content.ts';

const made: string[] = [];
const track = (dir: string): string => (made.push(dir), dir);
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The fixture rule with a `tags:` list of `n` entries that are lists (two schema errors each). */
function ruleWithBadTags(n: number): string {
  const rule = replaceOnce(fixture.rule, 'id: 6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10', 'id: 6f1c2a57-0b8e-4a43-9d6e-00000000b16f');
  return `${rule.trimEnd()}\ntags:\n${Array.from({ length: n }, (_, i) => `  - [${i}]\n`).join('')}`;
}

interface Json {
  files: number;
  diagnostics: Diagnostic[];
}

describe('content file limits (issue 10.11)', () => {
  it('a file above 1 MiB is not read: one file.too-large error, quickly, and the others are still checked', async () => {
    const huge = ruleWithBadTags(200_000);
    expect(Buffer.byteLength(huge)).toBeGreaterThan(2 * MAX_CONTENT_FILE_BYTES);
    const root = track(tempRepo({ 'rules/rule.yaml': fixture.rule, 'rules/huge.yaml': huge, 'watchlists/ipsum.yaml': fixture.watchlist }));
    const started = Date.now();
    const result = await cli(root, ['validate', '--format', 'json']);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.diagnostics).toStrictEqual([
      {
        file: 'rules/huge.yaml',
        line: 1,
        column: 1,
        severity: 'error',
        code: 'file.too-large',
        message: `${Buffer.byteLength(huge).toLocaleString('en-US')} bytes: a content file is at most 1,048,576 bytes (1 MiB); it was not read`,
        hint: 'A rule, watchlist definition or workspaces.yaml is a few kilobytes: remove what does not belong in it, or split it into several files.',
      },
    ]);
  });

  it('a file under the limit with thousands of problems: the first 100 and one line for the rest, no stack overflow', async () => {
    const many = ruleWithBadTags(60_000);
    expect(Buffer.byteLength(many)).toBeLessThan(MAX_CONTENT_FILE_BYTES);
    const root = track(tempRepo({ 'rules/many.yaml': many, 'watchlists/ipsum.yaml': fixture.watchlist }));
    const result = await cli(root, ['validate', '--format', 'json']);
    expect(result.code).toBe(1);
    const json = JSON.parse(result.stdout) as Json;
    expect(json.diagnostics).toHaveLength(MAX_DIAGNOSTICS_PER_FILE + 1);
    const last = json.diagnostics.at(-1)!;
    expect([last.code, last.severity, last.message]).toStrictEqual([
      'file.too-many-diagnostics',
      'error',
      '119,900 more diagnostics in this file (119,900 errors) are not shown; only the first 100 are',
    ]);
  });

  it('capPerFile keeps the first 100 of each file in order and sums up the rest, a warning when only warnings were left out', () => {
    const d = (file: string, line: number, severity: 'error' | 'warning'): Diagnostic => ({
      file,
      line,
      column: 1,
      severity,
      code: 'x',
      message: `m${line}`,
    });
    const input = [...Array.from({ length: 103 }, (_, i) => d('a.yaml', i + 1, 'warning')), d('b.yaml', 1, 'error')];
    const out = capPerFile(input);
    expect(out.map((x) => `${x.file}:${x.line}:${x.code}:${x.severity}`)).toStrictEqual([
      ...Array.from({ length: 100 }, (_, i) => `a.yaml:${i + 1}:x:warning`),
      'b.yaml:1:x:error',
      'a.yaml:101:file.too-many-diagnostics:warning',
    ]);
    expect(capPerFile(input.slice(0, 100))).toStrictEqual(input.slice(0, 100));
  });

  it('appendAll appends half a million items where a spread into push overflows the stack', () => {
    const items = Array.from({ length: 500_000 }, (_, i) => i);
    expect(() => [].push(...(items as never[]))).toThrow(RangeError);
    expect(appendAll([-1], items)).toHaveLength(500_001);
  });
});

describe('yaml.schema-comment names a $schema path that resolves from the file (issue 10.19)', () => {
  const hintPath = (diagnostics: Diagnostic[], file: string): string => {
    const found = diagnostics.find((x) => x.code === 'yaml.schema-comment' && x.file === file);
    expect(found, file).toBeDefined();
    const match = /^Make the first line: # yaml-language-server: \$schema=(\S+)$/.exec(found!.hint ?? '');
    expect(match, found!.hint).not.toBeNull();
    return match![1]!;
  };

  it('for a workspaces file outside the repository (--config in another folder)', async () => {
    const root = track(tempRepo({ 'rules/rule.yaml': fixture.rule, 'watchlists/ipsum.yaml': fixture.watchlist }));
    const elsewhere = track(mkdtempSync(join(tmpdir(), 'sentinel-config-')));
    const config = join(elsewhere, 'deep', 'workspaces.yaml');
    mkdirSync(dirname(config), { recursive: true });
    writeFileSync(config, fixture.workspaces.replace(/^# yaml-language-server:.*\n/, ''));
    const result = await cli(root, ['validate', '--config', config, '--format', 'json']);
    const json = JSON.parse(result.stdout) as Json;
    const path = hintPath(json.diagnostics, json.diagnostics.find((x) => x.code === 'yaml.schema-comment')!.file);
    expect(existsSync(resolve(dirname(config), path))).toBe(true);
    expect(resolve(dirname(config), path)).toBe(join(root, 'schemas/workspaces.schema.json'));
  });

  it('for files inside the repository, at any depth', async () => {
    const rule = fixture.rule.replace(/^# yaml-language-server:.*\n/, '');
    const root = track(tempRepo({ 'rules/network/inbound/rule.yaml': rule, 'watchlists/ipsum.yaml': fixture.watchlist }));
    const json = JSON.parse((await cli(root, ['validate', '--format', 'json'])).stdout) as Json;
    const path = hintPath(json.diagnostics, 'rules/network/inbound/rule.yaml');
    expect(path).toBe('../../../schemas/rule.schema.json');
    expect(existsSync(resolve(root, 'rules/network/inbound', path))).toBe(true);
  });
});
