// `npm run mutate [-- <stryker options>]`: Stryker over the core's decision modules (config:
// test/mutation/stryker.config.ts), then the per-module table and the 90% bar per module.
// One module: `npm run mutate -- --mutate scripts/core/feed/ipv4.ts` (several: comma-separated globs).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { belowThreshold, formatScore, moduleScores, MODULE_THRESHOLD, scoreTable, type Report } from './scores.ts';

const REPORT = 'reports/mutation/mutation.json';
const root = join(import.meta.dirname, '../..');
const stryker = join(dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json')), 'bin/stryker.js');

// A stale report must not pass for this run's result.
rmSync(join(root, REPORT), { force: true });
const started = Date.now();
const run = spawnSync(process.execPath, [stryker, 'run', 'test/mutation/stryker.config.ts', ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
const seconds = Math.round((Date.now() - started) / 1000);
if (run.status !== 0 || !existsSync(join(root, REPORT))) {
  console.error(`stryker failed (exit ${run.status ?? run.signal}) after ${seconds} s; no per-module table`);
  process.exit(run.status || 1);
}

const rows = moduleScores(JSON.parse(readFileSync(join(root, REPORT), 'utf8')) as Report);
console.log(`\n${scoreTable(rows)}\n`);
console.log(
  `wall time ${Math.floor(seconds / 60)} min ${seconds % 60} s on ${availableParallelism()} cores; report: ${REPORT} and reports/mutation/index.html`,
);
const low = belowThreshold(rows);
if (low.length > 0) {
  console.error(`below ${MODULE_THRESHOLD}%: ${low.map((r) => `${r.module} ${formatScore(r.score)}`).join(', ')}`);
  process.exit(1);
}
