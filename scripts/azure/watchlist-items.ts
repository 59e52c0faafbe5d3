// Watchlist items over the transport (exact bodies through the SDK client's pipeline, which retries
// 429 with Retry-After, 408, 5xx and dropped connections; nothing here retries by hand).
//   LIST   watchlists/<alias>/watchlistItems         every page, nextLink followed (100 per page);
//                                                    the first page only for one item (schema pull)
//   PUT    watchlists/<alias>/watchlistItems/<id>    {properties: {itemsKeyValue}}; the id is ours
//   DELETE watchlists/<alias>/watchlistItems/<id>    404 = already gone: a re-run after a crash
//                                                    deletes what may have been deleted already
import type { LiveWatchlistItem, SentinelApi } from './api.ts';
import { asRecord } from '../core/guards.ts';
import { segment, type Transport } from './transport.ts';

export type WatchlistItemMethods = Pick<
  SentinelApi,
  'listWatchlistItems' | 'firstWatchlistItem' | 'putWatchlistItem' | 'deleteWatchlistItem'
>;

interface ItemResource {
  name?: unknown;
  etag?: unknown;
  properties?: { watchlistItemId?: unknown; itemsKeyValue?: unknown };
}

function asItem(resource: ItemResource): LiveWatchlistItem {
  const properties = resource.properties ?? {};
  const id =
    typeof properties.watchlistItemId === 'string' && properties.watchlistItemId !== ''
      ? properties.watchlistItemId
      : String(resource.name ?? '');
  const values = properties.itemsKeyValue;
  const item: LiveWatchlistItem = {
    id,
    itemsKeyValue: asRecord(values) ?? {},
  };
  if (typeof resource.etag === 'string') item.etag = resource.etag;
  return item;
}

export function watchlistItemMethods(transport: Transport): WatchlistItemMethods {
  const itemsPath = (alias: string): string => `watchlists/${segment(alias)}/watchlistItems`;
  return {
    async listWatchlistItems(alias) {
      const resources = await transport.listAll<ItemResource>(itemsPath(alias), { operation: 'LIST watchlistItems', resource: alias });
      return resources.map(asItem);
    },
    async firstWatchlistItem(alias) {
      const { body } = await transport.request('GET', itemsPath(alias), { operation: 'LIST watchlistItems', resource: alias });
      const first = (body as { value?: unknown } | undefined)?.value;
      return Array.isArray(first) && first.length > 0 ? asItem(first[0] as ItemResource) : undefined;
    },
    async putWatchlistItem(alias, id, itemsKeyValue) {
      await transport.request('PUT', `${itemsPath(alias)}/${segment(id)}`, {
        body: { properties: { itemsKeyValue } },
        operation: 'PUT watchlistItem',
        resource: `${alias}/${id}`,
      });
    },
    async deleteWatchlistItem(alias, id) {
      await transport.request('DELETE', `${itemsPath(alias)}/${segment(id)}`, {
        operation: 'DELETE watchlistItem',
        resource: `${alias}/${id}`,
        allow: [404],
      });
    },
  };
}
