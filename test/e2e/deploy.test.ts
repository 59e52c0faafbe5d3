// plan/deploy end to end: the real CLI, the real @azure packages, the emulator. Write counts come
// from the emulator's own record of requests.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { compileSet } from '../../scripts/core/compile/content.ts';
import { metadataName } from '../../scripts/core/compile/metadata.ts';
import { validateContent } from '../../scripts/core/validate/validate.ts';
import { loadContent } from '../../scripts/io/content.ts';
import { fixture, replaceOnce } from '../support/content.ts';
import { client, scheduledRule } from '../support/emulator/test-client.ts';
import { REPOSITORY, ruleId, startDeployHarness, SUB, TOKEN, type DeployHarness } from './deploy-harness.ts';

let h: DeployHarness;
const WS = [{ name: 'ws-a' }, { name: 'ws-b' }];
const lawA = () => h.emulator.state.workspace(SUB, 'rg-e2e', 'law-ws-a');
const call = () => client(h.emulator, { subscription: SUB });
const scope = (ws: string) =>
  `/subscriptions/${SUB}/resourceGroups/rg-e2e/providers/Microsoft.OperationalInsights/workspaces/${ws}/providers/Microsoft.SecurityInsights`;

beforeAll(async () => {
  h = await startDeployHarness({ rules: 3 });
});
afterAll(async () => {
  // No token in anything any run printed, whatever happened.
  expect(h.outputs.join('\n')).not.toContain(TOKEN);
  await h.close();
});
beforeEach(() => {
  h.emulator.reset();
  h.writeFile('watchlists/ipsum.yaml', fixture.watchlist);
  rmSync(join(h.root, 'watchlists', 'seeded.yaml'), { force: true });
  rmSync(join(h.root, 'rules', 'rules.lock.json'), { force: true });
  for (const n of [1, 2, 3]) h.writeRule(n);
  h.writeWorkspaces(WS);
});

/** PUTs to a workspace scope directly, as a person in the portal would (no ownership mark). */
async function foreignRule(name: string, workspace = 'law-ws-a', properties: Record<string, unknown> = {}) {
  const answer = await call()(
    'PUT',
    `${h.emulator.url}${scope(workspace)}/alertRules/${name}?api-version=2025-09-01`,
    scheduledRule({ displayName: `Foreign ${name}`, ...properties }),
  );
  expect(answer.status).toBe(201);
}

describe('deploy', () => {
  it('first deploy creates every rule, watchlist and mark with the exact compiled bodies; the second writes nothing', async () => {
    const first = await h.cli(['deploy', '--env', 'test']);
    expect(first.code).toBe(0);
    for (const ws of ['law-ws-a', 'law-ws-b']) {
      expect(h.writes({ type: 'alertRules', workspace: ws })).toBe(3);
      expect(h.writes({ type: 'metadata', workspace: ws })).toBe(4); // 3 rules + 1 watchlist
      expect(h.writes({ type: 'watchlists', workspace: ws })).toBe(1);
    }
    expect(h.writes()).toBe(16);
    // What the reviewer approved is what was sent: the recorded PUT bodies equal compileSet's output.
    const parsed = validateContent(loadContent({ root: h.root })).parsed;
    const compiled = compileSet(parsed, { label: 'ws-a', apiVersion: '2025-09-01', overrides: {} });
    for (const rule of compiled.alertRules) {
      const sent = h.emulator.requests.find(
        (r) => r.method === 'PUT' && r.type === 'alertRules' && r.workspace === 'law-ws-a' && r.name === rule.id,
      );
      expect(sent?.body).toEqual(rule.body);
    }
    const mark = lawA().metadata.get(metadataName('AnalyticsRule', ruleId(1)));
    expect(mark?.properties).toMatchObject({
      kind: 'AnalyticsRule',
      contentId: ruleId(1),
      parentId: `${scope('law-ws-a')}/alertRules/${ruleId(1)}`,
      source: { kind: 'SourceRepository', name: REPOSITORY },
    });
    // The watchlist is created empty (header only): the sync owns its items.
    expect(lawA().watchlists.get('ipsum')?.items.size).toBe(0);
    expect(h.emulator.requests.find((r) => r.method === 'PUT' && r.type === 'watchlists')?.body).toMatchObject({
      properties: { rawContent: 'IPAddress,Score\n', contentType: 'text/csv' },
    });

    h.emulator.clearRequests();
    const second = await h.cli(['deploy', '--env', 'test', '--format', 'json']);
    expect(second.code).toBe(0);
    expect(h.writes()).toBe(0);
    const report = JSON.parse(second.stdout) as { workspaces: { name: string; writes: number; changes: { action: string }[] }[] };
    expect(report.workspaces.map((w) => [w.name, w.writes, w.changes.map((c) => c.action)])).toEqual([
      ['ws-a', 0, ['noop', 'noop', 'noop', 'noop']],
      ['ws-b', 0, ['noop', 'noop', 'noop', 'noop']],
    ]);
  });

  it('a rule without entity mappings, with its template link: deployed as written, then a noop (the service answers nulls)', async () => {
    h.writeRule(1, (t) =>
      replaceOnce(
        replaceOnce(
          replaceOnce(t, /entityMappings:\n[\s\S]*?customDetails:/.exec(t)![0], 'customDetails:'),
          '    groupByEntities:\n      - IP\n',
          '    groupByAlertDetails:\n      - Severity\n',
        ),
        'version: 1.0.0',
        'alertRuleTemplateName: 0b9ae89d-8cad-461c-808f-0494f70ad5c4\ntemplateVersion: 1.0.4\nversion: 1.0.0',
      ),
    );
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(0);
    const live = lawA().alertRules.get(ruleId(1))!.properties;
    expect(live).toMatchObject({
      entityMappings: null,
      alertRuleTemplateName: '0b9ae89d-8cad-461c-808f-0494f70ad5c4',
      templateVersion: '1.0.4',
    });
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(0);
    expect(h.writes()).toBe(0);
  });

  it('changing one rule writes exactly one PUT alertRules per workspace, and its mark only when the mark changed', async () => {
    await h.cli(['deploy', '--env', 'test']);
    h.writeRule(2, (t) => replaceOnce(t, 'severity: Low', 'severity: Medium'));
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test'])).code).toBe(0);
    expect(h.emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.type} ${r.workspace} ${r.name}`)).toEqual(
      expect.arrayContaining([`PUT alertRules law-ws-a ${ruleId(2)}`, `PUT alertRules law-ws-b ${ruleId(2)}`]),
    );
    expect(h.writes()).toBe(2);
    expect(lawA().alertRules.get(ruleId(2))?.properties.severity).toBe('Medium');

    // A version bump changes the mark only: no rule PUT (a PUT would reset the rule's schedule).
    h.writeRule(2, (t) => replaceOnce(replaceOnce(t, 'severity: Low', 'severity: Medium'), 'version: 1.0.0', 'version: 1.0.1'));
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(0);
    expect(h.emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.type} ${r.name}`)).toEqual([
      `PUT metadata ${metadataName('AnalyticsRule', ruleId(2))}`,
    ]);
  });

  it("watchlists: metadata updates keep the sync's provenance block and never touch items; a bootstrap CSV seeds a new one", async () => {
    await h.cli(['deploy', '--env', 'test']);
    const block = '[sync v1 feed=2026-08-22T01:00:29Z items=2 month=2026-08 changes=12]';
    const entry = lawA().watchlists.get('ipsum')!;
    entry.resource.properties.description = `Fixture watchlist.\n${block}`;
    const item = {
      id: 'x',
      name: 'x',
      type: 't',
      etag: '"1"',
      systemData: {},
      properties: { itemsKeyValue: { IPAddress: '192.0.2.1', Score: '5' } },
    };
    entry.items.set('x', item);
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test'])).code).toBe(0);
    expect(h.writes()).toBe(0); // the block is the sync's: no change

    h.writeFile(
      'watchlists/ipsum.yaml',
      replaceOnce(fixture.watchlist, 'description: Fixture watchlist.', 'description: Refreshed daily from IPsum.'),
    );
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(0);
    const puts = h.emulator.requests.filter((r) => r.method !== 'GET');
    expect(puts.map((r) => `${r.method} ${r.type}`)).toEqual(['PUT watchlists']);
    expect(puts[0]!.body).not.toHaveProperty('properties.rawContent');
    expect(lawA().watchlists.get('ipsum')!.resource.properties.description).toBe(`Refreshed daily from IPsum.\n${block}`);
    expect([...lawA().watchlists.get('ipsum')!.items.values()]).toEqual([item]);

    // A new watchlist with bootstrapCsv is created with those rows.
    h.writeFile('seed.csv', 'IPAddress,Score\n198.51.100.7,6\n');
    h.writeFile('watchlists/seeded.yaml', `${fixture.watchlist.replace('alias: ipsum', 'alias: seeded')}bootstrapCsv: seed.csv\n`);
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(0);
    expect([...lawA().watchlists.get('seeded')!.items.values()].map((i) => i.properties.itemsKeyValue)).toEqual([
      { IPAddress: '198.51.100.7', Score: '6' },
    ]);
  });

  it('--dry-run prints the plan and writes nothing', async () => {
    const dry = await h.cli(['deploy', '--env', 'test', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(h.writes()).toBe(0);
    expect(dry.stdout).toContain('dry run, nothing written');
    expect(dry.stdout).toContain(`+ alertRule Fixture rule 1 (${ruleId(1)})  rules/rule-1.yaml`);
    expect(dry.stdout).toContain('would write 2 request(s)');
  });

  it('prune deletes exactly the owned rule that left the repository (and its mark); without --prune nothing is deleted', async () => {
    expect((await h.cli(['lock'])).code).toBe(0);
    await h.cli(['deploy', '--env', 'test']);
    await foreignRule('foreign-rule');
    h.removeRule(3);
    expect((await h.cli(['lock', '--retire-reason', 'replaced'])).code).toBe(0);
    h.emulator.clearRequests();

    const plain = await h.cli(['deploy', '--env', 'test']);
    expect(plain.code).toBe(0);
    expect(h.writes()).toBe(0);
    expect(plain.stdout).toContain('skipped: deletes need --prune');

    const dry = await h.cli(['deploy', '--env', 'test', '--prune', '--dry-run', '--format', 'json']);
    expect(h.writes()).toBe(0);
    const listed = (
      JSON.parse(dry.stdout) as { workspaces: { changes: { id: string; action: string; result: string }[] }[] }
    ).workspaces.flatMap((w) => w.changes.filter((c) => c.action === 'delete').map((c) => [c.id, c.result]));
    expect(listed).toEqual([
      [ruleId(3), 'planned'],
      [ruleId(3), 'planned'],
    ]);

    const pruned = await h.cli(['deploy', '--env', 'test', '--prune']);
    expect(pruned.code).toBe(0);
    const deletes = h.emulator.requests
      .filter((r) => r.method === 'DELETE')
      .map((r) => `${r.type} ${r.workspace} ${r.name}`)
      .sort();
    expect(deletes).toEqual([
      `alertRules law-ws-a ${ruleId(3)}`,
      `alertRules law-ws-b ${ruleId(3)}`,
      `metadata law-ws-a ${metadataName('AnalyticsRule', ruleId(3))}`,
      `metadata law-ws-b ${metadataName('AnalyticsRule', ruleId(3))}`,
    ]);
    expect([...lawA().alertRules.keys()].sort()).toEqual([ruleId(1), ruleId(2), 'foreign-rule']);
  });

  it('a foreign rule is never modified or deleted, with or without --prune', async () => {
    await foreignRule('foreign-rule');
    const before = structuredClone(lawA().alertRules.get('foreign-rule'));
    for (const args of [[], ['--prune']]) {
      h.emulator.clearRequests();
      expect((await h.cli(['deploy', '--env', 'test', ...args])).code).toBe(0);
      expect(h.emulator.requests.filter((r) => r.name === 'foreign-rule')).toEqual([]);
    }
    expect(lawA().alertRules.get('foreign-rule')).toEqual(before);
  });

  it('prune never deletes what the lock and an exact mark do not prove ours: forged marks, hand-written marks, unlocked ids', async () => {
    expect((await h.cli(['lock'])).code).toBe(0);
    await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a']);
    // A second copy of the repository (or anyone) marks its own rule with our name, exactly as deploy would…
    const copied = '7c3d1f7e-0000-4000-8000-00000000c0de';
    await foreignRule(copied);
    const real = lawA().metadata.get(metadataName('AnalyticsRule', ruleId(1)))!;
    lawA().metadata.set(metadataName('AnalyticsRule', copied), {
      ...structuredClone(real),
      name: metadataName('AnalyticsRule', copied),
      properties: { ...structuredClone(real.properties), contentId: copied, parentId: `${scope('law-ws-a')}/alertRules/${copied}` },
    });
    // …or writes our name on a mark of its own naming, for a rule this repository did lock.
    h.removeRule(3);
    expect((await h.cli(['lock', '--retire-reason', 'replaced'])).code).toBe(0);
    const hand = metadataName('AnalyticsRule', ruleId(3));
    const handMark = lawA().metadata.get(hand)!;
    lawA().metadata.delete(hand);
    lawA().metadata.set('hand-written', { ...handMark, name: 'hand-written' });
    h.emulator.clearRequests();

    const run = await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a', '--prune']);
    expect(run.code).toBe(0);
    expect(h.emulator.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
    expect([...lawA().alertRules.keys()].sort()).toEqual([ruleId(1), ruleId(2), ruleId(3), copied].sort());
  });

  it('workspaces.yaml must name this repository: no placeholder, and in GitHub Actions the repository it runs in', async () => {
    h.writeWorkspaces(WS, { repository: 'your-org/sentinel-detections' });
    const placeholder = await h.cli(['plan', '--env', 'test']);
    expect(placeholder.code).toBe(1);
    expect(placeholder.stderr).toContain("still has the template's repository name your-org/sentinel-detections");
    h.writeWorkspaces(WS);
    const copy = await h.cli(['deploy', '--env', 'test', '--prune'], { GITHUB_REPOSITORY: 'someone/else' });
    expect(copy.code).toBe(1);
    expect(copy.stderr).toContain(`says repository: ${REPOSITORY}, but this workflow runs in someone/else`);
    expect(h.emulator.requests).toEqual([]);
    expect((await h.cli(['plan', '--env', 'test'], { GITHUB_REPOSITORY: REPOSITORY.toUpperCase() })).code).toBe(0);
  });

  it('a rule with our id but no mark and other content is refused (exit 1) until --adopt; an identical one too, and --adopt writes only its mark', async () => {
    expect((await h.cli(['lock'])).code).toBe(0);
    await foreignRule(ruleId(1), 'law-ws-a'); // someone created "our" rule by hand, differently
    const before = structuredClone(lawA().alertRules.get(ruleId(1)));
    h.emulator.clearRequests();
    const refused = await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('refused: not marked as ours (deploy --adopt takes it over)');
    expect(lawA().alertRules.get(ruleId(1))).toEqual(before);
    expect(h.emulator.requests.filter((r) => r.method !== 'GET' && r.name?.endsWith(ruleId(1)))).toEqual([]);
    expect(h.writes()).toBe(6); // everything else was deployed: 2 rules + 2 marks, the watchlist + its mark

    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a', '--adopt'])).code).toBe(0);
    expect(h.emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.type} ${r.name}`)).toEqual([
      `PUT alertRules ${ruleId(1)}`,
      `PUT metadata ${metadataName('AnalyticsRule', ruleId(1))}`,
    ]);

    // A deploy interrupted between a rule and its mark leaves exactly our content without the mark. That
    // looks the same as a copy someone made: a plain deploy refuses it too; --adopt writes only the mark.
    lawA().metadata.delete(metadataName('AnalyticsRule', ruleId(2)));
    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(1);
    expect(h.writes()).toBe(0);
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a', '--adopt'])).code).toBe(0);
    expect(h.emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.type} ${r.name}`)).toEqual([
      `PUT metadata ${metadataName('AnalyticsRule', ruleId(2))}`,
    ]);
  });

  it('an unmarked rule equal to ours is not taken over by a plain deploy: the plan names it, deploy refuses it (exit 1) and writes no mark; only --adopt marks it', async () => {
    expect((await h.cli(['lock'])).code).toBe(0);
    // Someone puts a copy of our compiled rule into the workspace: our id, our content, no mark.
    const parsed = validateContent(loadContent({ root: h.root })).parsed;
    const copy = compileSet(parsed, { label: 'ws-a', apiVersion: '2025-09-01', overrides: {} }).alertRules.find((r) => r.id === ruleId(1))!;
    const put = await call()('PUT', `${h.emulator.url}${scope('law-ws-a')}/alertRules/${ruleId(1)}?api-version=2025-09-01`, copy.body);
    expect(put.status).toBe(201);
    const before = structuredClone(lawA().alertRules.get(ruleId(1)));
    const mark = metadataName('AnalyticsRule', ruleId(1));
    const message = `alert rule ${ruleId(1)} in workspace ws-a exists without this repository's ownership mark and equals this repository's version: deploy does not mark it as ours; review it, then run deploy --adopt to take it over (only the mark is written)`;
    h.emulator.clearRequests();

    const plan = await h.cli(['plan', '--env', 'test', '--workspace', 'ws-a', '--format', 'json']);
    expect(plan.code).toBe(0);
    const changes = (JSON.parse(plan.stdout) as { workspaces: { name: string; changes: Record<string, unknown>[] }[] }).workspaces[0]!;
    expect(changes.name).toBe('ws-a');
    expect(changes.changes.find((c) => c.id === ruleId(1))).toStrictEqual({
      type: 'alertRule',
      id: ruleId(1),
      action: 'update',
      displayName: copy.body.properties.displayName,
      file: copy.file,
      mark: 'create',
      conflict: { reason: 'unmanaged', adoptable: true, message },
    });

    const refused = await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`CONFLICT: ${message}`);
    expect(refused.stdout).toContain('refused: not marked as ours (deploy --adopt takes it over)');
    expect(lawA().metadata.has(mark)).toBe(false);
    expect(lawA().alertRules.get(ruleId(1))).toEqual(before);
    expect(h.emulator.requests.filter((r) => r.method !== 'GET' && r.name?.endsWith(ruleId(1)))).toEqual([]);
    expect(h.writes()).toBe(6); // everything else was deployed: 2 rules + 2 marks, the watchlist + its mark

    h.emulator.clearRequests();
    const adopted = await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a', '--adopt']);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain(
      'adopted (--adopt): it had no ownership mark of this repository; it equals this version: only the mark was written',
    );
    expect(h.emulator.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.type} ${r.name}`)).toEqual([
      `PUT metadata ${mark}`,
    ]);
    expect(lawA().alertRules.get(ruleId(1))).toEqual(before); // not rewritten: its schedule is not reset
    expect(lawA().metadata.get(mark)?.properties).toMatchObject({
      contentId: ruleId(1),
      source: { kind: 'SourceRepository', name: REPOSITORY },
    });
  });

  it('a rule marked by another repository is never written, even with --adopt', async () => {
    await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a']);
    const name = metadataName('AnalyticsRule', ruleId(1));
    lawA().metadata.get(name)!.properties.source = { kind: 'SourceRepository', name: 'someone-else', sourceId: 'someone-else' };
    h.writeRule(1, (t) => replaceOnce(t, 'severity: Low', 'severity: High'));
    h.removeRule(2);
    lawA().metadata.get(metadataName('AnalyticsRule', ruleId(2)))!.properties.source = { kind: 'SourceRepository', name: 'someone-else' };
    h.emulator.clearRequests();
    const run = await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a', '--adopt', '--prune']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("marked as owned by repository 'someone-else'");
    expect(h.writes()).toBe(0);
  });

  it('--workspace and --shard select the right workspaces', async () => {
    h.writeWorkspaces([{ name: 'ws-d' }, { name: 'ws-b' }, { name: 'prod-x' }, { name: 'ws-a' }, { name: 'ws-c' }]);
    const touched = () => [...new Set(h.emulator.requests.map((r) => r.workspace))].sort();
    const cases: [string[], string[]][] = [
      [
        ['--workspace', 'ws-a,ws-c'],
        ['law-ws-a', 'law-ws-c'],
      ],
      [
        ['--workspace', 'ws-*', '--workspace', 'prod-x'],
        ['law-prod-x', 'law-ws-a', 'law-ws-b', 'law-ws-c', 'law-ws-d'],
      ],
      [
        ['--shard', '1/2'],
        ['law-prod-x', 'law-ws-b', 'law-ws-d'],
      ],
      [
        ['--shard', '2/2'],
        ['law-ws-a', 'law-ws-c'],
      ],
      [['--workspace', 'ws-?', '--shard', '2/3'], ['law-ws-b']],
    ];
    for (const [args, expected] of cases) {
      h.emulator.reset();
      const result = await h.cli(['plan', '--env', 'test', '--format', 'json', ...args]);
      expect(result.code).toBe(0);
      expect(touched()).toEqual(expected);
    }
    expect((await h.cli(['deploy', '--env', 'test', '--shard', '3/2'])).code).toBe(2);
    expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'nope'])).code).toBe(2);
  });

  it('content that does not validate is reported and nothing is read or written (exit 1)', async () => {
    h.writeRule(2, (t) => replaceOnce(t, 'severity: Low', 'severity: Urgent'));
    for (const command of ['plan', 'deploy']) {
      const result = await h.cli([command, '--env', 'test']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('rules/rule-2.yaml');
      expect(result.stdout).toBe('');
    }
    expect(h.emulator.requests).toEqual([]);
  });

  it('plan and deploy refuse what validate refuses: a changed rule without a version bump (issue 10.18)', async () => {
    expect((await h.cli(['lock'])).code).toBe(0);
    h.writeRule(2, (t) => replaceOnce(t, 'severity: Low', 'severity: High')); // compiled content changes, version stays 1.0.0
    const validate = await h.cli(['validate', '--format', 'json']);
    expect(validate.code).toBe(1);
    const codes = (JSON.parse(validate.stdout) as { diagnostics: { file: string; code: string }[] }).diagnostics.map(
      (d) => `${d.file} ${d.code}`,
    );
    expect(codes).toStrictEqual(['rules/rule-2.yaml lock.version-not-bumped']);
    for (const command of ['plan', 'deploy']) {
      const result = await h.cli([command, '--env', 'test']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('lock.version-not-bumped');
      expect(result.stderr).toContain('rules/rule-2.yaml');
      expect(result.stdout).toBe('');
    }
    expect(h.emulator.requests).toEqual([]);
    // Bumped and locked: deploy goes ahead.
    h.writeRule(2, (t) => replaceOnce(replaceOnce(t, 'severity: Low', 'severity: High'), 'version: 1.0.0', 'version: 1.0.1'));
    expect((await h.cli(['lock'])).code).toBe(0);
    expect((await h.cli(['deploy', '--env', 'test'])).code).toBe(0);
  });

  it('plan --format json follows the CLI contract and exits 0 whatever the plan contains', async () => {
    expect((await h.cli(['lock'])).code).toBe(0);
    await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a']);
    h.removeRule(1);
    expect((await h.cli(['lock', '--retire-reason', 'replaced'])).code).toBe(0); // as validate requires
    const result = await h.cli(['plan', '--env', 'test', '--format', 'json']);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout) as { workspaces: { name: string; changes: { type: string; id: string; action: string }[] }[] };
    expect(plan.workspaces.map((w) => ({ name: w.name, changes: w.changes.map((c) => `${c.type} ${c.id} ${c.action}`) }))).toEqual([
      {
        name: 'ws-a',
        changes: [`alertRule ${ruleId(1)} delete`, `alertRule ${ruleId(2)} noop`, `alertRule ${ruleId(3)} noop`, 'watchlist ipsum noop'],
      },
      { name: 'ws-b', changes: [`alertRule ${ruleId(2)} create`, `alertRule ${ruleId(3)} create`, 'watchlist ipsum create'] },
    ]);
  });
});
