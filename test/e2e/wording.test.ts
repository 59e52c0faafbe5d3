// Reports say what happened: a dry run plans (never "done" or "applied"), a rule taken over with
// --adopt is reported as adopted (not with the refusal it gets without the flag), and the sync's JSON
// has `mode` for every workspace, as docs/watchlist-sync.md lists it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressReporter } from '../../scripts/report/progress.ts';
import { client, scheduledRule } from '../support/emulator/test-client.ts';
import { ruleId, startDeployHarness, SUB, type DeployHarness } from './deploy-harness.ts';
import { addresses, feedOf, startHarness, type Harness } from './sync-harness.ts';

describe('progress in a dry run', () => {
  it('CI lines say planned, never done, and count writes planned, not sent', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), false, 'deploy', 10_000, true);
    p({ kind: 'start', workspaces: 1 });
    p({ kind: 'planned', workspace: 'a', writes: 2 });
    p({ kind: 'finished', workspace: 'a', status: 'ok', writes: 2 });
    p.close();
    expect(lines).toEqual(['deploy: a planned (2 writes planned, none sent) · 1/1 workspaces\n']);
    const tty: string[] = [];
    const live = progressReporter((t) => tty.push(t), true, 'sync', 10_000, true);
    live({ kind: 'start', workspaces: 2 });
    live({ kind: 'planned', workspace: 'a', writes: 3 });
    expect(tty.at(-1)).toBe('\r\u001b[2Ksync: 0/2 workspaces planned · 3 writes planned, none sent');
    live.close();
  });
});

describe('deploy --adopt', () => {
  let h: DeployHarness;
  beforeAll(async () => {
    h = await startDeployHarness({ rules: 1 });
    h.writeWorkspaces([{ name: 'ws-a' }]);
    expect((await h.cli(['lock'])).code).toBe(0);
  });
  afterAll(() => h.close());

  it('reports the rule as (to be) adopted, not with the refusal deploy gives without the flag', async () => {
    const scope = `/subscriptions/${SUB}/resourceGroups/rg-e2e/providers/Microsoft.OperationalInsights/workspaces/law-ws-a/providers/Microsoft.SecurityInsights`;
    const put = await client(h.emulator, { subscription: SUB })(
      'PUT',
      `${h.emulator.url}${scope}/alertRules/${ruleId(1)}?api-version=2025-09-01`,
      scheduledRule({ displayName: 'Made by hand' }),
    );
    expect(put.status).toBe(201);
    const without = await h.cli(['deploy', '--env', 'test']);
    expect(without.code).toBe(1);
    expect(without.stdout).toContain('refuses it unless run with --adopt');

    const dry = await h.cli(['deploy', '--env', 'test', '--adopt', '--dry-run']);
    expect(dry.stdout).toContain('would be adopted (--adopt)');
    expect(dry.stderr).not.toMatch(/\bdone\b/);
    const run = await h.cli(['deploy', '--env', 'test', '--adopt']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'adopted (--adopt): it had no ownership mark of this repository; overwritten with this version and marked',
    );
    expect(run.stdout).not.toContain('refuses it');
    const json = JSON.parse((await h.cli(['deploy', '--env', 'test', '--adopt', '--format', 'json'])).stdout) as {
      workspaces: { changes: { conflict?: unknown }[] }[];
    };
    expect(json.workspaces[0]!.changes.every((c) => c.conflict === undefined)).toBe(true);
  });
});

describe('sync on an unchanged feed', () => {
  let s: Harness;
  beforeAll(async () => {
    s = await startHarness();
    s.feed.setBody(feedOf(addresses(100, (i) => (i % 10) + 1)));
    expect((await s.cli(['sync-watchlist', 'ipsum', '--env', 'one'])).code).toBe(0);
  });
  afterAll(() => s.close());

  it('a dry run plans (it applies nothing), a real run has nothing to apply; JSON has mode for every workspace', async () => {
    const dry = await s.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/solo {2}unchanged/);
    expect(dry.stdout).toContain('  planned: 0 added, 0 removed, 0 updated');
    expect(dry.stdout).not.toContain('applied');
    const real = await s.cli(['sync-watchlist', 'ipsum', '--env', 'one']);
    expect(real.stdout).toContain('  nothing to apply: 0 added');
    const json = JSON.parse((await s.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--format', 'json'])).stdout) as {
      workspaces: { name: string; status: string; mode: unknown }[];
    };
    expect(json.workspaces.map((w) => [w.name, w.status, w.mode])).toEqual([
      ['alpha', 'synced', 'upload'],
      ['beta', 'synced', 'upload'],
      ['off', 'skipped', null],
    ]);
    const again = JSON.parse((await s.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--format', 'json'])).stdout) as {
      workspaces: { status: string; mode: unknown }[];
    };
    expect(again.workspaces.map((w) => [w.status, w.mode])).toEqual([['unchanged', 'update']]);
  });
});
