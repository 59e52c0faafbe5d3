// plan output, golden in all three formats, over one scenario with every kind of change: a rule
// whose query and severity changed (version bumped), a mark-only change (version bump), a rule removed from the
// repository (delete), a new rule (create), an unmarked rule with our id (conflict), a watchlist
// whose description changed while the sync's provenance block sits in the live one, and a second
// workspace where everything is new.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metadataName } from '../../scripts/core/compile/metadata.ts';
import { PLAN_MARKER } from '../../scripts/report/plan-markdown.ts';
import { fixture, replaceOnce } from '../support/content.ts';
import { ruleId, startDeployHarness, SUB, TOKEN, type DeployHarness } from './deploy-harness.ts';

let h: DeployHarness;
const outputs: Record<string, string> = {};

beforeAll(async () => {
  h = await startDeployHarness({ rules: 4 });
  h.writeWorkspaces([{ name: 'ws-b' }, { name: 'ws-a' }]);
  expect((await h.cli(['lock'])).code).toBe(0); // rules 1–4: what prune and --adopt may touch
  expect((await h.cli(['deploy', '--env', 'test', '--workspace', 'ws-a'])).code).toBe(0);
  const law = h.emulator.state.workspace(SUB, 'rg-e2e', 'law-ws-a');

  h.writeRule(1, (t) =>
    replaceOnce(
      replaceOnce(replaceOnce(t, 'severity: Low', 'severity: High'), 'version: 1.0.0', 'version: 1.0.1'),
      '  | where LocalPort !in (SkipPorts)\n',
      "  | where LocalPort !in (SkipPorts)\n  | where RemoteIPType == 'Public'\n",
    ),
  );
  h.writeRule(2, (t) => replaceOnce(t, 'version: 1.0.0', 'version: 1.1.0'));
  h.removeRule(3);
  h.writeRule(5);
  law.metadata.delete(metadataName('AnalyticsRule', ruleId(4)));
  law.alertRules.get(ruleId(4))!.properties.displayName = 'Edited in the portal';
  law.watchlists.get('ipsum')!.resource.properties.description =
    'Fixture watchlist.\n[sync v1 feed=2026-08-22T01:00:29Z items=5354 month=2026-08 changes=1234]';
  h.writeFile(
    'watchlists/ipsum.yaml',
    replaceOnce(fixture.watchlist, 'description: Fixture watchlist.', 'description: Addresses on IPsum blocklists, refreshed daily.'),
  );
  // The changes reviewed as validate requires them (plan refuses what validate refuses): versions bumped, the lock updated.
  expect((await h.cli(['lock', '--retire-reason', 'replaced by rule 5'])).code).toBe(0);

  for (const format of ['text', 'json', 'markdown']) {
    const result = await h.cli(['plan', '--env', 'test', '--format', format]);
    expect(result.code).toBe(0);
    outputs[format] = result.stdout;
  }
});
afterAll(async () => {
  expect(h.outputs.join('\n')).not.toContain(TOKEN);
  await h.close();
});

describe('plan output', () => {
  it('text', async () => {
    await expect(outputs.text).toMatchFileSnapshot('../golden/plan/plan.txt');
  });

  it('json', async () => {
    await expect(outputs.json).toMatchFileSnapshot('../golden/plan/plan.json');
    const plan = JSON.parse(outputs.json!) as {
      workspaces: { name: string; changes: { id: string; action: string; conflict?: { reason: string } }[] }[];
    };
    const a = plan.workspaces.find((w) => w.name === 'ws-a')!;
    expect(a.changes.map((c) => [c.id, c.action, c.conflict?.reason ?? '-'])).toEqual([
      [ruleId(1), 'update', '-'],
      [ruleId(2), 'update', '-'],
      [ruleId(3), 'delete', '-'],
      [ruleId(4), 'update', 'unmanaged'],
      [ruleId(5), 'create', '-'],
      ['ipsum', 'update', '-'],
    ]);
  });

  it('markdown starts with the marker the PR workflow looks for', async () => {
    await expect(outputs.markdown).toMatchFileSnapshot('../golden/plan/plan.md');
    expect(outputs.markdown!.startsWith(`${PLAN_MARKER}\n`)).toBe(true);
  });

  it('is deterministic: the same state plans to the same bytes', async () => {
    for (const format of ['text', 'json', 'markdown'])
      expect((await h.cli(['plan', '--env', 'test', '--format', format])).stdout).toBe(outputs[format]);
  });
});
