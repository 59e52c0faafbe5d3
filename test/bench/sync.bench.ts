// sync-watchlist replayed on real IPsum data (../shared/reference/ipsum/pairs, read-only; skipped when
// absent): for every pair of snapshots, sync day 1 into an empty emulator workspace (creation by
// upload), then day 2, through the real command and SDK pipeline. Prints adds, removes, score
// updates and the item writes the emulator counted (they must equal the diff computed independently
// from the live items), per pair and per day, with and without hysteresis.
// Parse + diff speed of the full feed is measured by feed.bench.ts.
// Node reads NODE_EXTRA_CA_CERTS at start only: the measured part runs in a child process started
// with it pointing at a freshly generated loopback CA.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { syncWatchlistCommand } from '../../scripts/commands/sync-watchlist.ts';
import { desiredSet } from '../../scripts/core/feed/desired.ts';
import { diffWatchlist, normalizeKey, planChanges } from '../../scripts/core/feed/diff.ts';
import { parseIpsum } from '../../scripts/core/feed/ipsum.ts';
import { liveItemOf } from '../../scripts/core/sync/items.ts';
import { startEmulator } from '../support/emulator/server.ts';
import { createLoopbackCertificate } from '../support/tls.ts';
import { definitionYaml } from '../e2e/sync-harness.ts';
import { ms, referenceDir } from './stats.ts';

const SUB = '00000000-0000-4000-8000-0000000000be';
const SHAPE = { searchKey: 'IPAddress', scoreColumn: 'Score', columns: ['IPAddress', 'Score'] };
/** The repo's policy (watchlists/ipsum.yaml): minScore 4, thresholds [6]; exit 3 vs none. */
const SETTINGS = [{ label: 'exit 3', exitScore: 3 }, { label: 'none', exitScore: null }] as const;
const REPO_GUARDS = { minItems: 500, maxShrinkPercent: 30, maxChangesPerRun: 10_000, monthlyBudgetPercent: 80 };
const OPEN_GUARDS = { minItems: 0, maxShrinkPercent: 100, maxChangesPerRun: 1_000_000, monthlyBudgetPercent: 100 };

export default async function (): Promise<void> {
  const ref = referenceDir();
  if (!ref) {
    console.log('../shared/reference is absent (set SHARED_REFERENCE to point at it): sync replay skipped.');
    return;
  }
  const tls = await createLoopbackCertificate();
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, SYNC_BENCH_PAIRS: join(ref, 'ipsum/pairs'), NODE_EXTRA_CA_CERTS: tls.caFile, TEST_TLS_CERT: tls.cert, TEST_TLS_KEY: tls.key },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.stdout.write(child.stdout);
  if (child.status !== 0) console.log(`child process failed (exit ${child.status})`);
}

interface Snapshot {
  name: string;
  at: Date;
  file: string;
  entries: Map<string, number>;
}

function snapshots(dir: string, out: string): Snapshot[] {
  return readdirSync(dir).filter((f) => f.endsWith('.txt.gz')).sort().map((name) => {
    const stamp = /(\d{4})-(\d{2})-(\d{2})T(\d{2})(\d{2})Z/.exec(name);
    if (!stamp) throw new Error(`${name}: no timestamp like 2020-04-05T2100Z in the file name`);
    const [, y, mo, d, h, mi] = stamp.map(Number) as number[];
    const text = gunzipSync(readFileSync(join(dir, name))).toString('utf8');
    const file = join(out, name.replace(/\.gz$/, ''));
    writeFileSync(file, text);
    return { name, at: new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!)), file, entries: parseIpsum(text).entries };
  });
}

/** Consecutive files at most 15 days apart form a pair (the files come in pairs). */
function pairsOf(list: Snapshot[]): [Snapshot, Snapshot][] {
  const pairs: [Snapshot, Snapshot][] = [];
  for (let i = 0; i + 1 < list.length; i++) {
    if (list[i + 1]!.at.getTime() - list[i]!.at.getTime() <= 15 * 86_400_000) pairs.push([list[i]!, list[++i]!]);
  }
  return pairs;
}

async function child(pairsDir: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sync-bench-'));
  const pairs = pairsOf(snapshots(pairsDir, out));
  let clock = 0;
  const emulator = await startEmulator({ now: () => clock });
  const credential = { getToken: async () => ({ token: emulator.token, expiresOnTimestamp: Date.now() + 3_600_000 }) };
  mkdirSync(join(out, 'watchlists'));
  mkdirSync(join(out, 'schemas', 'tables'), { recursive: true });
  const rows: string[][] = [];
  const perDay = new Map<string, number[]>();
  let mismatches = 0;
  console.log(`replay of ${pairs.length} pairs from pairs/ through sync-watchlist → emulator (SDK pipeline, 4 item writes in flight)`);
  console.log('    day 2 under the repo guards first (--dry-run), then applied with the guards open so that every pair is measured');
  for (const [a, b] of pairs) {
    for (const { label, exitScore } of SETTINGS) {
      const ws = `law-${a.name.slice(6, 16)}-${label.replace(/\W/g, '')}`;
      writeFileSync(join(out, 'workspaces.yaml'), `environments:\n  bench:\n    - name: bench\n      subscriptionId: ${SUB}\n      resourceGroup: rg-bench\n      workspace: ${ws}\n      armEndpoint: ${emulator.url}\n`);
      const run = async (feed: Snapshot, guards: typeof OPEN_GUARDS, dryRun = false) => {
        writeFileSync(join(out, 'watchlists', 'ipsum.yaml'), definitionYaml({ url: 'https://raw.githubusercontent.com/stamparm/ipsum/master/ipsum.txt', exitScore, minIps: 100, maxBytes: 20_000_000, guards }));
        clock = feed.at.getTime();
        const api = (w: Parameters<typeof createSentinelApi>[0]) => createSentinelApi(w, { credential, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 100 }, poll: { intervalMs: 5 } });
        return (await syncWatchlistCommand({ root: out, alias: 'ipsum', env: 'bench', feed: feed.file, dryRun }, { api, now: () => new Date(clock) })).workspaces[0]!;
      };
      const first = await run(a, OPEN_GUARDS);
      // The diff computed independently from the live items, before day 2 is applied.
      const live = [...(emulator.state.workspace(SUB, 'rg-bench', ws).watchlists.get('ipsum')?.items.values() ?? [])]
        .map((r) => liveItemOf({ id: r.name, itemsKeyValue: r.properties.itemsKeyValue as Record<string, unknown> }, SHAPE));
      const desired = desiredSet({ feed: b.entries, live: new Set(live.map((l) => normalizeKey(l.key))), minScore: 4, exitScore: exitScore ?? 4, allowList: [] });
      const diff = diffWatchlist({ alias: 'ipsum', desired, live, scorePolicy: { thresholds: [6] }, scoreFloor: 4 });
      const verdict = await run(b, REPO_GUARDS, true);
      emulator.clearRequests();
      const started = performance.now();
      const second = await run(b, OPEN_GUARDS);
      const took = performance.now() - started;
      const counted = emulator.count({ type: 'watchlistItems', method: 'PUT', status: '2xx' }) + emulator.count({ type: 'watchlistItems', method: 'DELETE', status: '2xx' });
      const gap = (b.at.getTime() - a.at.getTime()) / 86_400_000;
      if (counted !== planChanges(diff) || second.itemWrites !== counted) mismatches++;
      perDay.set(label, [...(perDay.get(label) ?? []), counted / gap]);
      rows.push([
        `${a.name.slice(6, 16)}→${b.name.slice(6, 16)}`, gap.toFixed(1), label, n(first.items ?? 0), n(second.added), n(second.removed), n(second.updated),
        n(counted), n(planChanges(diff)), counted === planChanges(diff) ? 'yes' : 'NO', (counted / gap).toFixed(0), n(second.items ?? 0),
        verdict.status === 'guard' ? (verdict.guard ?? []).map((g) => g.guard).join('+') : 'ok', ms(took), (counted / (took / 1000)).toFixed(0),
      ]);
    }
  }
  await emulator.close();
  table(['pair', 'days', 'hysteresis', 'day-1 items', 'adds', 'removes', 'updates', 'item writes (emulator)', 'diff', 'equal', 'writes/day', 'day-2 items', 'repo guards', 'day-2 sync', 'writes/s'], rows);
  console.log(`\n    item writes counted by the emulator ${mismatches === 0 ? 'equal the independently computed diff for every pair' : `DIFFER from the diff for ${mismatches} runs`}`);
  for (const [label, values] of perDay) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    console.log(`    ${label.padEnd(6)}: mean ${mean.toFixed(0)} item writes/day (max ${Math.max(...values).toFixed(0)}) → ${n(Math.round(mean * 30))} a 30-day month = ${((mean * 30) / 80_000 * 100).toFixed(0)}% of the 80,000 allowance (80% of 100,000)`);
  }
  console.log('    at ARM\'s ~10 writes/s per subscription a day of ~1,000 item writes takes ~2 minutes; the emulator is faster.');
}

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function table(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => `    ${cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

if (process.env.SYNC_BENCH_PAIRS) await child(process.env.SYNC_BENCH_PAIRS);
