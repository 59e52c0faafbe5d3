// sync-watchlist end to end: the command and the CLI against the emulator through the real SDK
// pipeline, with the feed served by the local HTTPS feed server. Write counts come from the
// emulator's own request record.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { watchlistItemId } from '../../scripts/core/feed/item-id.ts';
import { syncFailed } from '../../scripts/core/sync/result.ts';
import { addresses, expectedAfter, feedOf, type Harness, RG, scoresOf, startHarness, SUB } from './sync-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** 100 addresses, counts 1..10 cycling: 70 at ≥ 4. */
const day1 = addresses(100, (i) => (i % 10) + 1);

describe('first sync', () => {
  it('creates the watchlist with one upload, marks it owned, records the provenance, and verifies the items', async () => {
    h.feed.setBody(feedOf(day1));
    const result = await h.sync();
    const ws = result.workspaces[0]!;
    expect([ws.status, ws.mode, ws.added, ws.items, ws.changes, ws.itemWrites, ws.watchlistWrites, ws.writes]).toEqual(['synced', 'upload', 70, 70, 70, 0, 2, 3]);
    expect(syncFailed(result)).toBe(false);
    const items = h.items();
    expect(items.size).toBe(70);
    expect([...items.values()].every((list) => list.length === 1)).toBe(true);
    expect(items.get('10.1.0.3')?.[0]?.score).toBe('4');
    expect(items.get('10.1.0.9')?.[0]?.score).toBe('10');
    expect(items.has('10.1.0.2')).toBe(false); // count 3, not listed before: not added
    // Counters: a create PUT with rawContent, a metadata PUT, a PUT completing the provenance line; no item writes.
    expect([h.writes('watchlists'), h.writes('metadata'), h.writes('watchlistItems')]).toEqual([2, 1, 0]);
    expect(h.emulator.requests.find((r) => r.method === 'PUT' && r.type === 'watchlists')?.body).toMatchObject({ properties: { contentType: 'text/csv', sourceType: 'Local', numberOfLinesToSkip: 0 } });
    expect(h.state()).toEqual({
      feedUpdated: '2026-08-22T01:00:29Z', sha256: result.feed.sha256!.slice(0, 12), items: 70, month: '2026-08', changes: 70,
      syncedAt: '2026-08-22T02:00:00Z', etag: h.feed.etag, lastModified: h.feed.lastModified,
    });
    expect(h.description()).toMatch(/^Addresses on at least 4 blocklists \(e2e test\)\.\n\[sync v1 feed=2026-08-22T01:00:29Z sha256=[0-9a-f]{12} items=70 month=2026-08 changes=70 /);
    const mark = h.emulator.state.workspace(SUB, RG, 'law-solo').metadata.get('watchlist-ipsum');
    expect(mark?.properties).toMatchObject({ kind: 'Watchlist', contentId: 'ipsum', source: { kind: 'SourceRepository', name: 'test-org/sync-e2e' } });
  });

  it('reads only watchlists/ and the config: a broken table schema or rule elsewhere does not stop the sync', async () => {
    mkdirSync(join(h.root, 'rules'), { recursive: true });
    writeFileSync(join(h.root, 'schemas', 'tables', 'Broken.json'), '{ not json');
    writeFileSync(join(h.root, 'rules', 'broken.yaml'), 'id: [unclosed');
    try {
      h.feed.setBody(feedOf(day1));
      const { code, stdout } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--format', 'json']);
      expect([code, JSON.parse(stdout).workspaces[0].status]).toEqual([0, 'synced']);
    } finally {
      rmSync(join(h.root, 'schemas', 'tables', 'Broken.json'));
      rmSync(join(h.root, 'rules'), { recursive: true });
    }
  });

  it('when the CSV exceeds the upload limit: creates with the header only, then one PUT per item with deterministic ids', async () => {
    h.feed.setBody(feedOf(day1));
    const result = await h.sync({}, { rawContentMaxBytes: 200 });
    const ws = result.workspaces[0]!;
    expect([ws.status, ws.mode, ws.added, ws.itemWrites, ws.watchlistWrites, ws.changes]).toEqual(['synced', 'create-then-items', 70, 70, 2, 70]);
    expect(h.emulator.count({ method: 'PUT', type: 'watchlistItems', status: '2xx' })).toBe(70);
    for (const [ip, list] of h.items()) expect(list.map((i) => i.id)).toEqual([watchlistItemId('ipsum', ip)]);
    expect(h.state()).toMatchObject({ items: 70, changes: 70, sha256: result.feed.sha256!.slice(0, 12) });
  });

  it('waits for provisioning before verifying the items (the emulator answers 409 meanwhile)', async () => {
    const slow = await startHarness({ provisioningDelayMs: 2000 });
    try {
      slow.onRequest.add(() => void (slow.clock.now += 400)); // every request moves the shared clock on
      slow.feed.setBody(feedOf(day1));
      const ws = (await slow.sync()).workspaces[0]!;
      expect([ws.status, ws.items]).toEqual(['synced', 70]);
      expect(slow.emulator.count({ type: 'operations' })).toBeGreaterThan(1);
      expect(slow.emulator.count({ status: 409 })).toBe(0);
    } finally {
      await slow.close();
    }
  });
});

describe('later syncs', () => {
  beforeEach(async () => {
    h.feed.setBody(feedOf(day1));
    await h.sync();
    h.emulator.clearRequests();
    h.feed.reset();
  });

  it('an identical feed costs 0 writes: a conditional GET answered 304, and only the watchlist is read', async () => {
    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.status, ws.writes, ws.unchanged]).toEqual(['unchanged', 0, 70]);
    expect(h.writes()).toBe(0);
    expect(h.emulator.requests.map((r) => `${r.method} ${r.type}`)).toEqual(['GET watchlists']);
    expect(h.feed.log.map((r) => r.headers['if-none-match'])).toEqual([h.feed.etag]);
  });

  it('the same body from another source (a file, no validators) is recognised by its hash: 0 writes', async () => {
    const file = join(h.root, 'ipsum.txt');
    writeFileSync(file, feedOf(day1));
    const result = await h.sync({ feed: file });
    expect([result.feed.fetched, result.feed.conditional, result.workspaces[0]!.status, result.workspaces[0]!.writes]).toEqual(['body', false, 'unchanged', 0]);
    expect(h.writes()).toBe(0);
  });

  it('a changed feed: item writes equal the computed diff exactly, plus two provenance PUTs (budget reserved before, result after)', async () => {
    // By i mod 10: 2→4 and 3→7 added, 4→10 and 9→5 updated (cross 6), 5→3 kept (hysteresis), 8→2 removed.
    const day2 = addresses(100, (i) => ((i * 3) % 10) + 1);
    const { plan: expected, scores } = expectedAfter(h.items(), day2);
    h.feed.setBody(feedOf(day2, 'Sun, 23 Aug 2026 03:00:29 +0200'));
    h.clock.now += 86_400_000;

    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.added, ws.removed, ws.updated, ws.unchanged]).toEqual([expected.add.length, expected.remove.length, expected.update.length, expected.unchanged]);
    expect([expected.add.length, expected.remove.length, expected.update.length].every((n) => n > 0)).toBe(true);
    expect(h.emulator.count({ method: 'PUT', type: 'watchlistItems', status: '2xx' })).toBe(expected.add.length + expected.update.length);
    expect(h.emulator.count({ method: 'DELETE', type: 'watchlistItems', status: '2xx' })).toBe(expected.remove.length);
    expect([h.writes('watchlists'), h.writes('metadata'), ws.writes, ws.itemWrites]).toEqual([2, 0, ws.itemWrites + 2, expected.add.length + expected.update.length + expected.remove.length]);
    expect(h.emulator.count({ method: 'GET', type: 'watchlistItems' })).toBe(1); // 70 items: one page, listed once
    expect(scoresOf(h.items())).toEqual(new Map([...scores].map(([ip, score]) => [ip, [score]])));
    expect(h.state()).toMatchObject({ items: scores.size, month: '2026-08', changes: 70 + ws.itemWrites, feedUpdated: '2026-08-23T01:00:29Z' });
  });

  it('hysteresis: an IP whose count drops from 4 to 3 stays; at 2 it is removed', async () => {
    const ip = '10.1.0.3'; // count 4 on day 1
    expect(h.items().get(ip)?.[0]?.score).toBe('4');
    h.feed.setBody(feedOf(new Map([...day1, [ip, 3]])));
    const kept = (await h.sync()).workspaces[0]!;
    expect([kept.removed, kept.updated, h.items().get(ip)?.[0]?.score]).toEqual([0, 0, '4']); // floored at minScore: no write
    h.feed.setBody(feedOf(new Map([...day1, [ip, 2]])));
    const removed = (await h.sync()).workspaces[0]!;
    expect([removed.removed, removed.added, removed.updated]).toEqual([1, 0, 0]);
    expect(h.items().has(ip)).toBe(false);
    expect(h.emulator.count({ method: 'DELETE', type: 'watchlistItems' })).toBe(1);
  });

  it('without hysteresis (no exitScore) the same drop to 3 removes the IP', async () => {
    h.writeDefinition({ exitScore: null });
    h.feed.setBody(feedOf(new Map([...day1, ['10.1.0.3', 3]])));
    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.removed, h.items().has('10.1.0.3')]).toEqual([1, false]);
  });

  it('duplicate live items for one IP are deleted, keeping the one with the deterministic id', async () => {
    const api = h.emulator.state.workspace(SUB, RG, 'law-solo').watchlists.get('ipsum')!;
    const [ip, [original]] = [...h.items()][0]!;
    // Two copies of an existing IP (odd case and spacing) and one new IP written twice, once under our id.
    const copy = (id: string, key: string, score = '5') => api.items.set(id, { ...structuredClone(api.items.get(original!.id.toLowerCase())!), name: id, properties: { itemsKeyValue: { IPAddress: key, Score: score } } });
    copy('00000000-0000-4000-8000-000000000d01', ` ${ip.toUpperCase()} `);
    copy('00000000-0000-4000-8000-000000000d02', ip);
    h.feed.setBody(feedOf(new Map([...day1, ['10.2.0.1', 5]])));
    copy(watchlistItemId('ipsum', '10.2.0.1'), '10.2.0.1');
    copy('00000000-0000-4000-8000-000000000d03', '10.2.0.1');
    const ws = (await h.sync()).workspaces[0]!;
    // The uploaded original has a server-chosen id: the lowest id survives, and its odd key is rewritten.
    expect([ws.duplicatesRemoved, ws.added, ws.removed, ws.updated]).toEqual([3, 0, 0, 1]);
    expect(h.items().get(ip)).toEqual([{ id: '00000000-0000-4000-8000-000000000d01', score: '5' }]);
    const kept = h.emulator.state.workspace(SUB, RG, 'law-solo').watchlists.get('ipsum')!.items.get('00000000-0000-4000-8000-000000000d01');
    expect(kept?.properties.itemsKeyValue).toEqual({ IPAddress: ip, Score: '5' });
    expect(original!.id > '00000000-0000-4000-8000-000000000d01').toBe(true);
    expect(h.items().get('10.2.0.1')!.map((i) => i.id)).toEqual([watchlistItemId('ipsum', '10.2.0.1')]);
  });

  it('a policy change with an unchanged feed waits for the next feed, unless --full diffs now', async () => {
    h.writeDefinition({ allowList: ['10.1.0.0/30'] }); // covers 10.1.0.3, listed at count 4
    expect((await h.sync()).workspaces[0]!.status).toBe('unchanged');
    expect(h.items().has('10.1.0.3')).toBe(true);
    h.feed.reset();
    const ws = (await h.sync({ full: true })).workspaces[0]!;
    expect([ws.status, ws.removed, ws.added, ws.updated, ws.itemWrites]).toEqual(['synced', 1, 0, 0, 1]);
    expect(h.items().has('10.1.0.3')).toBe(false);
    expect(h.feed.log[0]?.headers['if-none-match']).toBeUndefined(); // unconditional download
  });

  it('--dry-run prints the plan, with the guards checked, and writes nothing', async () => {
    h.feed.setBody(feedOf(addresses(100, (i) => ((i + 9) % 10) + 1)));
    const { code, stdout } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--dry-run', '--format', 'json']);
    expect(code).toBe(0);
    const ws = JSON.parse(stdout).workspaces[0];
    expect(ws).toMatchObject({ name: 'solo', status: 'planned', writes: 0 });
    expect(ws.plan.add.length).toBe(ws.added);
    expect(ws.plan.remove.length).toBe(ws.removed);
    expect(ws.added + ws.removed + ws.updated).toBeGreaterThan(0);
    expect(h.writes()).toBe(0);
  });
});

describe('environments with several workspaces', () => {
  it('syncs each workspace, skips sync: false, and prints the json contract', async () => {
    h.feed.setBody(feedOf(day1));
    const { code, stdout, stderr } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.workspaces.map((w: Record<string, unknown>) => [w.name, w.status, w.added, w.removed, w.updated, w.unchanged, w.writes])).toEqual([
      ['alpha', 'synced', 70, 0, 0, 0, 3],
      ['beta', 'synced', 70, 0, 0, 0, 3],
      ['off', 'skipped', 0, 0, 0, 0, 0],
    ]);
    expect(json.feed).toMatchObject({ fetched: 'body', ips: 100, lastUpdate: '2026-08-22T01:00:29Z' });
    expect(h.emulator.state.workspace(SUB, RG, 'law-off').watchlists.size).toBe(0);
    expect(h.feed.requests).toBe(1); // one download for every workspace
    expect(stderr).toContain('sync: alpha done (3 writes)');

    const again = await h.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--workspace', 'beta']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/beta {2}unchanged/);
    expect(again.stdout).not.toContain('alpha');

    // --workspace takes the same globs as plan and deploy.
    const glob = await h.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--workspace', 'al*,of?', '--format', 'json']);
    expect(JSON.parse(glob.stdout).workspaces.map((w: { name: string }) => w.name)).toEqual(['alpha', 'off']);
  });

  it('refuses an unknown workspace or alias with a usage error (exit 2) before any request', async () => {
    expect((await h.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--workspace', 'gamma'])).stderr).toContain('--workspace gamma: no workspace of this environment matches');
    const unknown = await h.cli(['sync-watchlist', 'nope', '--env', 'one']);
    expect([unknown.code, unknown.stderr.includes("No watchlist with alias 'nope'")]).toEqual([2, true]);
    expect(h.emulator.requests.length + h.feed.requests).toBe(0);
  });
});
