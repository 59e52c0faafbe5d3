// Whole-process start-up figures: `--help` through the package bin and through `npm run cli --`, and
// `validate` of the repository through the bin. Each run is a fresh process; the figures are medians of
// wall time, CPU time (user + system, every Node process of the run) and peak RSS (the largest process).
// Goals: --help ≤ 0.3 s via the bin, ≤ 1.0 s via npm run; validate ≤ 1.5 s. Benchmarks never fail on time.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../support/content.ts';
import { measureProcess, ms, printTable } from './stats.ts';

const RUNS = 7;

export default async function (): Promise<void> {
  const bin = join(repoRoot, 'scripts', 'bin.js');
  // Under `npm run bench`, npm_execpath is the npm that runs us: use the same one for `npm run cli`.
  const npm = process.env.npm_execpath ? { command: process.execPath, args: [process.env.npm_execpath] } : { command: 'npm', args: [] };
  const scenarios = [
    { label: '--help (package bin)', goalMs: 300, command: process.execPath, args: [bin, '--help'] },
    { label: '--help (npm run cli --)', goalMs: 1000, command: npm.command, args: [...npm.args, 'run', '--silent', 'cli', '--', '--help'] },
    { label: 'validate (package bin)', goalMs: 1500, command: process.execPath, args: [bin, 'validate'] },
  ];
  console.log(
    `${RUNS} runs each after one warm-up run; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (figures are inflated when other work shares the cores)`,
  );
  const rows = scenarios.map((s) => {
    const f = measureProcess(s.command, s.args, { cwd: repoRoot, runs: RUNS });
    return [s.label, ms(f.wallMs), ms(f.cpuMs), `${f.rssMiB.toFixed(0)} MB`, `≤ ${ms(s.goalMs)}`, f.wallMs <= s.goalMs ? 'met' : 'missed'];
  });
  printTable(['run', 'wall (median)', 'CPU (median)', 'peak RSS', 'goal (wall)', ''], rows, 1);
}
