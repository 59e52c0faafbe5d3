// IPsum sync core on real data (../shared/reference/ipsum, read-only; skipped when absent):
// (a) parse + desired set + diff of the full feed against a 6k-item live set: medians and peak RSS,
//     measured in a child process so that the RSS figure is this work's alone;
// (b) churn on the close pairs of days in pairs/: item changes per day and per 30-day month for
//     each exit score and score policy, to choose the defaults.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileAllowList, desiredSet } from '../../scripts/core/feed/desired.ts';
import { type LiveItem, type ScorePolicy, diffWatchlist, normalizeKey } from '../../scripts/core/feed/diff.ts';
import { parseIpsum } from '../../scripts/core/feed/ipsum.ts';
import { watchlistItemId } from '../../scripts/core/feed/item-id.ts';
import { MONTHLY_ITEM_CHANGE_LIMIT } from '../../scripts/core/feed/settings.ts';
import { scorePolicyOf } from '../../scripts/core/sync/settings.ts';
import { daysBetween, median, ms, n, pairsOf, printTable, referenceDir, repoPolicy, snapshots, timeRuns } from './stats.ts';

const FEED = 'ipsum/ipsum-2026-08-22.txt';
const RUNS = 15;
const LIVE_ITEMS = 6000;
const ALIAS = 'ipsum';
/** The repository's policy (watchlists/ipsum.yaml). */
const REPO = repoPolicy();
const MIN_SCORE = REPO.settings.minScore;
const EXIT_SCORE = REPO.settings.exitScore ?? MIN_SCORE;
/** A synthetic allow-list, so that the desired set's screening is part of the measured work. */
const ALLOW_LIST = compileAllowList(['10.0.0.0/8']);

export default async function (): Promise<void> {
  const ref = referenceDir();
  if (!ref) {
    console.log('../shared/reference is absent (set SHARED_REFERENCE to point at it): feed benchmark skipped.');
    return;
  }
  runChild(join(ref, FEED));
  churn(join(ref, 'ipsum/pairs'));
}

// ---------- (a) speed and memory, in a child process ----------

function runChild(feedPath: string): void {
  // Two fresh processes: one sync pass (the real-world peak), then the timed repetitions.
  for (const mode of ['once', 'runs']) {
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, FEED_BENCH_CHILD: feedPath, FEED_BENCH_MODE: mode },
      encoding: 'utf8',
    });
    if (child.status !== 0) {
      console.log(`child process failed (exit ${child.status}): ${child.stderr}`);
      return;
    }
    process.stdout.write(child.stdout);
  }
}

/**
 * A live set of 6,000 items shaped like a real watchlist the day after: most current level-4 IPs
 * (every tenth missing, to be added), some now at 3 (kept by hysteresis), the rest gone from the
 * feed; day-old scores on every seventh item; a few keys with odd case and spaces. Built by a light
 * scan, so that the measured process holds no second parse of the feed.
 */
function liveSet(text: string): LiveItem[] {
  const current: [string, number][] = [];
  const fading: string[] = [];
  for (const line of text.split('\n')) {
    const [ip, count] = line.split('\t');
    const n = Number(count);
    if (!ip || line.startsWith('#')) continue;
    if (n >= MIN_SCORE) current.push([ip, n]);
    else if (n === MIN_SCORE - 1 && fading.length < 900) fading.push(ip);
  }
  const items: LiveItem[] = [];
  const push = (ip: string, score: number): void => {
    const i = items.length;
    const key = i % 50 === 0 ? ` ${ip.toUpperCase()} ` : ip;
    items.push({ id: watchlistItemId(ALIAS, ip), key, score: i % 7 === 0 ? Math.max(1, score - 2) : score });
  };
  current.forEach(([ip, n], i) => i % 10 !== 9 && items.length < LIVE_ITEMS && push(ip, n));
  for (const ip of fading) if (items.length < LIVE_ITEMS) push(ip, MIN_SCORE);
  for (let n = 0; items.length < LIVE_ITEMS; n++) push(`203.0.${(n >> 8) & 255}.${n & 255}`, 5);
  return items;
}

function pass(
  text: string,
  live: readonly LiveItem[],
  liveKeys: ReadonlySet<string>,
  phases?: Record<'parse' | 'desired' | 'diff', number[]>,
): string {
  let t = performance.now();
  const parsed = parseIpsum(text);
  phases?.parse.push(performance.now() - t);
  t = performance.now();
  const desired = desiredSet({ feed: parsed.entries, live: liveKeys, minScore: MIN_SCORE, exitScore: EXIT_SCORE, allowList: ALLOW_LIST });
  phases?.desired.push(performance.now() - t);
  t = performance.now();
  const plan = diffWatchlist({ alias: ALIAS, desired, live, scorePolicy: scorePolicyOf(REPO.settings, REPO.shape) });
  phases?.diff.push(performance.now() - t);
  return `${n(parsed.lines)} lines, ${n(parsed.entries.size)} IPs → desired ${n(desired.size)}; plan vs ${n(live.length)} live: +${plan.add.length} −${plan.remove.length} ~${plan.update.length} dup ${plan.duplicates.length}, unchanged ${n(plan.unchanged)}`;
}

async function child(feedPath: string, mode: string): Promise<void> {
  const text = readFileSync(feedPath, 'utf8');
  const live = liveSet(text);
  const liveKeys = new Set(live.map((item) => normalizeKey(item.key)));
  const rssBefore = process.memoryUsage().rss;
  if (mode === 'once') {
    const start = performance.now();
    const summary = pass(text, live, liveKeys);
    const took = performance.now() - start;
    const peak = process.resourceUsage().maxRSS * 1024;
    console.log(
      `(a) parse + desired set (exit ${EXIT_SCORE}) + diff (thresholds [${REPO.settings.scoreThresholds ?? []}], watchlists/ipsum.yaml) of ${FEED}`,
    );
    console.log(`    ${summary}`);
    console.log(
      `    one sync pass in a fresh process (cold JIT): ${ms(took)}; peak RSS ${mb(peak)} (goal ≤ 150 MB), of which node + file + live set before the pass: ${mb(rssBefore)}`,
    );
    return;
  }
  const phases = { parse: [] as number[], desired: [] as number[], diff: [] as number[] };
  const total = await timeRuns(RUNS, () => pass(text, live, liveKeys, phases));
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(
    `    ${RUNS} back-to-back passes: median ${ms(median(total))} (goal ≤ 150 ms) · min ${ms(Math.min(...total))} · max ${ms(Math.max(...total))}`,
  );
  console.log(
    `    phases (median): parse ${ms(median(phases.parse))} · desired ${ms(median(phases.desired))} · diff ${ms(median(phases.diff))}`,
  );
  console.log(`    peak RSS after ${RUNS} passes: ${mb(peak)} (garbage of earlier passes not yet collected)`);
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

// ---------- (b) churn on close pairs of days ----------

// The alternatives studied around the repository's minScore (watchlists/ipsum.yaml).
const EXIT_SCORES = [
  { label: `none (${MIN_SCORE})`, exit: MIN_SCORE },
  { label: String(MIN_SCORE - 1), exit: MIN_SCORE - 1 },
  { label: String(MIN_SCORE - 2), exit: MIN_SCORE - 2 },
];
const NO_ALLOW_LIST = compileAllowList([]);
const POLICIES: { label: string; policy: ScorePolicy; floor?: number }[] = [
  { label: 'none', policy: 'none' },
  { label: '[6]', policy: { thresholds: [6] } },
  { label: '[5,6,7,8]', policy: { thresholds: [5, 6, 7, 8] } },
  { label: 'all', policy: 'all' },
  { label: `all≥${MIN_SCORE}`, policy: 'all', floor: MIN_SCORE }, // scores floored at minScore (diff.ts scoreFloor)
];

function churn(dir: string): void {
  const pairs = pairsOf(snapshots(dir));
  console.log(`\n(b) churn over ${pairs.length} pairs in pairs/: minScore 4; the first day's watchlist = its level-4 set with its scores;`);
  console.log(
    `    changes between the two days divided by the day gap, ×30 for a month (budget: ${REPO.settings.guards.monthlyBudgetPercent}% of ${n(MONTHLY_ITEM_CHANGE_LIMIT)} = ${n(REPO.allowance)}).`,
  );
  const header = [
    'pair',
    'days',
    'exit',
    'items',
    'adds',
    'removes',
    ...POLICIES.map((p) => `upd ${p.label}`),
    ...POLICIES.map((p) => `/day ${p.label}`),
  ];
  const rows: string[][] = [];
  const perDay = new Map<string, number[]>(); // `${exit}|${policy}` → changes per day, per pair
  for (const [a, b] of pairs) {
    const gap = daysBetween(a, b);
    for (const { label, exit } of EXIT_SCORES) {
      const first = desiredSet({ feed: a.entries, live: new Set(), minScore: MIN_SCORE, exitScore: exit, allowList: NO_ALLOW_LIST });
      const live: LiveItem[] = [...first].map(([ip, score]) => ({ id: watchlistItemId(ALIAS, ip), key: ip, score }));
      const desired = desiredSet({
        feed: b.entries,
        live: new Set(first.keys()),
        minScore: MIN_SCORE,
        exitScore: exit,
        allowList: NO_ALLOW_LIST,
      });
      const plans = POLICIES.map(({ policy, floor }) =>
        diffWatchlist({ alias: ALIAS, desired, live, scorePolicy: policy, ...(floor === undefined ? {} : { scoreFloor: floor }) }),
      );
      const base = plans[0]!;
      const totals = plans.map((p) => p.add.length + p.remove.length + p.update.length + p.duplicates.length);
      POLICIES.forEach((p, i) => {
        const key = `${label}|${p.label}`;
        perDay.set(key, [...(perDay.get(key) ?? []), totals[i]! / gap]);
      });
      rows.push([
        `${a.name.slice(6, 16)}→${b.name.slice(6, 16)}`,
        gap.toFixed(1),
        label,
        String(desired.size),
        String(base.add.length),
        String(base.remove.length),
        ...plans.map((p) => String(p.update.length)),
        ...totals.map((t) => (t / gap).toFixed(0)),
      ]);
    }
  }
  printTable(header, rows);

  console.log(`\n    per 30-day month, mean over the pairs (worst pair) — share of the ${n(REPO.allowance)} allowance:`);
  const summary: string[][] = [];
  for (const { label } of EXIT_SCORES) {
    summary.push([
      label,
      ...POLICIES.map((p) => {
        const values = perDay.get(`${label}|${p.label}`) ?? [];
        const mean = (values.reduce((s, v) => s + v, 0) / Math.max(1, values.length)) * 30;
        const worst = Math.max(...values) * 30;
        return `${k(mean)} (${k(worst)}) ${((mean / REPO.allowance) * 100).toFixed(0)}%`;
      }),
    ]);
  }
  printTable(['exit', ...POLICIES.map((p) => `policy ${p.label}`)], summary, 1);
}

function k(n: number): string {
  return `${(n / 1000).toFixed(1)}k`;
}

if (process.env.FEED_BENCH_CHILD) await child(process.env.FEED_BENCH_CHILD, process.env.FEED_BENCH_MODE ?? 'runs');
