// The watchlist PUT bodies of the sync on an existing watchlist: the live watchlist's own writable
// properties with only the description changed, so that the sync never reverts or re-deploys anything
// else (that is deploy's job); with rawContent, the same PUT adds items in bulk (the service appends the
// rows and de-duplicates identical ones; it never deletes). Creation uses compile/watchlist.ts createBody.
import type { WatchlistBody } from '../compile/watchlist.ts';

/** Properties a client may write; everything else in a GET answer is server-managed. */
const WRITABLE = ['displayName', 'provider', 'source', 'sourceType', 'itemsSearchKey', 'labels', 'defaultDuration', 'description'] as const;

/**
 * `etag` is the live watchlist's: the service refuses the PUT when someone else (a deploy, another
 * sync) wrote the watchlist since we read it, instead of the later writer silently losing the
 * other's provenance line and with it this month's tally.
 */
export function describeBody(live: Record<string, unknown>, description: string, etag?: string): WatchlistBody & { etag?: string } {
  const properties: Record<string, unknown> = {};
  for (const key of WRITABLE) if (live[key] !== undefined && live[key] !== null) properties[key] = live[key];
  properties.description = description;
  return etag ? { etag, properties } : { properties };
}

/** describeBody plus rows to append: a bulk update of the existing watchlist (items get service-assigned ids). */
export function uploadBody(
  live: Record<string, unknown>,
  description: string,
  csv: string,
  etag?: string,
): WatchlistBody & { etag?: string } {
  const body = describeBody(live, description, etag);
  Object.assign(body.properties, { contentType: 'text/csv', numberOfLinesToSkip: 0, rawContent: csv });
  return body;
}
