// sync-watchlist replayed on real IPsum data (../shared/reference/ipsum/pairs, read-only; skipped when
// absent): for every pair of snapshots, sync day 1 into an empty emulator workspace (creation by
// upload), then day 2, through the real command and SDK pipeline. Prints adds, removes, score
// updates and the item writes the emulator counted (they must equal the diff computed independently
// from the live items), per pair and per day, with and without hysteresis.
// Parse + diff speed of the full feed is measured by feed.bench.ts.
// Node reads NODE_EXTRA_CA_CERTS at start only: the measured part runs in a child process started
// with it pointing at a freshly generated loopback CA.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { syncWatchlistCommand } from '../../scripts/commands/sync-watchlist.ts';
import { compileAllowList, desiredSet } from '../../scripts/core/feed/desired.ts';
import { diffWatchlist, normalizeKey, planChanges } from '../../scripts/core/feed/diff.ts';
import { type FeedGuards, MONTHLY_ITEM_CHANGE_LIMIT } from '../../scripts/core/feed/settings.ts';
import { liveItemOf } from '../../scripts/core/sync/items.ts';
import { scorePolicyOf } from '../../scripts/core/sync/settings.ts';
import { type Emulator, startEmulator } from '../support/emulator/server.ts';
import { createLoopbackCertificate } from '../support/tls.ts';
import { type Snapshot, daysBetween, ms, n, pairsOf, printTable, referenceDir, repoPolicy, snapshots } from './stats.ts';

const SUB = '00000000-0000-4000-8000-0000000000be';
const OPEN_GUARDS: FeedGuards = { minItems: 0, maxShrinkPercent: 100, maxChangesPerRun: 1_000_000, monthlyBudgetPercent: 100 };

export default async function (): Promise<void> {
  const ref = referenceDir();
  if (!ref) {
    console.log('../shared/reference is absent (set SHARED_REFERENCE to point at it): sync replay skipped.');
    return;
  }
  const tls = await createLoopbackCertificate();
  try {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, SYNC_BENCH_PAIRS: join(ref, 'ipsum/pairs'), NODE_EXTRA_CA_CERTS: tls.caFile, TEST_TLS_CERT: tls.cert, TEST_TLS_KEY: tls.key },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(child.stdout);
    if (child.status !== 0) console.log(`child process failed (exit ${child.status})`);
  } finally {
    rmSync(dirname(tls.caFile), { recursive: true, force: true });
  }
}

async function child(pairsDir: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sync-bench-'));
  let clock = 0;
  const emulator = await startEmulator({ now: () => clock });
  try {
    await replay(pairsOf(snapshots(pairsDir)), out, emulator, (at) => void (clock = at));
  } finally {
    await emulator.close();
    rmSync(out, { recursive: true, force: true });
  }
}

async function replay(pairs: [Snapshot, Snapshot][], out: string, emulator: Emulator, setClock: (at: number) => void): Promise<void> {
  // The repository's policy (watchlists/ipsum.yaml), with its exitScore vs no hysteresis.
  const repo = repoPolicy();
  const { settings, shape } = repo;
  const variants = [{ label: `exit ${settings.exitScore ?? settings.minScore}`, exitScore: settings.exitScore }, { label: 'none', exitScore: undefined }];
  const allowList = compileAllowList(settings.allowList);
  const { credential } = emulator;
  mkdirSync(join(out, 'watchlists'));
  const files = new Map(pairs.flat().map((snapshot) => {
    const file = join(out, snapshot.name.replace(/\.gz$/, ''));
    writeFileSync(file, snapshot.text);
    return [snapshot, file] as const;
  }));
  const rows: string[][] = [];
  const perDay = new Map<string, number[]>();
  let mismatches = 0;
  console.log(`replay of ${pairs.length} pairs from pairs/ through sync-watchlist → emulator (SDK pipeline, 4 item writes in flight)`);
  console.log(`    policy of watchlists/ipsum.yaml: minScore ${settings.minScore}, exitScore ${settings.exitScore ?? '(none)'}, scoreThresholds [${settings.scoreThresholds ?? []}]`);
  console.log('    day 2 under the repo guards first (--dry-run), then applied with the guards open so that every pair is measured');
  for (const [a, b] of pairs) {
    for (const { label, exitScore } of variants) {
      const ws = `law-${a.name.slice(6, 16)}-${label.replace(/\W/g, '')}`;
      writeFileSync(join(out, 'workspaces.yaml'), `repository: bench-org/sync\nenvironments:\n  bench:\n    - name: bench\n      subscriptionId: ${SUB}\n      resourceGroup: rg-bench\n      workspace: ${ws}\n      armEndpoint: ${emulator.url}\n`);
      const run = async (feed: Snapshot, guards: FeedGuards, dryRun = false) => {
        const feedBlock = { ...repo.definition.feed!, fetch: { ...settings.fetch, minIps: 100 }, guards };
        if (exitScore === undefined) delete feedBlock.exitScore;
        writeFileSync(join(out, 'watchlists', 'ipsum.yaml'), dump({ ...repo.definition, feed: feedBlock }, { noRefs: true }));
        setClock(feed.at.getTime());
        const api = (w: Parameters<typeof createSentinelApi>[0]) => createSentinelApi(w, { credential, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 100 }, poll: { intervalMs: 5 } });
        return (await syncWatchlistCommand({ root: out, alias: 'ipsum', env: 'bench', feed: files.get(feed)!, dryRun }, { api, now: () => new Date(feed.at.getTime()) })).workspaces[0]!;
      };
      const first = await run(a, OPEN_GUARDS);
      // The diff computed independently from the live items, before day 2 is applied.
      const live = [...(emulator.state.workspace(SUB, 'rg-bench', ws).watchlists.get('ipsum')?.items.values() ?? [])]
        .map((r) => liveItemOf({ id: r.name, itemsKeyValue: r.properties.itemsKeyValue as Record<string, unknown> }, shape));
      const desired = desiredSet({ feed: b.entries, live: new Set(live.map((l) => normalizeKey(l.key))), minScore: settings.minScore, exitScore, allowList });
      const diff = diffWatchlist({ alias: 'ipsum', desired, live, scorePolicy: scorePolicyOf(settings, shape), scoreFloor: settings.minScore });
      const verdict = await run(b, settings.guards, true);
      emulator.clearRequests();
      const started = performance.now();
      const second = await run(b, OPEN_GUARDS);
      const took = performance.now() - started;
      const counted = emulator.count({ type: 'watchlistItems', method: 'PUT', status: '2xx' }) + emulator.count({ type: 'watchlistItems', method: 'DELETE', status: '2xx' });
      const gap = daysBetween(a, b);
      if (counted !== planChanges(diff) || second.itemWrites !== counted) mismatches++;
      perDay.set(label, [...(perDay.get(label) ?? []), counted / gap]);
      rows.push([
        `${a.name.slice(6, 16)}→${b.name.slice(6, 16)}`, gap.toFixed(1), label, n(first.items ?? 0), n(second.added), n(second.removed), n(second.updated),
        n(counted), n(planChanges(diff)), counted === planChanges(diff) ? 'yes' : 'NO', (counted / gap).toFixed(0), n(second.items ?? 0),
        verdict.status === 'guard' ? (verdict.guard ?? []).map((g) => g.guard).join('+') : 'ok', ms(took), (counted / (took / 1000)).toFixed(0),
      ]);
    }
  }
  printTable(['pair', 'days', 'hysteresis', 'day-1 items', 'adds', 'removes', 'updates', 'item writes (emulator)', 'diff', 'equal', 'writes/day', 'day-2 items', 'repo guards', 'day-2 sync', 'writes/s'], rows);
  console.log(`\n    item writes counted by the emulator ${mismatches === 0 ? 'equal the independently computed diff for every pair' : `DIFFER from the diff for ${mismatches} runs`}`);
  for (const [label, values] of perDay) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    console.log(`    ${label.padEnd(6)}: mean ${mean.toFixed(0)} item writes/day (max ${Math.max(...values).toFixed(0)}) → ${n(Math.round(mean * 30))} a 30-day month = ${((mean * 30) / repo.allowance * 100).toFixed(0)}% of the ${n(repo.allowance)} allowance (${settings.guards.monthlyBudgetPercent}% of ${n(MONTHLY_ITEM_CHANGE_LIMIT)})`);
  }
  console.log('    at ARM\'s ~10 writes/s per subscription a day of ~1,000 item writes takes ~2 minutes; the emulator is faster.');
}

if (process.env.SYNC_BENCH_PAIRS) await child(process.env.SYNC_BENCH_PAIRS);
