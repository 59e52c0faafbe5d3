// Secrets never reach an output, whatever path they take: an endpoint that echoes the bearer token in
// its error code, message and headers (plan and deploy, in every format), the Azure SDK's own logs at
// AZURE_LOG_LEVEL=verbose, a feed URL carrying user info and a SAS signature; and the static token is
// sent to no host but Azure Resource Manager and loopback.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/content.ts';
import { startDeployHarness, TOKEN, type DeployHarness } from './deploy-harness.ts';
import { startHarness, type Harness } from './sync-harness.ts';

let h: DeployHarness;
beforeAll(async () => {
  h = await startDeployHarness({ rules: 1 });
  h.writeWorkspaces([{ name: 'ws-a' }]);
});
afterAll(async () => {
  await h.close();
});

describe('an endpoint echoing the Authorization header', () => {
  it.each([
    ['plan', 'text'],
    ['plan', 'json'],
    ['plan', 'markdown'],
    ['deploy', 'text'],
    ['deploy', 'json'],
    ['deploy', 'markdown'],
  ])('%s --format %s: exit 1, the failure reported, the token nowhere', async (command, format) => {
    h.emulator.reset();
    h.emulator.faults.when(() => true, { echoAuthorization: 401 }, Infinity);
    const result = await h.cli([command, '--env', 'test', '--format', format]);
    expect(result.code).toBe(1);
    const all = result.stdout + result.stderr;
    expect(all).toContain('HTTP 401');
    expect(all).toContain('Bearer [redacted]');
    expect(all).not.toContain(TOKEN);
  });

  it('AZURE_LOG_LEVEL=verbose: the SDK logs (response headers included) pass the same redaction', async () => {
    h.emulator.reset();
    h.emulator.faults.when(() => true, { echoAuthorization: 400 }, Infinity);
    // The CLI's repository is this one (the bin's); the workspaces file points at the emulator.
    const child = spawn(
      process.execPath,
      [join(repoRoot, 'scripts/bin.js'), 'plan', '--env', 'test', '--config', join(h.root, 'workspaces.yaml'), '--format', 'json'],
      {
        cwd: repoRoot,
        env: { ...process.env, AZURE_LOG_LEVEL: 'verbose', SENTINEL_ACCESS_TOKEN: TOKEN, SENTINEL_MAX_RETRIES: '0' },
      },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => void (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => void (out += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(out).toMatch(/"www-authenticate": "Bearer \[redacted\], error=\\"invalid_token\\""/i);
    expect(out).not.toContain(TOKEN);
  });
});

describe('SENTINEL_ACCESS_TOKEN goes only to Azure Resource Manager and loopback', () => {
  it('an armEndpoint elsewhere (say, changed by a pull request) is refused before any request, naming the host', async () => {
    const evil = 'https://collector.evil.example';
    h.writeFile(
      'workspaces.yaml',
      `repository: test-org/e2e\nenvironments:\n  test:\n    - name: ws-pr\n      subscriptionId: 00000000-0000-4000-8000-0000000000d1\n      resourceGroup: rg\n      workspace: law-pr\n      armEndpoint: ${evil}\n`,
    );
    try {
      for (const args of [
        ['plan', '--env', 'test'],
        ['deploy', '--env', 'test'],
        ['sync-watchlist', 'ipsum', '--env', 'test'],
      ]) {
        const result = await h.cli(args);
        expect(result.code, args[0]).toBe(1);
        expect(result.stderr).toContain('refusing to send SENTINEL_ACCESS_TOKEN to collector.evil.example (armEndpoint of ws-pr)');
        expect(result.stderr).toContain('--allow-token-host collector.evil.example');
      }
    } finally {
      h.writeWorkspaces([{ name: 'ws-a' }]);
    }
  });
});

describe('a feed URL with user info and a SAS signature', () => {
  let s: Harness;
  beforeAll(async () => {
    s = await startHarness();
  });
  afterAll(async () => {
    await s.close();
  });

  it.each(['text', 'json', 'markdown'])('--format %s: the download fails, neither secret is printed', async (format) => {
    s.reset();
    const feed = new URL(s.feed.url);
    const url = `https://reader:FEED-PASSWORD-7c1d@${feed.host}${feed.pathname}?sv=2024-01-01&sig=SAS-SIGNATURE-0e9f`;
    const result = await s.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--feed', url, '--format', format]);
    expect(result.code).toBe(1);
    const all = result.stdout + result.stderr;
    expect(all).toContain(feed.host);
    expect(all).not.toContain('FEED-PASSWORD-7c1d');
    expect(all).not.toContain('SAS-SIGNATURE-0e9f');
  });
});
