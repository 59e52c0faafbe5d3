// The real CLI in a child process against an ARM endpoint that refuses connections and one that resets
// them: plan, deploy and sync-watchlist report the failure and the process ends within seconds of the
// report (the SDK's request timer once kept each of them alive for two more minutes).
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRepo } from '../support/cli.ts';
import { repoRoot } from '../support/content.ts';
import { syntheticFeed } from '../support/feed-server.ts';

const EXIT_WITHIN_MS = 5_000;
let resetting: Server;
let refusedPort: number;
let dir: string;

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  resetting = createServer((socket) => socket.resetAndDestroy());
  await listen(resetting);
  const probe = createServer();
  refusedPort = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  // The repository's watchlist definition and no rules: what is timed is the process, not validation.
  dir = tempRepo({
    'watchlists/ipsum.yaml': readFileSync(join(repoRoot, 'watchlists/ipsum.yaml'), 'utf8'),
    'ipsum.txt': syntheticFeed({ ips: 600 }),
  });
});
afterAll(async () => {
  await new Promise<void>((resolve) => resetting.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

function config(name: string, port: number): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    [
      '# yaml-language-server: $schema=./schemas/workspaces.schema.json',
      'repository: contoso/exit-test',
      'environments:',
      '  test:',
      `    - name: ${name}`,
      '      subscriptionId: 00000000-0000-4000-8000-0000000000e1',
      '      resourceGroup: rg-exit',
      '      workspace: law-exit',
      `      armEndpoint: https://127.0.0.1:${port}`,
      '',
    ].join('\n'),
  );
  return file;
}

interface Run {
  code: number | null;
  stdout: string;
  /** Milliseconds from the last output on stdout (the report) to the process's exit. */
  afterReport: number;
}

function runCli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./sync-child.ts', import.meta.url)), ...args], {
    cwd: repoRoot,
    env: {
      ...process.env,
      SYNC_ROOT: dir,
      SENTINEL_ACCESS_TOKEN: 'exit-test-token',
      SENTINEL_MAX_RETRIES: '2',
      SENTINEL_RETRY_DELAY_MS: '1',
      SENTINEL_MAX_RETRY_DELAY_MS: '5',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  let lastOutput = Date.now();
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    lastOutput = Date.now();
  });
  // A hang fails the test within its timeout instead of holding the worker for minutes.
  const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, afterReport: Date.now() - lastOutput });
    }),
  );
}

const COMMANDS: [string, (cfg: string) => string[]][] = [
  ['plan', (cfg) => ['plan', '--env', 'test', '--config', cfg]],
  ['deploy', (cfg) => ['deploy', '--env', 'test', '--config', cfg]],
  ['sync-watchlist', (cfg) => ['sync-watchlist', 'ipsum', '--env', 'test', '--config', cfg, '--feed', join(dir, 'ipsum.txt')]],
];

describe('commands end promptly after socket-level failures', () => {
  it('plan, deploy and sync-watchlist against refused and reset connections exit within 5 s of their report', async () => {
    const endpoints: [string, () => number, RegExp][] = [
      ['refused', () => refusedPort, /ECONNREFUSED/],
      ['reset', () => (resetting.address() as AddressInfo).port, /ECONNRESET|socket hang up/],
    ];
    const runs = endpoints.flatMap(([name, port, expected]) =>
      COMMANDS.map(async ([command, args]) => {
        const run = await runCli(args(config(`${name}-${command}`, port())));
        return { label: `${command} (${name})`, run, expected };
      }),
    );
    for (const { label, run, expected } of await Promise.all(runs)) {
      expect(run.code, label).toBe(1);
      expect(run.stdout, label).toMatch(expected);
      expect(run.afterReport, label).toBeLessThan(EXIT_WITHIN_MS);
    }
  }, 60_000);

  it('plan and deploy: one read reset while the others get no answer at all — the process ends with its report, not when they give up', async () => {
    // Each run's endpoint resets its first connection and holds every other one open without a byte.
    // The report is out at the reset; the reads still waiting must not keep the process alive (they
    // held it for the request timeout, two minutes, before the fix of issue 10.8).
    const servers: Server[] = [];
    const held: Socket[] = [];
    async function halfResetting(): Promise<number> {
      let first = true;
      const server = createServer((socket) => {
        if (first) {
          first = false;
          socket.resetAndDestroy();
        } else held.push(socket);
      });
      servers.push(server);
      return listen(server);
    }
    try {
      const runs = await Promise.all(
        COMMANDS.filter(([command]) => command !== 'sync-watchlist').map(async ([command, args]) => {
          // No retry: the reset is final at once, and a retry would only be held like the others.
          const run = await runCli(args(config(`half-${command}`, await halfResetting())), { SENTINEL_MAX_RETRIES: '0' });
          return { label: command, run };
        }),
      );
      for (const { label, run } of runs) {
        expect(run.stdout, label).toMatch(/LIST \w+ on workspace half-\w+ failed: no response (ECONNRESET|socket hang up)/);
        expect(run.afterReport, label).toBeLessThan(EXIT_WITHIN_MS);
        expect(run.code, label).toBe(1);
      }
      expect(held.length).toBeGreaterThanOrEqual(2 * 2); // two reads of each run were left unanswered
    } finally {
      for (const socket of held) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    }
  }, 60_000);
});
