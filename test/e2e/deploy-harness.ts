// End-to-end harness for plan/deploy: a throwaway repository (rules derived from the fixture rule,
// the fixture watchlist, the repository's table schemas), a workspaces.yaml whose workspaces point at
// the emulator, and the real CLI (`run()` from scripts/cli.ts) with the real @azure packages.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempRepo, type CliResult } from '../support/cli.ts';
import { fixture, replaceOnce } from '../support/content.ts';
import { startEmulator, type Emulator, type EmulatorOptions } from '../support/emulator/server.ts';

/** Recognizable: tests assert it appears in no output, no error, no log. */
export const TOKEN = 'SECRET-TOKEN-e2e-3f9d61c0a7b2-never-print';
/** workspaces.yaml `repository`: the name the ownership marks carry. */
export const REPOSITORY = 'test-org/e2e';
export const SUB = '00000000-0000-4000-8000-0000000000d1';
export const SUB2 = '00000000-0000-4000-8000-0000000000d2';
/** Fast retries: the pipeline's own policy, tuned down so storms take milliseconds, not minutes. */
export const RETRY_ENV = { SENTINEL_MAX_RETRIES: '8', SENTINEL_RETRY_DELAY_MS: '2', SENTINEL_MAX_RETRY_DELAY_MS: '20' };

export const ruleId = (n: number): string => `6f1c2a57-0b8e-4a43-9d6e-${String(n).padStart(12, '0')}`;

/** The fixture rule as rule number `n`: its own id and name. */
export function ruleText(n: number, edit: (text: string) => string = (t) => t): string {
  let text = replaceOnce(fixture.rule, 'id: 6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10', `id: ${ruleId(n)}`);
  text = replaceOnce(text, 'name: Fixture rule reading the ipsum watchlist', `name: Fixture rule ${n}`);
  return edit(text);
}

export interface WorkspaceSpec {
  name: string;
  subscriptionId?: string;
  workspace?: string;
  apiVersion?: string;
}

export interface DeployHarness {
  emulator: Emulator;
  root: string;
  /** Everything every CLI run printed, to check for the token at the end. */
  outputs: string[];
  writeRule(n: number, edit?: (text: string) => string): void;
  removeRule(n: number): void;
  writeFile(path: string, text: string): void;
  writeWorkspaces(workspaces: WorkspaceSpec[], extra?: { repository?: string }): void;
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Requests that change something (anything but GET) since the last clearRequests(). */
  writes(filter?: { type?: 'alertRules' | 'metadata' | 'watchlists'; workspace?: string }): number;
  close(): Promise<void>;
}

export async function startDeployHarness(options: { rules?: number; emulator?: EmulatorOptions } = {}): Promise<DeployHarness> {
  const emulator = await startEmulator({ token: TOKEN, ...options.emulator });
  const root = tempRepo({ 'watchlists/ipsum.yaml': fixture.watchlist });
  mkdirSync(join(root, 'rules'));
  const outputs: string[] = [];

  const h: DeployHarness = {
    emulator,
    root,
    outputs,
    writeRule: (n, edit) => writeFileSync(join(root, 'rules', `rule-${n}.yaml`), ruleText(n, edit)),
    removeRule: (n) => rmSync(join(root, 'rules', `rule-${n}.yaml`)),
    writeFile: (path, text) => writeFileSync(join(root, path), text),
    writeWorkspaces(workspaces, extra = {}) {
      const lines = [
        '# yaml-language-server: $schema=./schemas/workspaces.schema.json',
        `repository: ${extra.repository ?? REPOSITORY}`,
        'environments:',
        '  test:',
      ];
      for (const ws of workspaces) {
        lines.push(
          `    - name: ${ws.name}`,
          `      subscriptionId: ${ws.subscriptionId ?? SUB}`,
          '      resourceGroup: rg-e2e',
          `      workspace: ${ws.workspace ?? `law-${ws.name}`}`,
          `      armEndpoint: ${emulator.url}`,
          ...(ws.apiVersion ? [`      apiVersion: ${ws.apiVersion}`] : []),
        );
      }
      writeFileSync(join(root, 'workspaces.yaml'), `${lines.join('\n')}\n`);
    },
    async cli(args, env = {}) {
      const result = await cli(root, args, { env: { SENTINEL_ACCESS_TOKEN: TOKEN, ...RETRY_ENV, ...env } });
      outputs.push(result.stdout, result.stderr);
      return result;
    },
    writes: (filter = {}) =>
      emulator.requests.filter(
        (r) => r.method !== 'GET' && (!filter.type || r.type === filter.type) && (!filter.workspace || r.workspace === filter.workspace),
      ).length,
    async close() {
      await emulator.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  for (let n = 1; n <= (options.rules ?? 3); n++) h.writeRule(n);
  return h;
}
