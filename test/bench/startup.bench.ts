// Whole-process start-up figures: `--help` through the package bin and through `npm run cli --`, and
// `validate` of the repository through the bin. Each run is a fresh process; the figures are medians of
// wall time, CPU time (user + system, every Node process of the run) and peak RSS (the largest process).
// Goals: --help ≤ 0.3 s via the bin, ≤ 1.0 s via npm run; validate ≤ 1.5 s. Benchmarks never fail on time.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/content.ts';
import { median, ms, printTable } from './stats.ts';

const RUNS = 7;

interface Scenario {
  label: string;
  goalMs: number;
  command: string;
  args: string[];
}

export default async function (): Promise<void> {
  const bin = join(repoRoot, 'scripts', 'bin.js');
  // Under `npm run bench`, npm_execpath is the npm that runs us: use the same one for `npm run cli`.
  const npm = process.env.npm_execpath ? { command: process.execPath, args: [process.env.npm_execpath] } : { command: 'npm', args: [] };
  const scenarios: Scenario[] = [
    { label: '--help (package bin)', goalMs: 300, command: process.execPath, args: [bin, '--help'] },
    { label: '--help (npm run cli --)', goalMs: 1000, command: npm.command, args: [...npm.args, 'run', '--silent', 'cli', '--', '--help'] },
    { label: 'validate (package bin)', goalMs: 1500, command: process.execPath, args: [bin, 'validate'] },
  ];
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-startup-bench-'));
  const hook = pathToFileURL(join(repoRoot, 'test', 'bench', 'process-usage.ts')).href;
  console.log(`${RUNS} runs each after one warm-up run; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (figures are inflated when other work shares the cores)`);
  const rows: string[][] = [];
  try {
    for (const scenario of scenarios) {
      const wall: number[] = [];
      const cpu: number[] = [];
      const rss: number[] = [];
      for (let i = 0; i <= RUNS; i++) {
        const file = join(dir, `${rows.length}-${i}.txt`);
        const env = { ...process.env, PROCESS_USAGE_FILE: file, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${hook}`.trim(), NO_COLOR: '1' };
        const start = performance.now();
        const child = spawnSync(scenario.command, scenario.args, { cwd: repoRoot, env, encoding: 'utf8' });
        const elapsed = performance.now() - start;
        if (child.status !== 0) throw new Error(`${scenario.label} exited ${child.status}:\n${child.stderr}`);
        if (i === 0) continue; // warm-up: the file system cache, npm's own caches
        const usage = readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split(' ').map(Number) as [number, number]);
        wall.push(elapsed);
        cpu.push(usage.reduce((sum, [micros]) => sum + micros / 1000, 0));
        rss.push(Math.max(...usage.map(([, kib]) => kib)));
      }
      const w = median(wall);
      rows.push([scenario.label, ms(w), ms(median(cpu)), `${(median(rss) / 1024).toFixed(0)} MB`, `≤ ${ms(scenario.goalMs)}`, w <= scenario.goalMs ? 'met' : 'missed']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  printTable(['run', 'wall (median)', 'CPU (median)', 'peak RSS', 'goal (wall)', ''], rows, 1);
}
