// Time limits end to end: a Retry-After beyond SENTINEL_MAX_RETRY_DELAY_MS is capped, and --deadline
// ends plan, deploy and sync-watchlist with a report (exit 1) instead of waiting on the service.
import { afterEach, describe, expect, it } from 'vitest';
import { ruleId, startDeployHarness, SUB, TOKEN, type DeployHarness } from './deploy-harness.ts';
import { startHarness } from './sync-harness.ts';

let h: DeployHarness | undefined;
afterEach(async () => {
  if (h) {
    expect(h.outputs.join('\n')).not.toContain(TOKEN);
    await h.close();
    h = undefined;
  }
});

async function harness(): Promise<DeployHarness> {
  h = await startDeployHarness({ rules: 2 });
  h.writeWorkspaces([{ name: 'ws-a' }]);
  return h;
}

const SLOW_RETRIES = { SENTINEL_MAX_RETRY_DELAY_MS: '60000' };

describe('time limits', () => {
  it('one 429 with Retry-After: 3600 costs a capped wait, not an hour', async () => {
    const d = await harness();
    d.emulator.faults.next({ status: 429, retryAfterSeconds: 3600 });
    const started = Date.now();
    const result = await d.cli(['deploy', '--env', 'test']); // the harness caps retry waits at 20 ms
    expect(result.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect([...d.emulator.state.workspace(SUB, 'rg-e2e', 'law-ws-a').alertRules.keys()].sort()).toEqual([ruleId(1), ruleId(2)]);
  });

  it.each([['deploy'], ['plan']])(
    '%s --deadline 1s under a throttling storm: exit 1 within seconds, the deadline named',
    async (command) => {
      const d = await harness();
      d.emulator.faults.when(() => true, { status: 429, retryAfterSeconds: 30 }, Infinity);
      const started = Date.now();
      const result = await d.cli([command, '--env', 'test', '--deadline', '1s'], SLOW_RETRIES);
      expect(result.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(result.stdout).toContain("Deadline: the run's deadline of 1 s passed (--deadline)");
      expect(d.writes({ type: 'alertRules' })).toBe(0);
    },
  );

  it('refuses a deadline it cannot read (exit 2)', async () => {
    const d = await harness();
    const result = await d.cli(['deploy', '--env', 'test', '--deadline', '5x']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--deadline');
    expect(d.emulator.requests).toHaveLength(0);
  });

  it('sync-watchlist --deadline: the run stops, reports the workspace failed, and writes no provenance it did not earn', async () => {
    const s = await startHarness();
    try {
      s.emulator.faults.when((r) => r.method === 'GET', { status: 429, retryAfterSeconds: 30 }, Infinity);
      const started = Date.now();
      const result = await s.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--deadline', '1s', '--format', 'json'], SLOW_RETRIES);
      expect(result.code).toBe(1);
      expect(Date.now() - started).toBeLessThan(10_000);
      const report = JSON.parse(result.stdout) as { workspaces: { name: string; status: string; message: string }[] };
      expect(report.workspaces).toEqual([
        expect.objectContaining({ name: 'solo', status: 'failed', message: expect.stringContaining('deadline of 1 s passed') }),
      ]);
      expect(s.writes()).toBe(0);
    } finally {
      await s.close();
    }
  });
});
