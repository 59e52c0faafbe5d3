// sync-watchlist replayed on real IPsum data (../shared/reference/ipsum, read-only; skipped when
// absent), through the real commands and SDK pipeline against the emulator:
// - the first fill of the 2026-08-22 snapshot, after `deploy` created the watchlist empty, and by the
//   sync alone (which creates it): requests by kind and wall time;
// - for every pair of snapshots (pairs/), day 1 into an empty workspace, then day 2: adds, removes,
//   score updates, the requests of day 2 by kind and its wall time, with and without hysteresis. The
//   items after day 2 must be exactly the desired set computed independently from the live items.
// Parse + diff speed of the full feed is measured by feed.bench.ts.
// Node reads NODE_EXTRA_CA_CERTS at start only: the measured part runs in a child process started
// with it pointing at a freshly generated loopback CA.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dump } from 'js-yaml';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { deployCommand } from '../../scripts/commands/deploy.ts';
import { syncWatchlistCommand } from '../../scripts/commands/sync-watchlist.ts';
import { compileAllowList, desiredSet } from '../../scripts/core/feed/desired.ts';
import { parseIpsum } from '../../scripts/core/feed/ipsum.ts';
import { diffWatchlist, normalizeKey, planChanges } from '../../scripts/core/feed/diff.ts';
import { type FeedGuards, MONTHLY_ITEM_CHANGE_LIMIT } from '../../scripts/core/feed/settings.ts';
import { liveItemOf } from '../../scripts/core/sync/items.ts';
import { scorePolicyOf } from '../../scripts/core/sync/settings.ts';
import { type Emulator, type RecordedRequest, startEmulator } from '../support/emulator/server.ts';
import { createLoopbackCertificate } from '../support/tls.ts';
import { type Snapshot, daysBetween, ms, n, pairsOf, printTable, referenceDir, repoPolicy, snapshots } from './stats.ts';

const SUB = '00000000-0000-4000-8000-0000000000be';
const OPEN_GUARDS: FeedGuards = {
  minItems: 0,
  maxShrinkPercent: 100,
  maxRemovePercent: 100,
  maxChangePercent: 1_000_000,
  maxChangesPerRun: 1_000_000,
  monthlyBudgetPercent: 100,
};

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
      env: {
        ...process.env,
        SYNC_BENCH_REF: join(ref, 'ipsum'),
        NODE_EXTRA_CA_CERTS: tls.caFile,
        TEST_TLS_CERT: tls.cert,
        TEST_TLS_KEY: tls.key,
      },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    process.stdout.write(child.stdout);
    if (child.status !== 0) console.log(`child process failed (exit ${child.status})`);
  } finally {
    rmSync(dirname(tls.caFile), { recursive: true, force: true });
  }
}

async function child(ipsumDir: string): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'sync-bench-'));
  let clock = 0;
  const emulator = await startEmulator({ now: () => clock });
  try {
    await firstFill(join(ipsumDir, 'ipsum-2026-08-22.txt'), out, emulator, (at) => void (clock = at));
    await replay(pairsOf(snapshots(join(ipsumDir, 'pairs'))), out, emulator, (at) => void (clock = at));
  } finally {
    await emulator.close();
    rmSync(out, { recursive: true, force: true });
  }
}

/** Requests since the last clearRequests(), by kind: what a run costs against ARM's limits. */
function requestCounts(requests: readonly RecordedRequest[]) {
  const count = (f: (r: RecordedRequest) => boolean) => requests.filter(f).length;
  const writes = count((r) => r.method !== 'GET');
  return {
    writes,
    watchlistPuts: count((r) => r.type === 'watchlists' && r.method === 'PUT'),
    itemWrites: count((r) => r.type === 'watchlistItems' && r.method !== 'GET'),
    otherWrites: count((r) => r.method !== 'GET' && r.type !== 'watchlists' && r.type !== 'watchlistItems'),
    reads: count((r) => r.method === 'GET'),
  };
}

/** ARM throttles per subscription and principal at ~10 writes/s and ~25 reads/s sustained: what a run takes there at least. */
function atArm(c: { writes: number; reads: number }): string {
  return `${Math.max(c.writes / 10, c.reads / 25).toFixed(1)} s`;
}

const bench = (ws: string, armEndpoint: string) =>
  `repository: bench-org/sync\nenvironments:\n  bench:\n    - name: bench\n      subscriptionId: ${SUB}\n      resourceGroup: rg-bench\n      workspace: ${ws}\n      armEndpoint: ${armEndpoint}\n`;

/** The first fill of the 2026-08-22 snapshot: after deploy created the watchlist empty, and by the sync alone. */
async function firstFill(file: string, out: string, emulator: Emulator, setClock: (at: number) => void): Promise<void> {
  const repo = repoPolicy();
  const at = Date.parse('2026-08-22T02:00:00Z');
  setClock(at);
  mkdirSync(join(out, 'watchlists'), { recursive: true });
  mkdirSync(join(out, 'schemas', 'tables'), { recursive: true }); // deploy validates the (rule-less) repository
  writeFileSync(join(out, 'watchlists', 'ipsum.yaml'), readFileSync(new URL('../../watchlists/ipsum.yaml', import.meta.url), 'utf8'));
  const env = { SENTINEL_ACCESS_TOKEN: emulator.token, SENTINEL_RETRY_DELAY_MS: '10', SENTINEL_MAX_RETRY_DELAY_MS: '100' };
  const { credential } = emulator;
  const api = (w: Parameters<typeof createSentinelApi>[0]) =>
    createSentinelApi(w, { credential, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 100 }, poll: { intervalMs: 5 } });
  console.log(
    `first fill of ipsum-2026-08-22.txt (${n(parseIpsum(readFileSync(file, 'utf8')).entries.size)} addresses) with the policy of watchlists/ipsum.yaml, one workspace`,
  );
  const rows: string[][] = [];
  for (const path of ['after deploy', 'sync alone']) {
    const ws = `law-fill-${path === 'after deploy' ? 'deploy' : 'sync'}`;
    writeFileSync(join(out, 'workspaces.yaml'), bench(ws, emulator.url));
    if (path === 'after deploy') {
      const deployed = await deployCommand({ root: out, env: 'bench', processEnv: env });
      const status = deployed.workspaces[0]?.status;
      if (status !== 'ok') throw new Error(`deploy failed: ${JSON.stringify(deployed.workspaces[0] ?? deployed.diagnostics)}`);
    }
    emulator.clearRequests();
    const started = performance.now();
    const result = (await syncWatchlistCommand({ root: out, alias: 'ipsum', env: 'bench', feed: file }, { api, now: () => new Date(at) }))
      .workspaces[0]!;
    const took = performance.now() - started;
    const c = requestCounts(emulator.requests);
    rows.push([
      path,
      result.status,
      result.mode ?? '',
      n(result.items ?? 0),
      n(c.writes),
      n(c.watchlistPuts),
      n(c.itemWrites),
      n(c.otherWrites),
      n(c.reads),
      ms(took),
      atArm(c),
    ]);
  }
  printTable(
    [
      'path',
      'status',
      'mode',
      'items',
      'write requests',
      'watchlist PUT',
      'item PUT/DELETE',
      'other',
      'reads',
      'sync (emulator)',
      'at ARM limits',
    ],
    rows,
    3,
  );
  console.log(`    reference: the repo guards allow ${n(repo.settings.guards.maxChangesPerRun)} changes per run\n`);
}

async function replay(pairs: [Snapshot, Snapshot][], out: string, emulator: Emulator, setClock: (at: number) => void): Promise<void> {
  // The repository's policy (watchlists/ipsum.yaml), with its exitScore vs no hysteresis.
  const repo = repoPolicy();
  const { settings, shape } = repo;
  const variants = [
    { label: `exit ${settings.exitScore ?? settings.minScore}`, exitScore: settings.exitScore },
    { label: 'none', exitScore: undefined },
  ];
  const allowList = compileAllowList(settings.allowList);
  const { credential } = emulator;
  mkdirSync(join(out, 'watchlists'), { recursive: true });
  const files = new Map(
    pairs.flat().map((snapshot) => {
      const file = join(out, snapshot.name.replace(/\.gz$/, ''));
      writeFileSync(file, snapshot.text);
      return [snapshot, file] as const;
    }),
  );
  const rows: string[][] = [];
  const perDay = new Map<string, number[]>();
  let mismatches = 0;
  console.log(`replay of ${pairs.length} pairs from pairs/ through sync-watchlist → emulator (SDK pipeline, 4 item writes in flight)`);
  console.log(
    `    policy of watchlists/ipsum.yaml: minScore ${settings.minScore}, exitScore ${settings.exitScore ?? '(none)'}, scoreThresholds [${settings.scoreThresholds ?? []}]`,
  );
  console.log('    day 2 under the repo guards first (--dry-run), then applied with the guards open so that every pair is measured');
  for (const [a, b] of pairs) {
    for (const { label, exitScore } of variants) {
      const ws = `law-${a.name.slice(6, 16)}-${label.replace(/\W/g, '')}`;
      writeFileSync(join(out, 'workspaces.yaml'), bench(ws, emulator.url));
      const run = async (feed: Snapshot, guards: FeedGuards, dryRun = false) => {
        const feedBlock = { ...repo.definition.feed!, fetch: { ...settings.fetch, minIps: 100 }, guards };
        if (exitScore === undefined) delete feedBlock.exitScore;
        writeFileSync(join(out, 'watchlists', 'ipsum.yaml'), dump({ ...repo.definition, feed: feedBlock }, { noRefs: true }));
        setClock(feed.at.getTime());
        const api = (w: Parameters<typeof createSentinelApi>[0]) =>
          createSentinelApi(w, { credential, retry: { retryDelayInMs: 10, maxRetryDelayInMs: 100 }, poll: { intervalMs: 5 } });
        return (
          await syncWatchlistCommand(
            { root: out, alias: 'ipsum', env: 'bench', feed: files.get(feed)!, dryRun },
            { api, now: () => new Date(feed.at.getTime()) },
          )
        ).workspaces[0]!;
      };
      const first = await run(a, OPEN_GUARDS);
      // The diff computed independently from the live items, before day 2 is applied.
      const live = [...(emulator.state.workspace(SUB, 'rg-bench', ws).watchlists.get('ipsum')?.items.values() ?? [])].map((r) =>
        liveItemOf({ id: r.name, itemsKeyValue: r.properties.itemsKeyValue as Record<string, unknown> }, shape),
      );
      const desired = desiredSet({
        feed: b.entries,
        live: new Set(live.map((l) => normalizeKey(l.key))),
        minScore: settings.minScore,
        exitScore,
        allowList,
      });
      const diff = diffWatchlist({
        alias: 'ipsum',
        desired,
        live,
        scorePolicy: scorePolicyOf(settings, shape),
        scoreFloor: settings.minScore,
      });
      const verdict = await run(b, settings.guards, true);
      emulator.clearRequests();
      const started = performance.now();
      const second = await run(b, OPEN_GUARDS);
      const took = performance.now() - started;
      const c = requestCounts(emulator.requests);
      const changes = second.added + second.removed + second.updated + second.duplicatesRemoved;
      // The end state, independently: exactly the desired addresses, once each.
      const after = [...(emulator.state.workspace(SUB, 'rg-bench', ws).watchlists.get('ipsum')?.items.values() ?? [])].map((r) =>
        normalizeKey(liveItemOf({ id: r.name, itemsKeyValue: r.properties.itemsKeyValue as Record<string, unknown> }, shape).key),
      );
      const exact = after.length === desired.size && after.every((ip) => desired.has(ip));
      const gap = daysBetween(a, b);
      if (changes !== planChanges(diff) || !exact) mismatches++;
      perDay.set(label, [...(perDay.get(label) ?? []), changes / gap]);
      rows.push([
        `${a.name.slice(6, 16)}→${b.name.slice(6, 16)}`,
        gap.toFixed(1),
        label,
        n(first.items ?? 0),
        n(second.added),
        n(second.removed),
        n(second.updated),
        n(changes),
        n(planChanges(diff)),
        changes === planChanges(diff) && exact ? 'yes' : 'NO',
        (changes / gap).toFixed(0),
        n(second.items ?? 0),
        verdict.status === 'guard' ? (verdict.guard ?? []).map((g) => g.guard).join('+') : 'ok',
        n(c.writes),
        n(c.itemWrites),
        n(c.watchlistPuts),
        n(c.reads),
        ms(took),
        atArm(c),
      ]);
    }
  }
  printTable(
    [
      'pair',
      'days',
      'hysteresis',
      'day-1 items',
      'adds',
      'removes',
      'updates',
      'item changes',
      'diff',
      'exact',
      'changes/day',
      'day-2 items',
      'repo guards',
      'day-2 write requests',
      'item PUT/DELETE',
      'watchlist PUT',
      'reads',
      'day-2 sync',
      'at ARM limits',
    ],
    rows,
  );
  console.log(
    `\n    item changes and the items after day 2 ${mismatches === 0 ? 'equal the independently computed diff and desired set for every pair' : `DIFFER from the diff or the desired set for ${mismatches} runs`}`,
  );
  for (const [label, values] of perDay) {
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    console.log(
      `    ${label.padEnd(6)}: mean ${mean.toFixed(0)} item changes/day (max ${Math.max(...values).toFixed(0)}) → ${n(Math.round(mean * 30))} a 30-day month = ${(((mean * 30) / repo.allowance) * 100).toFixed(0)}% of the ${n(repo.allowance)} allowance (${settings.guards.monthlyBudgetPercent}% of ${n(MONTHLY_ITEM_CHANGE_LIMIT)})`,
    );
  }
  console.log('    "at ARM limits": the requests at ARM\'s ~10 writes/s and ~25 reads/s per subscription (the emulator is faster).');
}

if (process.env.SYNC_BENCH_REF) await child(process.env.SYNC_BENCH_REF);
