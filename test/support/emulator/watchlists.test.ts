import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './server.ts';
import { client, SUB, RG, WS } from './test-client.ts';

const DELAY = 30_000;
let clock = 0;
let emulator: Emulator;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  // The clock is injected: provisioning ends when the test says so, never by racing a timer.
  emulator = await startEmulator({ now: () => clock, provisioningDelayMs: DELAY });
  call = client(emulator);
});
beforeEach(() => {
  emulator.reset();
  clock = Date.parse('2026-03-01T00:00:00Z');
});
afterAll(() => emulator.close());

const csv = (rows: string[]) => ['# exported by a test', 'IP,Score,Note', ...rows].join('\r\n');
const watchlist = (rawContent?: string, extra: Record<string, unknown> = {}) => ({
  properties: {
    displayName: 'IPsum',
    provider: 'stamparm/ipsum',
    itemsSearchKey: 'IP',
    source: 'ipsum.csv',
    sourceType: 'Local',
    description: 'feed',
    ...(rawContent === undefined ? {} : { rawContent, contentType: 'text/csv', numberOfLinesToSkip: 1 }),
    ...extra,
  },
});
const items = () =>
  [...(emulator.state.workspace(SUB, RG, WS).watchlists.get('ipsum')?.items.values() ?? [])].map((i) => i.properties.itemsKeyValue);
const GUID = '7d3a1c1e-0b6f-4f7e-9a51-2f4b8c1d9e01';

async function createReady(rawContent?: string) {
  expect((await call('PUT', 'watchlists/ipsum', watchlist(rawContent))).status).toBe(201);
  clock += DELAY;
}

describe('watchlist create and delete are long-running operations', () => {
  it('answers 201 InProgress with Azure-AsyncOperation; items appear after provisioning', async () => {
    const created = await call('PUT', 'watchlists/ipsum', watchlist(csv(['1.2.3.4,5,"a, quoted note"', '5.6.7.8,4,plain'])));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'ipsum',
      type: 'Microsoft.SecurityInsights/Watchlists',
      properties: {
        provisioningState: 'InProgress',
        watchlistAlias: 'ipsum',
        itemsSearchKey: 'IP',
        tenantId: expect.any(String),
        watchlistId: expect.any(String),
        created: '2026-03-01T00:00:00.000Z',
      },
    });
    expect(created.body.properties.rawContent).toBeUndefined();
    const operation = created.headers.get('azure-asyncoperation') ?? '';
    expect(operation).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/asyncOperations\/[0-9a-f-]+\?api-version=2025-09-01$/);

    expect((await call('GET', operation)).body.status).toBe('InProgress');
    const early = await call('GET', 'watchlists/ipsum/watchlistItems');
    expect([early.status, early.body.error.code]).toEqual([409, 'Conflict']);
    expect(
      (await call('PUT', `watchlists/ipsum/watchlistItems/${GUID}`, { properties: { itemsKeyValue: { IP: '9.9.9.9' } } })).status,
    ).toBe(409);

    clock += DELAY;
    expect((await call('GET', operation)).body).toMatchObject({ status: 'Succeeded', endTime: expect.any(String) });
    expect((await call('GET', 'watchlists/ipsum')).body.properties.provisioningState).toBe('Succeeded');
    const listed = await call('GET', 'watchlists/ipsum/watchlistItems');
    expect(listed.body.value.map((i: { properties: { itemsKeyValue: object } }) => i.properties.itemsKeyValue)).toEqual(
      expect.arrayContaining([
        { IP: '1.2.3.4', Score: '5', Note: 'a, quoted note' },
        { IP: '5.6.7.8', Score: '4', Note: 'plain' },
      ]),
    );
    expect(listed.body.value).toHaveLength(2);
    expect(listed.body.value[0].properties).toMatchObject({
      watchlistItemId: listed.body.value[0].name,
      created: expect.any(String),
      isDeleted: false,
    });
  });

  it('answers DELETE with 202 + operation; the watchlist is Deleting, then gone', async () => {
    await createReady(csv(['1.2.3.4,5,x']));
    const deleted = await call('DELETE', 'watchlists/ipsum');
    expect(deleted.status).toBe(202);
    const operation = deleted.headers.get('azure-asyncoperation') ?? '';
    const location = deleted.headers.get('location') ?? '';
    expect(location).toContain('/operationResults/');
    expect((await call('GET', 'watchlists/ipsum')).body.properties.provisioningState).toBe('Deleting');
    const again = await call('PUT', 'watchlists/ipsum', watchlist());
    expect([again.status, again.body.error.message]).toEqual([409, expect.stringContaining('Delete is currently in progress')]);
    expect((await call('GET', 'watchlists/ipsum/watchlistItems')).status).toBe(409);
    expect((await call('GET', location)).status).toBe(202);

    clock += DELAY;
    expect((await call('GET', operation)).body.status).toBe('Succeeded');
    expect((await call('GET', location)).status).toBe(204);
    expect((await call('GET', 'watchlists/ipsum')).status).toBe(404);
    expect((await call('DELETE', 'watchlists/ipsum')).status).toBe(204);
  });

  it('completes at once with provisioningDelayMs 0 (still answered as an operation)', async () => {
    const quick = await startEmulator();
    try {
      const quickCall = client(quick);
      const created = await quickCall('PUT', 'watchlists/ipsum', watchlist(csv(['1.2.3.4,5,x'])));
      expect(created.body.properties.provisioningState).toBe('Succeeded');
      expect((await quickCall('GET', created.headers.get('azure-asyncoperation') ?? '')).body.status).toBe('Succeeded');
      expect((await quickCall('GET', 'watchlists/ipsum/watchlistItems')).body.value).toHaveLength(1);
    } finally {
      await quick.close();
    }
  });
});

describe('bulk update', () => {
  it('appends new rows, de-duplicates identical rows and never deletes (200 on update)', async () => {
    await createReady(csv(['1.2.3.4,5,x', '5.6.7.8,4,y']));
    const updated = await call('PUT', 'watchlists/ipsum', watchlist(csv(['5.6.7.8,4,y', '9.9.9.9,6,z', '9.9.9.9,6,z'])));
    expect(updated.status).toBe(200);
    expect(updated.headers.get('azure-asyncoperation')).toContain('/asyncOperations/');
    expect(items()).toHaveLength(3);
    expect(items()).toEqual(
      expect.arrayContaining([
        { IP: '1.2.3.4', Score: '5', Note: 'x' },
        { IP: '9.9.9.9', Score: '6', Note: 'z' },
      ]),
    );
    // a row that differs in one column is a different row: the service keeps both
    clock += DELAY;
    await call('PUT', 'watchlists/ipsum', watchlist(csv(['1.2.3.4,6,x'])));
    expect(items()).toHaveLength(4);
  });

  it('parses text/tsv uploads', async () => {
    const tsv = watchlist('IP\tScore\n1.2.3.4\t5\n', { contentType: 'text/tsv', numberOfLinesToSkip: 0 });
    expect((await call('PUT', 'watchlists/ipsum', tsv)).status).toBe(201);
    expect(items()).toEqual([{ IP: '1.2.3.4', Score: '5' }]);
  });

  it('updates metadata without touching items', async () => {
    await createReady(csv(['1.2.3.4,5,x']));
    const updated = await call('PUT', 'watchlists/ipsum', watchlist(undefined, { description: 'new text' }));
    expect([updated.status, updated.body.properties.description]).toEqual([200, 'new text']);
    expect(items()).toHaveLength(1);
  });

  it.each<[string, object, string]>([
    ['rawContent above 3.8 MB', watchlist(csv(['1.2.3.4,5,x']).padEnd(3_800_001, '\n')), 'at most 3.8 MB'],
    [
      'a search key that is not a column',
      watchlist(csv(['1.2.3.4,5,x']), { itemsSearchKey: 'Address' }),
      "itemsSearchKey 'Address' is not a column",
    ],
    ['a line above 10240 characters', watchlist(csv([`1.2.3.4,5,${'x'.repeat(10_300)}`])), 'at most 10240'],
    ['a row with too many fields', watchlist(csv(['1.2.3.4,5,x,extra'])), 'data row 1 has 4 fields'],
    [
      'rawContent without a content type',
      watchlist(csv(['1.2.3.4,5,x']), { contentType: undefined }),
      'contentType must be text/csv or text/tsv',
    ],
    ["sourceType 'Local file'", watchlist(undefined, { sourceType: 'Local file' }), 'properties.sourceType'],
    ['no provider', watchlist(undefined, { provider: undefined }), 'properties.provider is required'],
    ['an unknown property', watchlist(undefined, { itemsCount: 3 }), 'properties.itemsCount is not a property'],
  ])('rejects %s with 400 and stores nothing', async (_label, body, message) => {
    const answer = await call('PUT', 'watchlists/ipsum', body);
    expect([answer.status, answer.body.error.code]).toEqual([400, 'BadRequest']);
    expect(answer.body.error.message).toContain(message);
    expect((await call('GET', 'watchlists/ipsum')).status).toBe(404);
  });

  it('accepts an alias with spaces and rejects an invalid one', async () => {
    const spaced = await call('PUT', 'watchlists/High%20Value%20Assets', watchlist());
    expect([spaced.status, spaced.body.properties.watchlistAlias]).toEqual([201, 'High Value Assets']);
    expect((await call('PUT', 'watchlists/-x', watchlist())).status).toBe(400);
  });
});

describe('watchlist items', () => {
  it('PUT 201 then 200, GET, DELETE 200 then 204', async () => {
    await createReady();
    const path = `watchlists/ipsum/watchlistItems/${GUID}`;
    const created = await call('PUT', path, { properties: { itemsKeyValue: { IP: '1.2.3.4', Score: '5' } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: GUID,
      type: 'Microsoft.SecurityInsights/Watchlists/WatchlistItems',
      properties: { watchlistItemId: GUID, itemsKeyValue: { IP: '1.2.3.4', Score: '5' } },
    });
    const updated = await call('PUT', path, { properties: { itemsKeyValue: { IP: '1.2.3.4', Score: '6' } } });
    expect([updated.status, updated.body.properties.created]).toEqual([200, created.body.properties.created]);
    expect(updated.body.etag).not.toBe(created.body.etag);
    expect((await call('GET', path)).body.properties.itemsKeyValue).toEqual({ IP: '1.2.3.4', Score: '6' });
    expect((await call('DELETE', path)).status).toBe(200);
    expect((await call('GET', path)).status).toBe(404);
    expect((await call('DELETE', path)).status).toBe(204);
  });

  it.each<[string, string, object, number]>([
    ['an id that is not a GUID', 'watchlists/ipsum/watchlistItems/1.2.3.4', { properties: { itemsKeyValue: { IP: '1.2.3.4' } } }, 400],
    ['no itemsKeyValue', `watchlists/ipsum/watchlistItems/${GUID}`, { properties: {} }, 400],
    ['no search key column', `watchlists/ipsum/watchlistItems/${GUID}`, { properties: { itemsKeyValue: { Score: '5' } } }, 400],
    [
      'a watchlist that does not exist',
      `watchlists/other/watchlistItems/${GUID}`,
      { properties: { itemsKeyValue: { IP: '1.2.3.4' } } },
      404,
    ],
  ])('rejects %s', async (_label, path, body, status) => {
    await createReady();
    expect((await call('PUT', path, body)).status).toBe(status);
    expect(items()).toHaveLength(0);
  });

  it('lists 100 items per page with $skipToken in nextLink', async () => {
    await createReady(csv(Array.from({ length: 250 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256},4,n`)));
    const sizes: number[] = [];
    const seen = new Set<string>();
    let next: string | undefined = 'watchlists/ipsum/watchlistItems';
    while (next) {
      const answer = await call('GET', next);
      sizes.push(answer.body.value.length);
      for (const item of answer.body.value) seen.add(item.properties.itemsKeyValue.IP);
      next = answer.body.nextLink;
      if (next) expect(new URL(next).searchParams.get('$skipToken')).toBeTruthy();
    }
    expect(sizes).toEqual([100, 100, 50]);
    expect(seen.size).toBe(250);
  });
});
