// Rules and watchlists in folders at any depth: validate, build, lock and deploy see every file (the
// real CLI, the emulator); overrides key nested rules by their path under rules/; a YAML file under
// rules/ that is not a rule is an error; ambiguous paths are refused.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixture, replaceOnce } from '../support/content.ts';
import { ruleId, ruleText, startDeployHarness, TOKEN, type DeployHarness } from './deploy-harness.ts';

let h: DeployHarness;

/** rules/ three folders deep, two files named dup.yaml in different folders. */
const TREE: Record<string, number> = {
  'rules/top.yaml': 1,
  'rules/network/dup.yaml': 2,
  'rules/network/inbound/one.yaml': 3,
  'rules/network/inbound/tcp/deep.yaml': 4,
  'rules/network/inbound/tcp/dup.yaml': 5,
  'rules/identity/entra/signins/three.yml': 6,
};
const IDS = Object.values(TREE).map(ruleId).sort();

/** The fixture text with the schema line for the file's depth (so the tree validates without warnings). */
function place(path: string, text: string): void {
  const depth = path.split('/').length - 1;
  const placed = text.replace(/^# yaml-language-server: \$schema=\S+/, (line) =>
    line.replace(/=\S+?schemas\//, `=${'../'.repeat(depth)}schemas/`),
  );
  mkdirSync(join(h.root, dirname(path)), { recursive: true });
  writeFileSync(join(h.root, path), placed);
}

function writeWorkspaces(rules: string): void {
  h.writeWorkspaces([{ name: 'ws-a' }]);
  const file = join(h.root, 'workspaces.yaml');
  writeFileSync(file, `${readFileSync(file, 'utf8')}${rules}`);
}

const json = <T>(text: string): T => JSON.parse(text) as T;
type Validation = { files: number; diagnostics: { file: string; code: string; severity: string; message: string; hint?: string }[] };

beforeAll(async () => {
  h = await startDeployHarness({ rules: 0 });
});
afterAll(async () => {
  expect(h.outputs.join('\n')).not.toContain(TOKEN);
  await h.close();
});
beforeEach(() => {
  h.emulator.reset();
  for (const dir of ['rules', 'watchlists', 'out']) rmSync(join(h.root, dir), { recursive: true, force: true });
  for (const [path, n] of Object.entries(TREE)) place(path, ruleText(n));
  place('watchlists/feeds/threat/ipsum.yaml', fixture.watchlist);
  // The deeper dup.yaml is overridden by its path; the other keeps the fixture's severity (Low).
  writeWorkspaces('      rules:\n        network/inbound/tcp/dup:\n          severity: High\n');
});

describe('nested folders', () => {
  it('validate, lock, build and deploy see every rule of a tree three folders deep', async () => {
    const validated = await h.cli(['validate', '--format', 'json']);
    expect(validated.code).toBe(0);
    expect(json<Validation>(validated.stdout)).toEqual({ files: 8, diagnostics: [] }); // 6 rules, 1 watchlist, workspaces.yaml

    // validate <folder> checks every file below it, at any depth
    const folder = await h.cli(['validate', 'rules/network', '--format', 'json']);
    expect(json<Validation>(folder.stdout).files).toBe(4);
    place(
      'rules/network/inbound/tcp/deep.yaml',
      ruleText(4, (t) => replaceOnce(t, 'severity: Low', 'severity: Severe')),
    );
    const broken = json<Validation>((await h.cli(['validate', 'rules/network', '--format', 'json'])).stdout);
    expect(broken.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['rules/network/inbound/tcp/deep.yaml schema.enum']);
    place('rules/network/inbound/tcp/deep.yaml', ruleText(4));

    const locked = await h.cli(['lock', '--format', 'json']);
    expect(locked.code).toBe(0);
    expect([...json<{ added: string[] }>(locked.stdout).added].sort()).toEqual(IDS);
    const lock = json<{ rules: Record<string, { file: string }> }>(readFileSync(join(h.root, 'rules/rules.lock.json'), 'utf8'));
    expect(Object.fromEntries(Object.entries(lock.rules).map(([id, e]) => [e.file, id]))).toEqual(
      Object.fromEntries(Object.entries(TREE).map(([path, n]) => [path, ruleId(n)])),
    );

    const built = await h.cli(['build', '--env', 'test']);
    expect(built.code).toBe(0);
    for (const id of IDS) {
      expect(existsSync(join(h.root, 'out/api/alertRules', `${id}.json`))).toBe(true);
      expect(existsSync(join(h.root, 'out/test/ws-a/api/alertRules', `${id}.json`))).toBe(true);
    }
    expect(existsSync(join(h.root, 'out/api/watchlists/ipsum.json'))).toBe(true);
    const severity = (n: number) =>
      json<{ properties: { severity: string } }>(readFileSync(join(h.root, 'out/test/ws-a/api/alertRules', `${ruleId(n)}.json`), 'utf8'))
        .properties.severity;
    expect([severity(2), severity(5)]).toEqual(['Low', 'High']);

    const deployed = await h.cli(['deploy', '--env', 'test']);
    expect(deployed.code).toBe(0);
    expect(h.writes({ type: 'alertRules' })).toBe(6);
    expect(h.writes({ type: 'watchlists' })).toBe(1);
    const sent = (n: number) =>
      h.emulator.requests.find((r) => r.method === 'PUT' && r.type === 'alertRules' && r.name === ruleId(n))?.body as {
        properties: { severity: string };
      };
    expect(IDS.every((id) => h.emulator.requests.some((r) => r.method === 'PUT' && r.type === 'alertRules' && r.name === id))).toBe(true);
    expect([sent(2).properties.severity, sent(5).properties.severity]).toEqual(['Low', 'High']);
  });

  it('a YAML file under rules/ that is not a rule is an error (never skipped); deploy writes nothing', async () => {
    place('rules/network/inbound/notes.yaml', 'owner: soc-team\nreview: quarterly\n');
    place('rules/identity/watchlist.yaml', fixture.watchlist);
    const validated = json<Validation>((await h.cli(['validate', '--format', 'json'])).stdout);
    expect(validated.diagnostics.map((d) => `${d.file} ${d.code} ${d.severity}`)).toEqual([
      'rules/identity/watchlist.yaml schema.not-a-rule error',
      'rules/network/inbound/notes.yaml schema.not-a-rule error',
    ]);
    expect(validated.diagnostics[0]!.message).toContain('it looks like a watchlist definition, which belongs in watchlists/');
    const deployed = await h.cli(['deploy', '--env', 'test']);
    expect(deployed.code).toBe(1);
    expect(deployed.stderr).toContain('rules/network/inbound/notes.yaml\n  1:1  error');
    expect(h.writes()).toBe(0);
  });

  it('override keys are unambiguous: a bare file name of a nested rule is refused with the path to use; paths equal but for case are refused', async () => {
    writeWorkspaces('      rules:\n        deep:\n          severity: High\n        dup:\n          severity: High\n');
    const bare = json<Validation>((await h.cli(['validate', '--format', 'json'])).stdout);
    expect(bare.diagnostics.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        'workspaces.unknown-rule',
        'no rule file rules/deep.yaml',
        "Rules in sub-folders are keyed by their path under rules/ without .yaml: 'network/inbound/tcp/deep'.",
      ],
      [
        'workspaces.unknown-rule',
        'no rule file rules/dup.yaml',
        "Rules in sub-folders are keyed by their path under rules/ without .yaml: 'network/dup' or 'network/inbound/tcp/dup'.",
      ],
    ]);

    writeWorkspaces('');
    place('rules/Network/Dup.yaml', ruleText(7));
    place('rules/top.yml', ruleText(8));
    const twins = json<Validation>((await h.cli(['validate', '--format', 'json'])).stdout);
    expect(twins.diagnostics.filter((d) => d.code === 'collection.duplicate-slug').map((d) => [d.file, d.message])).toEqual([
      [
        'rules/network/dup.yaml',
        "rule files rules/Network/Dup.yaml and rules/network/dup.yaml have one override key 'Network/Dup' in workspaces.yaml (paths equal but for case or .yaml/.yml)",
      ],
      [
        'rules/top.yml',
        "rule files rules/top.yaml and rules/top.yml have one override key 'top' in workspaces.yaml (paths equal but for case or .yaml/.yml)",
      ],
    ]);
  });
});
