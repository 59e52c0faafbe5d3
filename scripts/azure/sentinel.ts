// SentinelApi over the transport: alert rules, metadata (our ownership mark) and watchlists here;
// watchlist items come from ./watchlist-items.ts (the sync's own module) on the same transport.
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteError } from '../core/errors.ts';
import type { Workspace } from '../core/model/workspaces.ts';
import type { LiveAlertRule, LiveMetadata, LiveWatchlist, SentinelApi } from './api.ts';
import { createTransport, type Transport, type TransportOptions, type TransportResponse } from './transport.ts';
import { watchlistItemMethods } from './watchlist-items.ts';

export interface PollSettings {
  /** Wait between polls when the service sends no Retry-After. */
  intervalMs: number;
  /** Give up (RemoteError) when the operation has not finished after this long. */
  timeoutMs: number;
}

export const DEFAULT_POLL: PollSettings = { intervalMs: 2000, timeoutMs: 10 * 60_000 };

export interface SentinelApiOptions extends TransportOptions {
  poll?: Partial<PollSettings>;
}

type Resource = { name?: unknown; kind?: unknown; etag?: unknown; properties?: unknown };

const seg = (name: string): string => encodeURIComponent(name);

function asRule(r: Resource): LiveAlertRule {
  return { name: String(r.name ?? ''), kind: String(r.kind ?? ''), etag: typeof r.etag === 'string' ? r.etag : undefined, properties: record(r.properties) };
}

function asMetadata(r: Resource): LiveMetadata {
  return { name: String(r.name ?? ''), etag: typeof r.etag === 'string' ? r.etag : undefined, properties: record(r.properties) };
}

function asWatchlist(r: Resource): LiveWatchlist {
  const properties = record(r.properties);
  const state = properties.provisioningState;
  return {
    alias: String(r.name ?? properties.watchlistAlias ?? ''),
    etag: typeof r.etag === 'string' ? r.etag : undefined,
    provisioningState: typeof state === 'string' ? state : undefined,
    properties,
  };
}

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function createSentinelApi(workspace: Workspace, options: SentinelApiOptions = {}): SentinelApi {
  const transport = createTransport(workspace, options);
  const poll: PollSettings = { ...DEFAULT_POLL, ...options.poll };
  return {
    workspace,
    ...ruleMethods(transport),
    ...metadataMethods(transport),
    ...watchlistMethods(transport, poll),
    ...watchlistItemMethods(transport),
  };
}

function ruleMethods(t: Transport): Pick<SentinelApi, 'listAlertRules' | 'putAlertRule' | 'deleteAlertRule'> {
  return {
    listAlertRules: async () => (await t.listAll<Resource>('alertRules', { operation: 'LIST alertRules' })).map(asRule),
    async putAlertRule(name, body) {
      const answer = await t.request('PUT', `alertRules/${seg(name)}`, { body, operation: 'PUT alertRule', resource: name });
      return asRule(record(answer.body));
    },
    async deleteAlertRule(name) {
      await t.request('DELETE', `alertRules/${seg(name)}`, { operation: 'DELETE alertRule', resource: name });
    },
  };
}

function metadataMethods(t: Transport): Pick<SentinelApi, 'listMetadata' | 'putMetadata' | 'deleteMetadata'> {
  return {
    listMetadata: async () => (await t.listAll<Resource>('metadata', { operation: 'LIST metadata' })).map(asMetadata),
    async putMetadata(name, body) {
      const answer = await t.request('PUT', `metadata/${seg(name)}`, { body, operation: 'PUT metadata', resource: name });
      return asMetadata(record(answer.body));
    },
    async deleteMetadata(name) {
      await t.request('DELETE', `metadata/${seg(name)}`, { operation: 'DELETE metadata', resource: name });
    },
  };
}

function watchlistMethods(t: Transport, poll: PollSettings): Pick<SentinelApi, 'listWatchlists' | 'getWatchlist' | 'putWatchlist'> {
  async function getWatchlist(alias: string): Promise<LiveWatchlist | undefined> {
    const answer = await t.request('GET', `watchlists/${seg(alias)}`, { operation: 'GET watchlist', resource: alias, allow: [404] });
    return answer.status === 404 ? undefined : asWatchlist(record(answer.body));
  }
  return {
    listWatchlists: async () => (await t.listAll<Resource>('watchlists', { operation: 'LIST watchlists' })).map(asWatchlist),
    getWatchlist,
    async putWatchlist(alias, body) {
      const answer = await t.request('PUT', `watchlists/${seg(alias)}`, { body, operation: 'PUT watchlist', resource: alias });
      const operationUrl = answer.headers['azure-asyncoperation'];
      const written = asWatchlist(record(answer.body));
      if (!operationUrl) {
        if (written.provisioningState === undefined || written.provisioningState === 'Succeeded') return written;
        throw new RemoteError({ operation: 'PUT watchlist', workspace: t.workspace.name, resource: alias, status: answer.status,
          serviceMessage: `provisioningState ${written.provisioningState} without an Azure-AsyncOperation header to follow` });
      }
      await waitForOperation(t, operationUrl, alias, poll);
      const done = await getWatchlist(alias);
      if (!done) throw new RemoteError({ operation: 'PUT watchlist', workspace: t.workspace.name, resource: alias, status: 404, serviceMessage: 'the watchlist is gone after its operation succeeded' });
      return done;
    },
  };
}

/** Polls an Azure-AsyncOperation URL through the same pipeline until Succeeded; Failed/Canceled throw. */
async function waitForOperation(t: Transport, url: string, alias: string, poll: PollSettings): Promise<void> {
  const started = Date.now();
  for (;;) {
    const answer: TransportResponse = await t.request('GET', url, { operation: 'poll watchlist operation', resource: alias });
    const body = record(answer.body);
    const status = String(body.status ?? '');
    if (/^succeeded$/i.test(status)) return;
    if (/^(failed|canceled|cancelled)$/i.test(status)) {
      const error = record(body.error);
      throw new RemoteError({
        operation: 'PUT watchlist (asynchronous operation)', workspace: t.workspace.name, resource: alias, status: answer.status,
        requestId: answer.headers['x-ms-request-id'], serviceCode: typeof error.code === 'string' ? error.code : status,
        serviceMessage: typeof error.message === 'string' ? error.message : `the operation ended ${status}`,
      });
    }
    if (Date.now() - started > poll.timeoutMs) {
      throw new RemoteError({ operation: 'PUT watchlist (asynchronous operation)', workspace: t.workspace.name, resource: alias,
        serviceMessage: `still ${status || 'running'} after ${Math.round(poll.timeoutMs / 1000)} s` }, 'Look at the watchlist in the portal, then run deploy again.');
    }
    const retryAfter = Number(answer.headers['retry-after']);
    await sleep(Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter * 1000, 60_000) : poll.intervalMs);
  }
}
