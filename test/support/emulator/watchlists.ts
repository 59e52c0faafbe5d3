// Microsoft.SecurityInsights/watchlists (+ watchlistItems, + their asynchronous operations), as in
// 2025-09-01: PUT and DELETE are long-running (Azure-AsyncOperation; provisioningState InProgress →
// Succeeded after `provisioningDelayMs`), rawContent is parsed into items and a PUT with rawContent
// on an existing watchlist APPENDS (identical rows de-duplicated), never deletes. While a watchlist
// is provisioning or deleting, its items answer 409.
import { randomUUID } from 'node:crypto';
import { contentKey, parseRawContent } from './csv.ts';
import { ApiError, badRequest, checkEtag, conflict, notFound } from './errors.ts';
import { envelope, page, TENANT_ID, type Ctx, type Reply, type Resource, type WatchlistEntry, deleteOne, readOne } from './store.ts';
import { duration, isObject, object, oneOf, serverManaged, str, strings, validate, writable, type Schema } from './validate.ts';

const TYPE = 'Microsoft.SecurityInsights/Watchlists';
const ITEM_TYPE = 'Microsoft.SecurityInsights/Watchlists/WatchlistItems';
const USER = { objectId: '00000000-0000-4000-8000-00000000e001', name: 'sentinel-emulator-principal' };
const ALIAS = /^[A-Za-z0-9](?:[A-Za-z0-9 _-]{1,62})[A-Za-z0-9]$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SERVER_FIELDS = [
  'watchlistId',
  'created',
  'updated',
  'createdBy',
  'updatedBy',
  'isDeleted',
  'tenantId',
  'uploadStatus',
  'provisioningState',
];
const nonEmpty: Schema = { type: 'string', minLength: 1 };

function watchlistSchema(preview: boolean): Schema {
  return object(
    {
      displayName: nonEmpty,
      provider: nonEmpty,
      itemsSearchKey: nonEmpty,
      source: str,
      sourceType: oneOf(['Local', 'AzureStorage']),
      description: str,
      labels: strings,
      defaultDuration: duration,
      numberOfLinesToSkip: { type: 'integer', minimum: 0 },
      rawContent: str,
      contentType: str,
      watchlistType: str,
      watchlistAlias: str,
      ...Object.fromEntries(SERVER_FIELDS.map((k) => [k, serverManaged])),
      ...(preview ? { sasUri: str } : {}),
    },
    ['displayName', 'provider', 'itemsSearchKey'],
  );
}

const itemProperties = object(
  {
    itemsKeyValue: { type: 'map', values: { type: 'any' } },
    entityMapping: { type: 'map', values: { type: 'any' } },
    watchlistItemType: str,
    ...Object.fromEntries(
      ['watchlistItemId', 'tenantId', 'isDeleted', 'created', 'updated', 'createdBy', 'updatedBy'].map((k) => [k, serverManaged]),
    ),
  },
  ['itemsKeyValue'],
);
const envelopeFields = { etag: str, id: serverManaged, name: serverManaged, type: serverManaged, systemData: serverManaged };

export function handleWatchlists(ctx: Ctx): Reply {
  const [, alias, sub, itemId] = ctx.segments;
  if (alias === undefined) {
    if (ctx.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on the watchlists collection.`);
    return {
      status: 200,
      body: page(
        [...ctx.ws.watchlists.values()].map((e) => e.resource),
        ctx.pageSize.watchlists,
        ctx.skipToken,
        ctx.self,
      ),
    };
  }
  if (sub !== undefined) return handleItems(ctx, alias, itemId);
  const entry = ctx.ws.watchlists.get(alias.toLowerCase());
  switch (ctx.method) {
    case 'GET':
      if (!entry) throw notFound(`Watchlist '${alias}'`);
      return { status: 200, body: entry.resource, headers: { ETag: entry.resource.etag } };
    case 'PUT':
      return putWatchlist(ctx, alias, entry);
    case 'DELETE':
      return deleteWatchlist(ctx, alias, entry);
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on watchlists.`);
  }
}

function refuseWhileBusy(entry: WatchlistEntry | undefined, alias: string): void {
  if (entry?.busy?.state === 'Deleting')
    throw conflict(`Watchlist '${alias}': Delete is currently in progress. Wait for the delete operation to finish.`);
  if (entry?.busy)
    throw conflict(
      `Watchlist '${alias}' is being provisioned (provisioningState InProgress). Poll its Azure-AsyncOperation until Succeeded, then retry.`,
    );
}

/** Starts an asynchronous operation; its URLs are served by handleOperations. */
function startOperation(ctx: Ctx, until: number): { 'Azure-AsyncOperation': string; Location: string } {
  const id = randomUUID();
  ctx.store.operations.set(id, { id, scope: ctx.ws.scope, startedAt: ctx.now, until });
  return {
    'Azure-AsyncOperation': ctx.link(`${ctx.ws.scope}/asyncOperations/${id}`),
    Location: ctx.link(`${ctx.ws.scope}/operationResults/${id}`),
  };
}

function putWatchlist(ctx: Ctx, alias: string, existing: WatchlistEntry | undefined): Reply {
  if (!ALIAS.test(alias))
    throw badRequest(
      `The watchlist alias '${alias}' is invalid: 3-64 characters, letters, digits, spaces, '-' or '_', starting and ending with a letter or digit.`,
    );
  const schema = watchlistSchema(ctx.preview);
  validate(ctx.body, object({ properties: schema, ...envelopeFields }, ['properties']), 'body');
  const body = ctx.body as Record<string, unknown>;
  const written = writable(body.properties as Record<string, unknown>, schema);
  if (typeof written.watchlistAlias === 'string' && written.watchlistAlias.toLowerCase() !== alias.toLowerCase()) {
    throw badRequest(`properties.watchlistAlias '${written.watchlistAlias}' differs from the alias in the URL '${alias}'.`);
  }
  const { rawContent, sasUri: _sasUri, ...stored } = written; // the upload itself is not stored, its rows are
  const rows =
    typeof rawContent === 'string'
      ? parseRawContent(
          rawContent,
          String(stored.contentType ?? ''),
          Number(stored.numberOfLinesToSkip ?? 0),
          String(stored.itemsSearchKey),
        )
      : [];
  refuseWhileBusy(existing, alias);
  checkEtag(existing?.resource.etag, ctx.ifMatch, body.etag);

  const base = envelope(ctx.ws.scope, 'watchlists', TYPE, alias, existing?.resource, ctx.now);
  const at = new Date(ctx.now).toISOString();
  const kept = existing ? Object.fromEntries(SERVER_FIELDS.map((k) => [k, existing.resource.properties[k]])) : {};
  const delay = ctx.provisioningDelayMs;
  const properties = {
    labels: [],
    numberOfLinesToSkip: 0,
    watchlistType: 'watchlist',
    ...structuredClone(stored),
    watchlistId: randomUUID(),
    created: at,
    createdBy: USER,
    tenantId: TENANT_ID,
    isDeleted: false,
    ...kept,
    watchlistAlias: base.name,
    updated: at,
    updatedBy: USER,
    provisioningState: delay > 0 ? 'InProgress' : 'Succeeded',
    uploadStatus: delay > 0 ? 'InProgress' : 'Complete',
  };
  const entry: WatchlistEntry = {
    resource: { ...base, properties },
    items: existing?.items ?? new Map(),
    busy: delay > 0 ? { state: 'InProgress', until: ctx.now + delay } : undefined,
  };
  const present = new Set([...entry.items.values()].map((item) => contentKey(item.properties.itemsKeyValue)));
  for (const keyValues of rows) {
    const identity = contentKey(keyValues);
    if (present.has(identity)) continue; // a bulk update appends and de-duplicates identical rows
    present.add(identity);
    const item = newItem(ctx, base.name, randomUUID(), undefined, { itemsKeyValue: keyValues });
    entry.items.set(item.name.toLowerCase(), item);
  }
  ctx.ws.watchlists.set(alias.toLowerCase(), entry);
  const operation = startOperation(ctx, ctx.now + delay);
  if (existing && !ctx.updateAsyncHeader) return { status: 200, body: entry.resource, headers: { ETag: entry.resource.etag } };
  return {
    status: existing ? 200 : 201,
    body: entry.resource,
    headers: { 'Azure-AsyncOperation': operation['Azure-AsyncOperation'], ETag: entry.resource.etag },
  };
}

function deleteWatchlist(ctx: Ctx, alias: string, existing: WatchlistEntry | undefined): Reply {
  if (!existing) return { status: 204 };
  refuseWhileBusy(existing, alias);
  checkEtag(existing.resource.etag, ctx.ifMatch, undefined);
  const delay = ctx.provisioningDelayMs;
  if (delay > 0) {
    existing.busy = { state: 'Deleting', until: ctx.now + delay };
    existing.resource.properties.provisioningState = 'Deleting';
  } else {
    ctx.ws.watchlists.delete(alias.toLowerCase());
  }
  return { status: 202, headers: startOperation(ctx, ctx.now + delay) };
}

function newItem(ctx: Ctx, alias: string, id: string, previous: Resource | undefined, written: Record<string, unknown>): Resource {
  const base = envelope(ctx.ws.scope, `watchlists/${alias}/watchlistItems`, ITEM_TYPE, id, previous, ctx.now);
  const at = new Date(ctx.now).toISOString();
  const created = previous
    ? { created: previous.properties.created, createdBy: previous.properties.createdBy }
    : { created: at, createdBy: USER };
  return {
    ...base,
    properties: {
      watchlistItemType: 'watchlist-item',
      entityMapping: {},
      ...structuredClone(written),
      watchlistItemId: base.name,
      tenantId: TENANT_ID,
      isDeleted: false,
      ...created,
      updated: at,
      updatedBy: USER,
    },
  };
}

function handleItems(ctx: Ctx, alias: string, itemId: string | undefined): Reply {
  if (ctx.segments[2]?.toLowerCase() !== 'watchlistitems' || ctx.segments.length > 4)
    throw notFound(`Resource '${ctx.segments.join('/')}'`);
  const entry = ctx.ws.watchlists.get(alias.toLowerCase());
  if (!entry) throw notFound(`Watchlist '${alias}'`);
  refuseWhileBusy(entry, alias);
  if (itemId === undefined) {
    if (ctx.method !== 'GET')
      throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on the watchlistItems collection.`);
    return { status: 200, body: page(entry.items.values(), ctx.pageSize.watchlistItems, ctx.skipToken, ctx.self) };
  }
  const key = itemId.toLowerCase();
  const existing = entry.items.get(key);
  switch (ctx.method) {
    case 'GET':
      return readOne(existing, `Watchlist item '${itemId}'`);
    case 'DELETE':
      return deleteOne(entry.items, key, ctx.ifMatch);
    case 'PUT': {
      if (!GUID.test(itemId)) throw badRequest(`The watchlist item id '${itemId}' must be a GUID.`);
      validate(ctx.body, object({ properties: itemProperties, ...envelopeFields }, ['properties']), 'body');
      const body = ctx.body as Record<string, unknown>;
      const written = writable(body.properties as Record<string, unknown>, itemProperties);
      const searchKey = String(entry.resource.properties.itemsSearchKey);
      if (isObject(written.itemsKeyValue) && !(searchKey in written.itemsKeyValue)) {
        throw badRequest(`properties.itemsKeyValue must contain the watchlist's itemsSearchKey column '${searchKey}'.`);
      }
      checkEtag(existing?.etag, ctx.ifMatch, body.etag);
      const item = newItem(ctx, entry.resource.name, itemId, existing, written);
      entry.items.set(key, item);
      return { status: existing ? 200 : 201, body: item, headers: { ETag: item.etag } };
    }
    default:
      throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on watchlist items.`);
  }
}

/** GET asyncOperations/{id} (status InProgress → Succeeded) and operationResults/{id} (202 → 204). */
export function handleOperations(ctx: Ctx): Reply {
  const [kind, id] = ctx.segments;
  const operation = id === undefined ? undefined : ctx.store.operations.get(id);
  if (!operation || ctx.segments.length !== 2) throw notFound(`Operation '${id ?? ''}'`);
  if (ctx.method !== 'GET') throw new ApiError(405, 'MethodNotAllowed', `${ctx.method} is not supported on operations.`);
  const done = ctx.now >= operation.until;
  if (kind?.toLowerCase() === 'operationresults') return done ? { status: 204 } : { status: 202, headers: { Location: ctx.self } };
  return {
    status: 200,
    body: {
      id: `${operation.scope}/asyncOperations/${operation.id}`,
      name: operation.id,
      status: done ? 'Succeeded' : 'InProgress',
      startTime: new Date(operation.startedAt).toISOString(),
      ...(done ? { endTime: new Date(operation.until).toISOString() } : {}),
    },
  };
}
