// What each kind of run loads, observed in a child process through a module-load hook: help and usage
// errors load no command implementation and none of the heavy dependencies; validate never loads the
// Azure SDK; plan loads Kusto.Language only once it validates.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/content.ts';

const traceDir = mkdtempSync(join(tmpdir(), 'sentinel-load-trace-'));
afterAll(() => rmSync(traceDir, { recursive: true, force: true }));

let runs = 0;
/** Runs the package bin with `args`; returns its exit code and the repository-relative paths (or package names) it loaded. */
function traced(args: string[]): { code: number | null; stderr: string; loaded: string[] } {
  const file = join(traceDir, `run-${++runs}.txt`);
  const child = spawnSync(
    process.execPath,
    ['--import', pathToFileURL(join(repoRoot, 'test/support/load-trace.ts')).href, join(repoRoot, 'scripts/bin.js'), ...args],
    {
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, LOAD_TRACE_FILE: file, NO_COLOR: '1' },
    },
  );
  const root = pathToFileURL(repoRoot).href.replace(/\/?$/, '/');
  const loaded = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((url) => (url.startsWith(root) ? url.slice(root.length) : url))
    .map((path) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1] ?? path);
  return { code: child.status, stderr: child.stderr, loaded: [...new Set(loaded)] };
}

const HEAVY = ['@azure/', '@typespec/', '@kusto/language-service-next', 'ajv'];
const heavy = (loaded: readonly string[]) => loaded.filter((m) => HEAVY.some((h) => m.startsWith(h)));
const commandModules = (loaded: readonly string[]) => loaded.filter((m) => /^scripts\/(commands|azure|io)\//.test(m));

describe('module loading', () => {
  it.each([
    ['--help', []],
    ['validate --help', ['validate', '--help']],
    ['deploy --help', ['deploy', '--help']],
  ])('%s loads commander and none of the commands or heavy dependencies', (_, args) => {
    const run = traced(args.length ? args : ['--help']);
    expect(run.code).toBe(0);
    expect(run.loaded).toContain('commander'); // the hook sees package loads at all
    expect(run.loaded).toContain('scripts/program.ts');
    expect(heavy(run.loaded)).toEqual([]);
    expect(commandModules(run.loaded)).toEqual([]);
  });

  it.each([
    ['an invalid --format', ['validate', '--format', 'xml']],
    ['an unknown command', ['bogus']],
    ['a missing required option', ['plan']],
  ])('a usage error (%s) exits 2 having loaded none of them', (_, args) => {
    const run = traced(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^error: /);
    expect(heavy(run.loaded)).toEqual([]);
    expect(commandModules(run.loaded)).toEqual([]);
  });

  it('validate loads Kusto.Language and ajv, never the Azure SDK', () => {
    const run = traced(['validate']);
    expect(run.code).toBe(0);
    expect(heavy(run.loaded).sort()).toEqual(['@kusto/language-service-next', 'ajv']);
    expect(run.loaded.filter((m) => m.startsWith('scripts/azure/'))).toEqual([]);
  });

  it('plan loads Kusto.Language only when it validates (a bad --shard stops it before)', () => {
    const run = traced(['plan', '--env', 'dev', '--shard', '3/2']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--shard');
    expect(run.loaded).not.toContain('@kusto/language-service-next');
  });
});
