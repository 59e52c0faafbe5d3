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
    expect([ws.status, ws.mode, ws.added, ws.items, ws.changes, ws.itemWrites, ws.watchlistWrites, ws.writes]).toEqual([
      'synced',
      'upload',
      70,
      70,
      70,
      0,
      2,
      3,
    ]);
    expect(syncFailed(result)).toBe(false);
    const items = h.items();
    expect(items.size).toBe(70);
    expect([...items.values()].every((list) => list.length === 1)).toBe(true);
    expect(items.get('11.1.0.3')?.[0]?.score).toBe('4');
    expect(items.get('11.1.0.9')?.[0]?.score).toBe('10');
    expect(items.has('11.1.0.2')).toBe(false); // count 3, not listed before: not added
    // Counters: a create PUT with rawContent, a metadata PUT, a PUT completing the provenance line; no item writes.
    expect([h.writes('watchlists'), h.writes('metadata'), h.writes('watchlistItems')]).toEqual([2, 1, 0]);
    expect(h.emulator.requests.find((r) => r.method === 'PUT' && r.type === 'watchlists')?.body).toMatchObject({
      properties: { contentType: 'text/csv', sourceType: 'Local', numberOfLinesToSkip: 0 },
    });
    expect(h.state()).toEqual({
      feedUpdated: '2026-08-22T01:00:29Z',
      sha256: result.feed.sha256!.slice(0, 12),
      items: 70,
      month: '2026-08',
      changes: 70,
      syncedAt: '2026-08-22T02:00:00Z',
      etag: h.feed.etag,
      lastModified: h.feed.lastModified,
    });
    expect(h.description()).toMatch(
      /^Addresses on at least 4 blocklists \(e2e test\)\.\n\[sync v1 feed=2026-08-22T01:00:29Z sha256=[0-9a-f]{12} items=70 month=2026-08 changes=70 /,
    );
    const mark = h.emulator.state.workspace(SUB, RG, 'law-solo').metadata.get('watchlist-ipsum');
    expect(mark?.properties).toMatchObject({
      kind: 'Watchlist',
      contentId: 'ipsum',
      source: { kind: 'SourceRepository', name: 'test-org/sync-e2e' },
    });
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

  it('when the additions exceed one upload: created with the first part, the others as bulk updates; no item writes', async () => {
    h.feed.setBody(feedOf(day1));
    const result = await h.sync({}, { rawContentMaxBytes: 200 }); // ~13 rows of 15 bytes per upload
    const ws = result.workspaces[0]!;
    const parts = h.emulator.requests.filter(
      (r) =>
        r.method === 'PUT' &&
        r.type === 'watchlists' &&
        r.body &&
        typeof (r.body as { properties: { rawContent?: unknown } }).properties.rawContent === 'string',
    );
    expect(parts.length).toBeGreaterThan(4);
    for (const part of parts)
      expect(Buffer.byteLength((part.body as { properties: { rawContent: string } }).properties.rawContent)).toBeLessThanOrEqual(200);
    expect([ws.status, ws.mode, ws.added, ws.itemWrites, ws.uploads, ws.watchlistWrites, ws.changes]).toEqual([
      'synced',
      'upload',
      70,
      0,
      parts.length,
      parts.length + 1,
      70,
    ]);
    expect(h.writes('watchlistItems')).toBe(0);
    expect(scoresOf(h.items()).size).toBe(70);
    expect([...h.items().values()].every((list) => list.length === 1)).toBe(true);
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
    expect([result.feed.fetched, result.feed.conditional, result.workspaces[0]!.status, result.workspaces[0]!.writes]).toEqual([
      'body',
      false,
      'unchanged',
      0,
    ]);
    expect(h.writes()).toBe(0);
  });

  it('a changed feed: additions in one bulk upload carrying the reserved budget, updates and removals item by item, the result after', async () => {
    // By i mod 10: 2→4 and 3→7 added, 4→10 and 9→5 updated (cross 6), 5→3 kept (hysteresis), 8→2 removed.
    const day2 = addresses(100, (i) => ((i * 3) % 10) + 1);
    const { plan: expected, scores } = expectedAfter(h.items(), day2);
    h.feed.setBody(feedOf(day2, 'Sun, 23 Aug 2026 03:00:29 +0200'));
    h.clock.now += 86_400_000;

    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.added, ws.removed, ws.updated, ws.unchanged]).toEqual([
      expected.add.length,
      expected.remove.length,
      expected.update.length,
      expected.unchanged,
    ]);
    expect([expected.add.length, expected.remove.length, expected.update.length].every((n) => n > 0)).toBe(true);
    // Item requests: one PUT per score update, one DELETE per removal; the additions are rows of one upload.
    expect(h.emulator.count({ method: 'PUT', type: 'watchlistItems', status: '2xx' })).toBe(expected.update.length);
    expect(h.emulator.count({ method: 'DELETE', type: 'watchlistItems', status: '2xx' })).toBe(expected.remove.length);
    const puts = h.emulator.requests.filter((r) => r.method === 'PUT' && r.type === 'watchlists');
    expect(puts).toHaveLength(2);
    const upload = (puts[0]!.body as { properties: { rawContent: string; description: string } }).properties;
    expect(upload.rawContent).toBe(`IPAddress,Score\n${expected.add.map((a) => `${a.ip},${a.score}\n`).join('')}`);
    expect(upload.description).toMatch(/\[sync v1 feed=2026-08-23T01:00:29Z items=70 month=2026-08 changes=\d+ /); // the reserve: no hash yet
    expect([ws.writes, ws.itemWrites, ws.watchlistWrites, ws.uploads]).toEqual([
      2 + expected.update.length + expected.remove.length,
      expected.update.length + expected.remove.length,
      2,
      1,
    ]);
    // 70 items, one page: listed once to diff and once to see every addition arrived.
    expect(h.emulator.count({ method: 'GET', type: 'watchlistItems' })).toBe(2);
    expect(scoresOf(h.items())).toEqual(new Map([...scores].map(([ip, score]) => [ip, [score]])));
    expect(h.state()).toMatchObject({
      items: scores.size,
      month: '2026-08',
      changes: 70 + ws.changes,
      feedUpdated: '2026-08-23T01:00:29Z',
    });
  });

  it('the first fill after deploy created the watchlist empty: one bulk upload and one provenance PUT (issue 10.14)', async () => {
    // What deploy does on a new workspace: the watchlist with its column header only.
    h.emulator.reset();
    const wl = h.emulator.state.workspace(SUB, RG, 'law-solo');
    expect(wl.watchlists.size).toBe(0);
    const { createSentinelApi } = await import('../../scripts/azure/sentinel.ts');
    const api = createSentinelApi(
      {
        environment: 'one',
        name: 'solo',
        subscriptionId: SUB,
        resourceGroup: RG,
        workspace: 'law-solo',
        armEndpoint: h.emulator.url,
        apiVersion: '2025-09-01',
        rules: {},
        watchlists: {},
      },
      { credential: h.emulator.credential },
    );
    await api.putWatchlist('ipsum', {
      properties: {
        displayName: 'IPsum (e2e)',
        provider: 'stamparm/ipsum',
        source: 'ipsum.txt',
        itemsSearchKey: 'IPAddress',
        description: 'Addresses on at least 4 blocklists (e2e test).',
        sourceType: 'Local',
        contentType: 'text/csv',
        numberOfLinesToSkip: 0,
        rawContent: 'IPAddress,Score\n',
      },
    });
    h.emulator.clearRequests();
    h.feed.reset();
    h.feed.setBody(feedOf(addresses(3000, (i) => (i % 10) + 1)));
    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.status, ws.mode, ws.added, ws.items, ws.itemWrites, ws.uploads]).toEqual(['synced', 'update', 2100, 2100, 0, 1]);
    expect(h.writes()).toBe(2);
    expect(h.writes()).toBeLessThanOrEqual(5);
    expect(h.state()).toMatchObject({ items: 2100, changes: 2100 });
  });

  it('hysteresis: an IP whose count drops from 4 to 3 stays; at 2 it is removed', async () => {
    const ip = '11.1.0.3'; // count 4 on day 1
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
    h.feed.setBody(feedOf(new Map([...day1, ['11.1.0.3', 3]])));
    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.removed, h.items().has('11.1.0.3')]).toEqual([1, false]);
  });

  it('duplicate live items for one IP are deleted, keeping the one with the deterministic id', async () => {
    const api = h.emulator.state.workspace(SUB, RG, 'law-solo').watchlists.get('ipsum')!;
    const [ip, [original]] = [...h.items()][0]!;
    // Two copies of an existing IP (odd case and spacing) and one new IP written twice, once under our id.
    const copy = (id: string, key: string, score = '5') =>
      api.items.set(id, {
        ...structuredClone(api.items.get(original!.id.toLowerCase())!),
        name: id,
        properties: { itemsKeyValue: { IPAddress: key, Score: score } },
      });
    copy('00000000-0000-4000-8000-000000000d01', ` ${ip.toUpperCase()} `);
    copy('00000000-0000-4000-8000-000000000d02', ip);
    h.feed.setBody(feedOf(new Map([...day1, ['11.2.0.1', 5]])));
    copy(watchlistItemId('ipsum', '11.2.0.1'), '11.2.0.1');
    copy('00000000-0000-4000-8000-000000000d03', '11.2.0.1');
    const ws = (await h.sync()).workspaces[0]!;
    // The uploaded original has a server-chosen id: the lowest id survives, and its odd key is rewritten.
    expect([ws.duplicatesRemoved, ws.added, ws.removed, ws.updated]).toEqual([3, 0, 0, 1]);
    expect(h.items().get(ip)).toEqual([{ id: '00000000-0000-4000-8000-000000000d01', score: '5' }]);
    const kept = h.emulator.state.workspace(SUB, RG, 'law-solo').watchlists.get('ipsum')!.items.get('00000000-0000-4000-8000-000000000d01');
    expect(kept?.properties.itemsKeyValue).toEqual({ IPAddress: ip, Score: '5' });
    expect(original!.id > '00000000-0000-4000-8000-000000000d01').toBe(true);
    expect(
      h
        .items()
        .get('11.2.0.1')!
        .map((i) => i.id),
    ).toEqual([watchlistItemId('ipsum', '11.2.0.1')]);
  });

  it('a policy change with an unchanged feed waits for the next feed, unless --full diffs now', async () => {
    h.writeDefinition({ allowList: ['11.1.0.0/30'] }); // covers 11.1.0.3, listed at count 4
    expect((await h.sync()).workspaces[0]!.status).toBe('unchanged');
    expect(h.items().has('11.1.0.3')).toBe(true);
    h.feed.reset();
    const ws = (await h.sync({ full: true })).workspaces[0]!;
    expect([ws.status, ws.removed, ws.added, ws.updated, ws.itemWrites]).toEqual(['synced', 1, 0, 0, 1]);
    expect(h.items().has('11.1.0.3')).toBe(false);
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

describe('what the feed may put on the watchlist, and from where (issues 10.10, 10.12)', () => {
  /** One address in each reserved or private range, at counts that would list them. */
  const RESERVED = [
    '0.1.2.3',
    '10.0.0.1',
    '100.64.0.1',
    '127.0.0.1',
    '169.254.1.1',
    '172.16.0.1',
    '192.168.1.1',
    '224.0.0.1',
    '240.0.0.1',
    '255.255.255.255',
  ];
  const withReserved = new Map([...day1, ...RESERVED.map((ip, i) => [ip, 5 + (i % 5)] as const)]);

  it('reserved and private addresses are dropped by default, counted and reported', async () => {
    h.feed.setBody(feedOf(withReserved));
    const { code, stdout } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--format', 'json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.feed).toMatchObject({ ips: 100, reserved: { dropped: 10, examples: RESERVED.slice(0, 5) } });
    expect(report.workspaces[0]).toMatchObject({ status: 'synced', added: 70 });
    for (const ip of RESERVED) expect(h.items().has(ip), ip).toBe(false);
    h.emulator.reset();
    h.feed.reset();
    const text = (await h.cli(['sync-watchlist', 'ipsum', '--env', 'one'])).stdout;
    expect(text).toContain('100 IPs');
    expect(text).toContain('10 reserved/private addresses dropped (0.1.2.3, 10.0.0.1, 100.64.0.1, 127.0.0.1, 169.254.1.1, …)');
  });

  it('dropReserved: false keeps them (and says nothing)', async () => {
    h.writeDefinition({ dropReserved: false });
    h.feed.setBody(feedOf(withReserved));
    const result = await h.sync();
    expect([result.feed.ips, result.feed.reserved, result.workspaces[0]!.added]).toEqual([110, undefined, 80]);
    expect(h.items().has('192.168.1.1')).toBe(true);
  });

  it('a redirect to another host is followed and the final URL is in the report', async () => {
    h.feed.setBody(feedOf(day1));
    h.feed.use('redirect');
    const { code, stdout } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one']);
    expect(code).toBe(0);
    expect(stdout).toContain(`feed ${h.feed.url} (redirected to ${h.feed.url.replace('127.0.0.1', 'localhost')}):`);
  });

  it.each([
    ['/dev/zero', 'is a character device, not a file'],
    ['a folder', 'is a directory, not a file'],
  ])('--feed %s: exit 1 with a clear error, nothing written', async (what, message) => {
    const source = what === 'a folder' ? join(h.root, 'watchlists') : what;
    const started = Date.now();
    const { code, stdout, stderr } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one', '--feed', source]);
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain(`error: The feed ${source} ${message}`);
    expect(stderr).not.toContain('internal error');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(h.writes()).toBe(0);
  });
});

describe('environments with several workspaces', () => {
  it('syncs each workspace, skips sync: false, and prints the json contract', async () => {
    h.feed.setBody(feedOf(day1));
    const { code, stdout, stderr } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(
      json.workspaces.map((w: Record<string, unknown>) => [w.name, w.status, w.added, w.removed, w.updated, w.unchanged, w.writes]),
    ).toEqual([
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
    expect((await h.cli(['sync-watchlist', 'ipsum', '--env', 'multi', '--workspace', 'gamma'])).stderr).toContain(
      '--workspace gamma: no workspace of this environment matches',
    );
    const unknown = await h.cli(['sync-watchlist', 'nope', '--env', 'one']);
    expect([unknown.code, unknown.stderr.includes("No watchlist with alias 'nope'")]).toEqual([2, true]);
    expect(h.emulator.requests.length + h.feed.requests).toBe(0);
  });
});
