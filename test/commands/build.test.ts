// `build` end to end on a copy of the repository's content: both artifact sets, per workspace with
// --env, and byte-identical output from two runs into two folders; and the folders build refuses to
// replace (the repository, its sources, anything it did not create, anything outside).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCommand } from '../../scripts/commands/build.ts';
import { BUILD_MARKER } from '../../scripts/io/artifacts.ts';
import { copyRepoContent, readTree } from '../support/build.ts';
import { cli } from '../support/cli.ts';

const WORKSPACES = `repository: test-org/build
environments:
  prod:
    - name: prod-a
      subscriptionId: 00000000-0000-0000-0000-000000000000
      resourceGroup: rg-a
      workspace: law-a
      rules:
        ipsum-inbound-internet-facing:
          severity: High
          parameters:
            ExcludedLocalPorts: [25]
    - name: prod-b
      subscriptionId: 00000000-0000-0000-0000-000000000000
      resourceGroup: rg-b
      workspace: law-b
      apiVersion: 2025-07-01-preview
`;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('build', () => {
  it('writes REST bodies, ARM templates and the hunting artifact, per workspace too; two builds are byte-identical', async () => {
    const root = copyRepoContent();
    writeFileSync(join(root, 'workspaces.yaml'), WORKSPACES);
    const outs = [mkdtempSync(join(tmpdir(), 'sentinel-out-a-')), mkdtempSync(join(tmpdir(), 'sentinel-out-b-'))];
    dirs.push(root, ...outs);
    const results = [];
    for (const out of outs) results.push(await buildCommand({ root, out, env: 'prod', allowOutside: true }));
    for (const result of results) expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);

    const [a, b] = outs.map((out) => {
      const tree = readTree(out);
      expect(tree.has(BUILD_MARKER)).toBe(true);
      tree.delete(BUILD_MARKER);
      return tree;
    }) as [Map<string, Buffer>, Map<string, Buffer>];
    expect([...a.keys()]).toEqual(results[0]!.written);
    expect([...a.keys()]).toEqual([...b.keys()]);
    for (const [path, bytes] of a) expect(bytes.equals(b.get(path)!), path).toBe(true);

    const rule = '0209ac04-d70a-45f2-a58d-d69d06d783d5';
    for (const prefix of ['', 'prod/prod-a/', 'prod/prod-b/']) {
      expect(a.has(`${prefix}api/alertRules/${rule}.json`)).toBe(true);
      expect(a.has(`${prefix}arm/alertRules/${rule}.json`)).toBe(true);
      expect(a.has(`${prefix}arm/watchlists/ipsum.json`)).toBe(true);
      expect(a.has(`${prefix}arm/all.json`)).toBe(true);
    }
    expect(a.has('hunting/ipsum-inbound-internet-facing.defender.kql')).toBe(true);
    for (const [path, bytes] of a) {
      const text = bytes.toString('utf8');
      expect(text.endsWith('\n') && !text.endsWith('\n\n'), `${path}: one trailing newline`).toBe(true);
      expect(text.includes('\r'), `${path}: LF only`).toBe(false);
      expect(text.includes(root) || text.includes(tmpdir()), `${path}: no absolute paths`).toBe(false);
      if (path.endsWith('.json'))
        expect(`${JSON.stringify(sortedKeys(JSON.parse(text)), null, 2)}\n`, `${path}: sorted keys, 2 spaces`).toBe(text);
    }
    const prodRule = JSON.parse(a.get(`prod/prod-a/api/alertRules/${rule}.json`)!.toString());
    expect(prodRule.properties.severity).toBe('High');
    expect(prodRule.properties.query).toContain('let ExcludedLocalPorts = dynamic([25]);');
    const template = JSON.parse(a.get(`prod/prod-b/arm/alertRules/${rule}.json`)!.toString());
    expect([template.parameters.workspace.defaultValue, template.resources[0].apiVersion]).toEqual(['law-b', '2025-07-01-preview']);
  });
});

describe('build --out: only a folder build created is ever replaced', () => {
  const root = copyRepoContent();
  const outside = mkdtempSync(join(tmpdir(), 'sentinel-outside-'));
  dirs.push(root, outside);
  writeFileSync(join(outside, 'keep.txt'), 'not build output\n');
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'notes', 'todo.md'), 'mine\n');
  symlinkSync(outside, join(root, 'link-out'));
  const rule = join(root, 'rules', 'ipsum-inbound-internet-facing.yaml');
  const ruleText = readFileSync(rule, 'utf8');

  it.each([
    ['.', 'is or contains the repository'],
    ['..', 'is or contains the repository'],
    ['rules', "rules is the repository's own"],
    ['schemas/tables/out', "schemas is the repository's own"],
    ['workspaces.yaml', "workspaces.yaml is the repository's own"],
    ['notes', 'was not created by build'],
    ['link-out', 'is outside the repository'],
    [join(outside, 'out'), 'is outside the repository'],
  ])('--out %s is refused (exit 2), nothing read or written', async (out, why) => {
    const result = await cli(root, ['build', '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(why);
    expect(result.stdout).toBe('');
    expect(readFileSync(rule, 'utf8')).toBe(ruleText);
    expect(readFileSync(join(root, 'notes', 'todo.md'), 'utf8')).toBe('mine\n');
    expect(readTree(outside)).toEqual(new Map([['keep.txt', Buffer.from('not build output\n')]]));
  });

  it('a fresh folder gets the marker and is replaced by the next build; outside the repository only with --allow-outside', async () => {
    expect((await cli(root, ['build', '--out', 'dist'])).code).toBe(0);
    expect(existsSync(join(root, 'dist', BUILD_MARKER))).toBe(true);
    writeFileSync(join(root, 'dist', 'stale.json'), '{}\n');
    expect((await cli(root, ['build', '--out', 'dist'])).code).toBe(0);
    expect(existsSync(join(root, 'dist', 'stale.json'))).toBe(false);

    const away = join(outside, 'build');
    expect((await cli(root, ['build', '--out', away, '--allow-outside'])).code).toBe(0);
    expect(existsSync(join(away, 'arm', 'all.json'))).toBe(true);
    // --allow-outside does not lift the marker rule: a folder build did not create stays untouched.
    expect((await cli(root, ['build', '--out', outside, '--allow-outside'])).code).toBe(2);
    expect(existsSync(join(outside, 'keep.txt'))).toBe(true);
  });
});

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys((value as Record<string, unknown>)[k])]),
    );
  return value;
}
