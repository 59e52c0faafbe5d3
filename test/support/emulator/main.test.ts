// `npm run emulator` as a process: a port in use is a one-line message naming the port and --port, not
// a stack trace; its generated certificate goes when it stops or cannot start; bad flags exit 2.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../content.ts';
import { tempDir } from '../temp.ts';

const MAIN = join(repoRoot, 'test/support/emulator/main.ts');

/** The emulator in a process of its own, with its own temporary directory. */
function emulator(args: string[]) {
  const tmp = tempDir('emulator-process');
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => void (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => void (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { child, tmp, exited, out: () => ({ stdout, stderr }) };
}

describe('npm run emulator', () => {
  it('a port in use: exit 1 naming the port and how to pick another; no stack trace, no certificate left', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const { port } = busy.address() as AddressInfo;
    try {
      const run = emulator(['--port', String(port)]);
      expect(await run.exited).toBe(1);
      const { stderr } = run.out();
      expect(stderr).toContain(`Port ${port} on 127.0.0.1 is in use (another emulator?)`);
      expect(stderr).toContain('--port <n> (--port 0 picks a free one)');
      expect(stderr).not.toMatch(/^\s+at /m);
      expect(readdirSync(run.tmp)).toEqual([]);
    } finally {
      busy.close();
    }
  });

  it('Ctrl-C (SIGINT) and SIGTERM stop it and remove its certificate folder', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const run = emulator(['--port', '0']);
      await expect.poll(() => run.out().stdout, { timeout: 15_000 }).toContain('State is in memory only');
      const caFile = /NODE_EXTRA_CA_CERTS=(\S+)/.exec(run.out().stdout)?.[1];
      expect(caFile && existsSync(caFile)).toBe(true);
      run.child.kill(signal);
      expect(await run.exited).toBe(0);
      expect(existsSync(dirname(caFile!))).toBe(false);
      expect(readdirSync(run.tmp)).toEqual([]);
    }
  });

  it.each([[['--port', 'http']], [['--port', '70000']], [['--verbose']]])('bad flags %j: exit 2 with the usage', async (args) => {
    const run = emulator(args);
    expect(await run.exited).toBe(2);
    expect(run.out().stderr).toContain('usage: npm run emulator -- [--port <n>]');
    expect(readdirSync(run.tmp)).toEqual([]);
  });
});
