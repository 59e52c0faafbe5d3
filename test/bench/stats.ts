// Small helpers shared by the benchmarks: medians over repeated runs, readable figures and tables,
// the IPsum snapshots of the reference data, and the repository's own feed policy.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseIpsum } from '../../scripts/core/feed/ipsum.ts';
import { type FeedSettings, MONTHLY_ITEM_CHANGE_LIMIT } from '../../scripts/core/feed/settings.ts';
import type { WatchlistYaml } from '../../scripts/core/model/yaml-types.ts';
import { type ItemShape, feedSettingsOf, itemShapeOf } from '../../scripts/core/sync/settings.ts';
import { parseYaml } from '../../scripts/core/yaml/document.ts';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Run `fn` `runs` times and return each duration in milliseconds. */
export async function timeRuns(runs: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    durations.push(performance.now() - start);
  }
  return durations;
}

export interface ProcessFigures {
  /** Medians over the runs: wall time and CPU time (user + system, every Node process of a run) in ms, peak RSS (largest process) in MiB. */
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

/**
 * Runs a whole command `runs` times after one warm-up run (file system cache, compile cache) and returns
 * its median figures. Every Node process of a run reports its CPU time and peak RSS at exit through
 * process-usage.ts, preloaded with NODE_OPTIONS. A run that exits with another code than `expectedExit` throws.
 */
export function measureProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; runs: number; env?: NodeJS.ProcessEnv; expectedExit?: number },
): ProcessFigures {
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-bench-usage-'));
  const hook = pathToFileURL(new URL('./process-usage.ts', import.meta.url).pathname).href;
  const wall: number[] = [];
  const cpu: number[] = [];
  const rss: number[] = [];
  try {
    for (let i = 0; i <= options.runs; i++) {
      const file = join(dir, `${i}.txt`);
      const env = {
        ...process.env,
        ...options.env,
        PROCESS_USAGE_FILE: file,
        NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import ${hook}`.trim(),
        NO_COLOR: '1',
      };
      const start = performance.now();
      const child = spawnSync(command, [...args], { cwd: options.cwd, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      const elapsed = performance.now() - start;
      if (child.status !== (options.expectedExit ?? 0))
        throw new Error(`${[command, ...args].join(' ')} exited ${child.status}:\n${child.stderr.slice(0, 2000)}`);
      if (i === 0) continue;
      const usage = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(' ').map(Number) as [number, number]);
      wall.push(elapsed);
      cpu.push(usage.reduce((sum, [micros]) => sum + micros / 1000, 0));
      rss.push(Math.max(...usage.map(([, kib]) => kib)) / 1024);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { wallMs: median(wall), cpuMs: median(cpu), rssMiB: median(rss) };
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

/** Where ../shared/reference is, when this checkout sits beside it; benchmarks say so when it is absent. */
export function referenceDir(): string | undefined {
  const candidates = [process.env.SHARED_REFERENCE, new URL('../../../shared/reference', import.meta.url).pathname];
  return candidates.find((c): c is string => typeof c === 'string' && existsSync(c));
}

// ---------- IPsum snapshots (../shared/reference/ipsum/pairs) ----------

export interface Snapshot {
  /** File name, e.g. ipsum.2020-04-05T2100Z.txt.gz. */
  name: string;
  at: Date;
  /** The feed as downloaded (gunzipped). */
  text: string;
  entries: Map<string, number>;
}

/** Every `*.txt.gz` snapshot in `dir`, sorted by name (= by time), read and parsed. */
export function snapshots(dir: string): Snapshot[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt.gz'))
    .sort()
    .map((name) => {
      const stamp = /(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})Z/.exec(name);
      if (!stamp) throw new Error(`${name}: no timestamp like 2020-04-05T2100Z in the file name`);
      const [, y, mo, d, h, mi] = stamp.map(Number) as number[];
      const text = gunzipSync(readFileSync(join(dir, name))).toString('utf8');
      return { name, at: new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!)), text, entries: parseIpsum(text).entries };
    });
}

/** Days from snapshot `a` to `b`. */
export function daysBetween(a: Snapshot, b: Snapshot): number {
  return (b.at.getTime() - a.at.getTime()) / 86_400_000;
}

/** Consecutive files at most 15 days apart form a pair (the files come in pairs). */
export function pairsOf(list: readonly Snapshot[]): [Snapshot, Snapshot][] {
  const pairs: [Snapshot, Snapshot][] = [];
  for (let i = 0; i + 1 < list.length; i++) {
    if (daysBetween(list[i]!, list[i + 1]!) <= 15) pairs.push([list[i]!, list[++i]!]);
  }
  return pairs;
}

// ---------- the repository's own policy ----------

export interface RepoPolicy {
  definition: WatchlistYaml;
  settings: FeedSettings;
  shape: ItemShape;
  /** The item changes a month the sync may spend: monthlyBudgetPercent of Sentinel's limit. */
  allowance: number;
}

/** watchlists/ipsum.yaml as the sync reads it, so that the figures follow the repository's settings. */
export function repoPolicy(): RepoPolicy {
  const file = 'watchlists/ipsum.yaml';
  const parsed = parseYaml(file, readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(`${file}: ${parsed.diagnostics.map((d) => d.message).join('; ')}`);
  const definition = parsed.document.value as WatchlistYaml;
  const settings = feedSettingsOf(definition, file);
  const allowance = Math.floor((MONTHLY_ITEM_CHANGE_LIMIT * settings.guards.monthlyBudgetPercent) / 100);
  return { definition, settings, shape: itemShapeOf(definition), allowance };
}

// ---------- output ----------

export function n(value: number): string {
  return value.toLocaleString('en-US');
}

/** Plain aligned columns: the first `textColumns` left-aligned, numbers right-aligned. */
export function printTable(header: string[], rows: string[][], textColumns = 3): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    `    ${cells.map((c, i) => (i < textColumns ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
