// Faults: a process killed between item writes, connections dropped from the Nth write onward, a
// 429 storm with Retry-After, injected 5xx — each followed by convergence with no duplicates and no
// lost items; and every bad feed refused with zero writes and exit 1.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FeedScenario } from '../support/feed-server.ts';
import type { RecordedRequest } from '../support/emulator/server.ts';
import { addresses, expectedAfter, feedOf, type Harness, scoresOf, startHarness } from './sync-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const isItemWrite = (r: RecordedRequest) => r.type === 'watchlistItems' && r.method !== 'GET';
const itemWritesOk = (harness: Harness) =>
  harness.emulator.requests.filter((r) => isItemWrite(r) && r.status >= 200 && r.status < 300).length;
/** 1,000 addresses: 700 listed on day 1; day 2 reshuffles the counts (adds, removes, score updates). */
const day1 = addresses(1000, (i) => (i % 10) + 1);
const day2 = addresses(1000, (i) => ((i * 7 + Math.floor(i / 10)) % 10) + 1);

async function seedDay1(harness: Harness): Promise<ReturnType<typeof expectedAfter>> {
  harness.reset();
  harness.writeDefinition({ guards: { maxShrinkPercent: 60 } });
  harness.feed.setBody(feedOf(day1));
  expect((await harness.sync()).workspaces[0]!.status).toBe('synced');
  const expected = expectedAfter(harness.items(), day2);
  expect(expected.changes).toBeGreaterThan(300);
  harness.feed.setBody(feedOf(day2, 'Sun, 23 Aug 2026 03:00:29 +0200'));
  harness.emulator.clearRequests();
  return expected;
}

/** The end state every fault must converge to: exactly the expected items, once each. */
function expectConverged(harness: Harness, expected: ReturnType<typeof expectedAfter>): void {
  expect(scoresOf(harness.items())).toEqual(new Map([...expected.scores].map(([ip, score]) => [ip, [score]])));
}

/** Item requests the plan costs: additions are rows of a bulk upload, the rest one request each. */
const itemRequests = (expected: ReturnType<typeof expectedAfter>): number => expected.changes - expected.plan.add.length;

describe('crash and re-run', () => {
  it('a process killed between item writes: the re-run writes only what is left, with no duplicates and nothing lost', async () => {
    const expected = await seedDay1(h);
    const perItem = itemRequests(expected);
    const killAt = Math.floor(perItem / 3);
    expect(killAt).toBeGreaterThan(50);
    const before = h.state();
    const child = spawn(
      process.execPath,
      [fileURLToPath(new URL('./sync-child.ts', import.meta.url)), 'sync-watchlist', 'ipsum', '--env', 'one'],
      {
        env: {
          ...process.env,
          SYNC_ROOT: h.root,
          SYNC_NOW: String(h.clock.now),
          SENTINEL_ACCESS_TOKEN: h.emulator.token,
          SENTINEL_RETRY_DELAY_MS: '1',
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let seen = 0;
    h.onRequest.add((r) => {
      if (isItemWrite(r) && ++seen === killAt) child.kill('SIGKILL');
    });
    expect(await exited).toBe('SIGKILL');
    await sleep(200); // let requests already on the wire land
    const firstRun = itemWritesOk(h);
    expect(firstRun, stderr).toBeGreaterThanOrEqual(killAt);
    expect(firstRun).toBeLessThan(perItem);
    // The budget was reserved before the first item write: the line already counts every planned
    // change, and it is marked incomplete (no hash) so the re-run diffs instead of skipping the feed.
    const reserved = h.state();
    expect(reserved).toMatchObject({ month: before?.month, changes: (before?.changes ?? 0) + expected.changes });
    expect(reserved?.sha256).toBeUndefined();

    h.onRequest.clear();
    const rerun = (await h.sync()).workspaces[0]!;
    expect([rerun.status, rerun.failed]).toEqual(['synced', 0]);
    // The additions were uploaded before the first item write: the re-run finds them and adds nothing.
    expect([rerun.added, rerun.uploads]).toEqual([0, 0]);
    expect(firstRun + rerun.itemWrites).toBe(perItem); // no write repeated, none skipped
    expect(itemWritesOk(h)).toBe(perItem);
    expectConverged(h, expected);
    // Conservative: the tally holds the killed run's whole reservation plus the re-run's writes.
    expect(h.state()?.changes).toBe((before?.changes ?? 0) + expected.changes + rerun.itemWrites);
    h.emulator.clearRequests();
    expect((await h.sync()).workspaces[0]!.status).toBe('unchanged');
    expect(h.writes()).toBe(0);
  });

  it('a concurrent writer changed the watchlist mid-run: the result PUT is refused (etag), the run fails visibly, the next run converges', async () => {
    const expected = await seedDay1(h);
    let bumped = false;
    h.onRequest.add((r) => {
      if (bumped || !isItemWrite(r)) return;
      bumped = true; // what a deploy updating the description in between would do to the etag
      for (const ws of h.emulator.state.find('law-solo')) {
        const entry = ws.watchlists.get('ipsum');
        if (entry) entry.resource.etag = 'W/"written-by-someone-else"';
      }
    });
    const ws = (await h.sync()).workspaces[0]!;
    h.onRequest.clear();
    expect(bumped).toBe(true);
    expect(ws.status).toBe('failed');
    expect(ws.message).toMatch(/PUT watchlist .*ipsum.*HTTP (409|412)/);
    expect(h.state()?.sha256).toBeUndefined(); // the reservation stays: incomplete, budget counted
    const rerun = (await h.sync()).workspaces[0]!;
    expect([rerun.status, rerun.itemWrites, rerun.watchlistWrites]).toEqual(['synced', 0, 1]);
    expectConverged(h, expected);
  });

  it('connections dropped from the Nth item write onward: failures recorded, the run stops early, the next run converges', async () => {
    const expected = await seedDay1(h);
    let n = 0;
    h.emulator.faults.when((r) => isItemWrite(r) && ++n > 50, { drop: true }, Number.POSITIVE_INFINITY);
    const failing = await h.sync({}, { maxConsecutiveFailures: 10 }, { maxRetries: 2 });
    const ws = failing.workspaces[0]!;
    expect(ws.status).toBe('failed');
    expect(ws.failed).toBeGreaterThanOrEqual(10);
    expect(ws.message).toContain('Stopped after 10 consecutive failed item writes');
    expect(ws.failures[0]?.message).toMatch(/watchlistItem/);
    expect(ws.itemWrites).toBeLessThan(itemRequests(expected)); // stopped: the rest not even attempted
    // The provenance line records the tally (the uploaded additions and the attempted item writes) but
    // no hash: the next run cannot skip the feed.
    const state = h.state()!;
    expect([state.sha256, state.etag, state.changes]).toEqual([undefined, undefined, 700 + expected.plan.add.length + ws.itemWrites]);

    h.emulator.faults.clear();
    h.emulator.clearRequests();
    h.feed.reset();
    const rerun = (await h.sync()).workspaces[0]!;
    expect([rerun.status, rerun.failed]).toEqual(['synced', 0]);
    expect(h.feed.log[0]?.headers['if-none-match']).toBeUndefined(); // unconditional: the last run was incomplete
    expect(50 + rerun.itemWrites).toBe(itemRequests(expected));
    expectConverged(h, expected);
    expect(h.state()?.sha256).toMatch(/^[0-9a-f]{12}$/);
  });
});

describe('bulk additions', () => {
  it('an upload the service keeps failing: nothing else is written, the run fails naming it, the next run converges', async () => {
    const expected = await seedDay1(h);
    const isUpload = (r: RecordedRequest) =>
      r.method === 'PUT' &&
      r.type === 'watchlists' &&
      typeof (r.body as { properties?: { rawContent?: unknown } })?.properties?.rawContent === 'string';
    h.emulator.faults.when(isUpload, { status: 500 }, Number.POSITIVE_INFINITY);
    const ws = (await h.sync({}, {}, { maxRetries: 2 })).workspaces[0]!;
    expect(ws.status).toBe('failed');
    expect(ws.message).toMatch(/PUT watchlist on workspace solo resource ipsum failed: HTTP 500/);
    expect([h.writes('watchlistItems'), h.emulator.count({ method: 'PUT', type: 'watchlists', status: '2xx' })]).toEqual([0, 0]);
    h.emulator.faults.clear();
    const rerun = (await h.sync()).workspaces[0]!;
    expect([rerun.status, rerun.added, rerun.uploads]).toEqual(['synced', expected.plan.add.length, 1]);
    expectConverged(h, expected);
  });

  it('an upload retried after a dropped connection adds each row once (the service de-duplicates identical rows)', async () => {
    const expected = await seedDay1(h);
    const isUpload = (r: RecordedRequest) =>
      r.method === 'PUT' &&
      r.type === 'watchlists' &&
      typeof (r.body as { properties?: { rawContent?: unknown } })?.properties?.rawContent === 'string';
    h.emulator.faults.when(isUpload, { drop: true }, 1);
    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.status, ws.failed, ws.added]).toEqual(['synced', 0, expected.plan.add.length]);
    expectConverged(h, expected);
  });
});

describe('throttling and server errors', () => {
  it('a 429 storm (token buckets, Retry-After on every 429) converges through the SDK pipeline', async () => {
    const storm = await startHarness({
      rateLimit: { writesPerSecond: 5, writeBurst: 5, readsPerSecond: 1000, readBurst: 1000, retryAfterSeconds: 0 },
    });
    try {
      const expected = await seedDay1(storm);
      storm.onRequest.add(() => void (storm.clock.now += 100)); // half a write token per request
      const ws = (await storm.sync({}, {}, { maxRetries: 40 })).workspaces[0]!;
      expect([ws.status, ws.failed]).toEqual(['synced', 0]);
      expect(storm.emulator.count({ status: 429 })).toBeGreaterThan(itemRequests(expected) / 4);
      expect(itemWritesOk(storm)).toBe(itemRequests(expected));
      expectConverged(storm, expected);
    } finally {
      await storm.close();
    }
  });

  it('transient 500/503 on every third item (twice each) and a dropped LIST converge in one run', async () => {
    const expected = await seedDay1(h);
    // Attempt number of each request per item, counted once per request (both rules ask).
    const attempts = new Map<string, number>();
    const order = new Map<string, number>();
    let last: RecordedRequest | undefined;
    let attempt = 0;
    const attemptOf = (r: RecordedRequest): number => {
      if (r !== last) {
        last = r;
        if (!order.has(r.name!)) order.set(r.name!, order.size);
        attempt = (attempts.get(r.name!) ?? 0) + 1;
        attempts.set(r.name!, attempt);
      }
      return attempt;
    };
    const faulty = (r: RecordedRequest, n: number) => isItemWrite(r) && attemptOf(r) === n && order.get(r.name!)! % 3 === 0;
    h.emulator.faults.when((r) => faulty(r, 1), { status: 500 }, Number.POSITIVE_INFINITY);
    h.emulator.faults.when((r) => faulty(r, 2), { status: 503, retryAfterSeconds: 0 }, Number.POSITIVE_INFINITY);
    h.emulator.faults.when((r) => r.type === 'watchlistItems' && r.method === 'GET', { drop: true }, 1);
    const ws = (await h.sync()).workspaces[0]!;
    const perItem = itemRequests(expected);
    expect([ws.status, ws.failed, ws.itemWrites]).toEqual(['synced', 0, perItem]);
    expect(h.emulator.count({ status: 500 })).toBe(Math.ceil(perItem / 3));
    expect(h.emulator.count({ status: 503 })).toBe(Math.ceil(perItem / 3));
    expect(h.emulator.requests.filter((r) => r.fault === 'drop')).toHaveLength(1);
    expect(itemWritesOk(h)).toBe(perItem);
    expectConverged(h, expected);
  });
});

describe('feed faults: refused with zero writes and exit 1', () => {
  beforeEach(async () => {
    h.reset();
    h.feed.setBody(feedOf(addresses(100, (i) => (i % 10) + 1)));
    await h.sync();
    h.feed.setBody(feedOf(addresses(100, (i) => ((i + 9) % 10) + 1))); // a change the sync would write
    h.emulator.clearRequests();
  });

  it.each<[FeedScenario, string]>([
    ['html-200', '[feed.html]'],
    ['empty', '[feed.empty]'],
    ['truncated', '[feed.truncated]'],
    ['404', 'HTTP 404'],
    ['500', 'failed 2 times; last: HTTP 500'],
    ['stall', 'no data for 1000 ms'],
    ['reset', 'failed 2 times'],
    ['oversized', 'is too large'],
  ])('%s', async (scenario, message) => {
    h.feed.use(scenario);
    const { code, stdout, stderr } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one']);
    expect(code).toBe(1);
    expect(stderr).toContain(message);
    expect(stdout).toBe('');
    expect(h.writes()).toBe(0);
  });

  it.each([
    ['too few IPs', feedOf(addresses(5, () => 5)), '[feed.too-few]'],
    ['no header', '10.1.0.1\t5\n', '[feed.header]'],
    ['an unreadable date', feedOf(addresses(20, () => 5)).replace(/# Last update: .*/, '# Last update: yesterday'), '[feed.header]'],
    ['mostly malformed lines', `${feedOf(addresses(20, () => 5))}${'bad line\n'.repeat(11)}`, '[feed.malformed]'],
  ])('%s', async (_label, body, code) => {
    h.feed.setBody(body);
    const result = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one']);
    expect([result.code, result.stderr.includes(code)]).toEqual([1, true]);
    expect(h.writes()).toBe(0);
  });

  it.each<[FeedScenario, number]>([
    ['garbage', 5],
    ['crlf', 0],
  ])('%s: accepted, malformed lines reported with their line numbers', async (scenario, problems) => {
    h.feed.use(scenario);
    const { code, stdout } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.feed.problems).toHaveLength(problems);
    if (problems) expect(json.feed.problems[0]).toMatch(/^line 8: IPv6 address/);
    expect(json.workspaces[0].status).toBe('synced');
    expect(h.writes('watchlistItems')).toBeGreaterThan(0);
  });
});
