// Watchlist item methods of SentinelApi against the emulator through the real SDK pipeline: every page
// listed, exact PUT bodies with client-chosen ids, idempotent deletes, failures as RemoteError.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { RemoteError } from '../../scripts/core/errors.ts';
import type { Workspace } from '../../scripts/core/model/workspaces.ts';
import { watchlistItemId } from '../../scripts/core/feed/item-id.ts';
import { startEmulator, type Emulator } from '../support/emulator/server.ts';

let emulator: Emulator;
const env = () => ({
  SENTINEL_ACCESS_TOKEN: emulator.token,
  SENTINEL_MAX_RETRIES: '3',
  SENTINEL_RETRY_DELAY_MS: '1',
  SENTINEL_MAX_RETRY_DELAY_MS: '5',
});
const workspace = (): Workspace => ({
  environment: 'test',
  name: 'ws-items',
  subscriptionId: '00000000-0000-4000-8000-0000000000b1',
  resourceGroup: 'rg-items',
  workspace: 'law-items',
  armEndpoint: emulator.url,
  apiVersion: '2025-09-01',
  rules: {},
  watchlists: {},
});
const watchlist = {
  properties: { displayName: 'IPsum', provider: 'p', itemsSearchKey: 'IPAddress', source: 'ipsum.txt', description: 'd' },
};

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('watchlist items', () => {
  it('PUTs items under the ids we choose and lists all of them across pages (100 per page)', async () => {
    const api = createSentinelApi(workspace(), { env: env() });
    await api.putWatchlist('ipsum', watchlist);
    const ips = Array.from({ length: 250 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    for (const ip of ips) await api.putWatchlistItem('ipsum', watchlistItemId('ipsum', ip), { IPAddress: ip, Score: '4' });
    emulator.clearRequests();
    const items = await api.listWatchlistItems('ipsum');
    expect(items).toHaveLength(250);
    expect(emulator.count({ method: 'GET', type: 'watchlistItems' })).toBe(3);
    const byId = new Map(items.map((item) => [item.id, item.itemsKeyValue]));
    for (const ip of ips) expect(byId.get(watchlistItemId('ipsum', ip))).toEqual({ IPAddress: ip, Score: '4' });
    expect(items[0]?.etag).toMatch(/^"/);
  });

  it('sends exactly {properties: {itemsKeyValue}} and an update overwrites in place', async () => {
    const api = createSentinelApi(workspace(), { env: env() });
    await api.putWatchlist('ipsum', watchlist);
    const id = watchlistItemId('ipsum', '192.0.2.1');
    await api.putWatchlistItem('ipsum', id, { IPAddress: '192.0.2.1', Score: '4' });
    await api.putWatchlistItem('ipsum', id, { IPAddress: '192.0.2.1', Score: '7' });
    const puts = emulator.requests.filter((r) => r.method === 'PUT' && r.type === 'watchlistItems');
    expect(puts.map((r) => [r.name, r.status, r.body])).toEqual([
      [id, 201, { properties: { itemsKeyValue: { IPAddress: '192.0.2.1', Score: '4' } } }],
      [id, 200, { properties: { itemsKeyValue: { IPAddress: '192.0.2.1', Score: '7' } } }],
    ]);
    expect(await api.listWatchlistItems('ipsum')).toMatchObject([{ id, itemsKeyValue: { Score: '7' } }]);
  });

  it('a delete of an item already gone succeeds (re-runs after a crash), and retries of 503 happen in the pipeline', async () => {
    const api = createSentinelApi(workspace(), { env: env() });
    await api.putWatchlist('ipsum', watchlist);
    const id = watchlistItemId('ipsum', '192.0.2.2');
    await api.putWatchlistItem('ipsum', id, { IPAddress: '192.0.2.2' });
    emulator.faults.next({ status: 503, retryAfterSeconds: 0 });
    await api.deleteWatchlistItem('ipsum', id);
    await api.deleteWatchlistItem('ipsum', id);
    expect(emulator.requests.filter((r) => r.method === 'DELETE').map((r) => r.status)).toEqual([503, 200, 204]);
    expect(await api.listWatchlistItems('ipsum')).toEqual([]);
  });

  it('failures are RemoteErrors naming the operation, workspace and item', async () => {
    const api = createSentinelApi(workspace(), { env: env() });
    const error = await api.putWatchlistItem('missing', watchlistItemId('missing', '192.0.2.3'), { IPAddress: '192.0.2.3' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).details).toMatchObject({
      operation: 'PUT watchlistItem',
      workspace: 'ws-items',
      status: 404,
      resource: `missing/${watchlistItemId('missing', '192.0.2.3')}`,
    });
    const list = await api.listWatchlistItems('missing').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((list as RemoteError).details).toMatchObject({ operation: 'LIST watchlistItems', status: 404, resource: 'missing' });
  });
});
