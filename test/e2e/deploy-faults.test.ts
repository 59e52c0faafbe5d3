// deploy under failure: throttling, injected 5xx, dropped connections, a service rejection in one
// workspace, refused credentials, and SDK logs. Every case ends in a checked state, not a timing.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/content.ts';
import type { EmulatorOptions } from '../support/emulator/server.ts';
import { tempDir } from '../support/temp.ts';
import { ruleId, startDeployHarness, SUB, TOKEN, type DeployHarness } from './deploy-harness.ts';

let h: DeployHarness | undefined;
afterEach(async () => {
  if (h) {
    expect(h.outputs.join('\n')).not.toContain(TOKEN);
    await h.close();
    h = undefined;
  }
});

async function harness(emulator: EmulatorOptions = {}): Promise<DeployHarness> {
  h = await startDeployHarness({ rules: 3, emulator });
  h.writeWorkspaces([{ name: 'ws-a' }, { name: 'ws-b' }]);
  return h;
}

const rulesIn = (d: DeployHarness, ws: string) => [...d.emulator.state.workspace(SUB, 'rg-e2e', ws).alertRules.keys()].sort();

/** After a deploy that had to fight: everything is there, and one more deploy has nothing to do. */
async function expectConverged(d: DeployHarness): Promise<void> {
  for (const ws of ['law-ws-a', 'law-ws-b']) expect(rulesIn(d, ws)).toEqual([ruleId(1), ruleId(2), ruleId(3)]);
  d.emulator.faults.clear();
  d.emulator.clearRequests();
  expect((await d.cli(['deploy', '--env', 'test'])).code).toBe(0);
  expect(d.writes()).toBe(0);
}

describe('deploy under failure', () => {
  it('a 429 storm from the rate limiter is absorbed by the pipeline (Retry-After honoured) and converges', async () => {
    const d = await harness({ rateLimit: { writesPerSecond: 10, writeBurst: 2 } }); // 8 writes in flight at once: throttled however slow the machine
    // Retry-After (1 s here) is honoured up to SENTINEL_MAX_RETRY_DELAY_MS, which the harness sets to 20 ms.
    const result = await d.cli(['deploy', '--env', 'test'], { SENTINEL_MAX_RETRY_DELAY_MS: '2000' });
    expect(result.code).toBe(0);
    expect(d.emulator.count({ status: 429 })).toBeGreaterThan(0);
    expect(d.emulator.count({ method: 'PUT', status: '2xx' })).toBe(16);
    await expectConverged(d);
  });

  it('injected 500/503 and dropped connections on reads, writes and polls still converge', async () => {
    const d = await harness();
    const f = d.emulator.faults;
    f.when((r) => r.method === 'PUT' && r.type === 'alertRules', { status: 500 }, 3);
    f.when((r) => r.method === 'PUT' && r.type === 'metadata', { drop: true }, 2);
    f.when((r) => r.method === 'PUT' && r.type === 'watchlists', { status: 503, retryAfterSeconds: 0 }, 1);
    f.when((r) => r.type === 'operations', { status: 500 }, 1);
    f.when((r) => r.method === 'GET' && r.type === 'metadata', { drop: true }, 1);
    const result = await d.cli(['deploy', '--env', 'test']);
    expect(result.code).toBe(0);
    expect(d.emulator.count({ status: '5xx' })).toBe(5);
    expect(d.emulator.count({ status: 0 })).toBe(3);
    // Each rule was stored exactly once per workspace (a failed attempt changes nothing).
    expect(d.emulator.count({ method: 'PUT', type: 'alertRules', status: '2xx' })).toBe(6);
    await expectConverged(d);
  });

  it('a 400 rejection is reported with rule file, workspace and service message; the other workspace deploys; exit 1', async () => {
    const d = await harness();
    d.emulator.rejectQueriesReferencing('law-ws-b', ['DeviceNetworkEvents']);
    const text = await d.cli(['deploy', '--env', 'test']);
    expect(text.code).toBe(1);
    expect(rulesIn(d, 'law-ws-a')).toEqual([ruleId(1), ruleId(2), ruleId(3)]);
    expect(rulesIn(d, 'law-ws-b')).toEqual([]);
    expect(d.emulator.count({ method: 'PUT', type: 'alertRules', workspace: 'law-ws-b' })).toBe(3); // a 400 is not retried
    expect(text.stdout).toContain(
      `PUT alertRule on workspace ws-b resource ${ruleId(1)} (rules/rule-1.yaml) failed: HTTP 400 BadRequest: Failed to run the analytics rule query.`,
    );
    expect(text.stdout).toContain('1 of 2 workspace(s) failed: ws-b');

    const json = await d.cli(['deploy', '--env', 'test', '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as {
      workspaces: { name: string; status: string; changes: { id: string; result: string; error?: Record<string, unknown> }[] }[];
    };
    expect(report.workspaces.map((w) => [w.name, w.status])).toEqual([
      ['ws-a', 'ok'],
      ['ws-b', 'failed'],
    ]);
    const failed = report.workspaces[1]!.changes.filter((c) => c.result === 'failed');
    expect(failed.map((c) => c.id)).toEqual([ruleId(1), ruleId(2), ruleId(3)]);
    expect(failed[0]!.error).toMatchObject({
      operation: 'PUT alertRule',
      workspace: 'ws-b',
      file: 'rules/rule-1.yaml',
      status: 400,
      serviceCode: 'BadRequest',
    });
    expect(String(failed[0]!.error!.serviceMessage)).toContain("Failed to resolve table or column expression named 'DeviceNetworkEvents'");
    expect(failed[0]!.error!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a workspace that keeps failing (503 after every retry) fails alone', async () => {
    const d = await harness();
    d.emulator.faults.when((r) => r.workspace === 'law-ws-b', { status: 503, retryAfterSeconds: 0 }, Infinity);
    const result = await d.cli(['deploy', '--env', 'test']);
    expect(result.code).toBe(1);
    expect(rulesIn(d, 'law-ws-a')).toEqual([ruleId(1), ruleId(2), ruleId(3)]);
    expect(result.stdout).toMatch(/ws-b: FAILED — 0 write\(s\)\n {2}LIST \w+ on workspace ws-b failed: HTTP 503 ServiceUnavailable/);
  });

  it('refused credentials: exit 1, HTTP 401 and what to do, and neither token anywhere', async () => {
    const d = await harness();
    const wrong = 'WRONG-TOKEN-e2e-91b2c3d4-never-print';
    for (const args of [
      ['plan', '--env', 'test'],
      ['deploy', '--env', 'test'],
    ]) {
      const result = await d.cli(args, { SENTINEL_ACCESS_TOKEN: wrong });
      expect(result.code).toBe(1);
      expect(`${result.stdout}${result.stderr}`).toContain('HTTP 401 InvalidAuthenticationToken');
      expect(`${result.stdout}${result.stderr}`).toContain('refresh SENTINEL_ACCESS_TOKEN');
      expect(`${result.stdout}${result.stderr}`).not.toContain(wrong);
    }
    expect(d.writes()).toBe(0);
  });

  it('AZURE_LOG_LEVEL: the SDK logs go to stderr (Authorization redacted), stdout stays the plan', async () => {
    const d = await harness();
    const config = join(tempDir('sentinel-cfg'), 'workspaces.yaml');
    writeFileSync(
      config,
      `repository: test-org/e2e\nenvironments:\n  test:\n    - name: ws-log\n      subscriptionId: ${SUB}\n      resourceGroup: rg-e2e\n      workspace: law-log\n      armEndpoint: ${d.emulator.url}\n`,
    );
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'scripts/cli.ts'), 'plan', '--env', 'test', '--config', config, '--format', 'json'],
      {
        cwd: repoRoot,
        env: { ...process.env, AZURE_LOG_LEVEL: 'info', SENTINEL_ACCESS_TOKEN: TOKEN },
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { workspaces: { name: string }[] }).workspaces.map((w) => w.name)).toEqual(['ws-log']);
    expect(stderr).toContain('azure:core-rest-pipeline');
    expect(stderr).toMatch(/"authorization": "REDACTED"/i);
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  });
});
