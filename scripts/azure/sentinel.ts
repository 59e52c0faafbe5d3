// SentinelApi over the transport: alert rules, metadata (our ownership mark) and watchlists here;
// watchlist items come from ./watchlist-items.ts (the sync's own module) on the same transport.
import { setTimeout as sleep } from 'node:timers/promises';
import { RemoteError } from '../core/errors.ts';
import { asRecord, asString } from '../core/guards.ts';
import type { Workspace } from '../core/model/workspaces.ts';
import type { LiveAlertRule, LiveMetadata, LiveWatchlist } from '../core/plan/types.ts';
import type { SentinelApi } from './api.ts';
import { createTransport, deadlineFailure, segment, type Transport, type TransportOptions, type TransportResponse } from './transport.ts';
import { watchlistItemMethods } from './watchlist-items.ts';

export interface PollSettings {
  /** Wait between polls when the service sends no Retry-After. */
  intervalMs: number;
  /** Give up (RemoteError) when the operation has not finished after this long. */
  timeoutMs: number;
}

const DEFAULT_POLL: PollSettings = { intervalMs: 2000, timeoutMs: 10 * 60_000 };

export interface SentinelApiOptions extends TransportOptions {
  poll?: Partial<PollSettings>;
}

type Resource = { name?: unknown; kind?: unknown; etag?: unknown; properties?: unknown };

const record = (value: unknown): Record<string, unknown> => asRecord(value) ?? {};

function asRule(r: Resource): LiveAlertRule {
  return { name: String(r.name ?? ''), kind: String(r.kind ?? ''), etag: asString(r.etag), properties: record(r.properties) };
}

function asMetadata(r: Resource): LiveMetadata {
  return { name: String(r.name ?? ''), etag: asString(r.etag), properties: record(r.properties) };
}

function asWatchlist(r: Resource): LiveWatchlist {
  const properties = record(r.properties);
  return {
    alias: String(r.name ?? properties.watchlistAlias ?? ''),
    etag: asString(r.etag),
    provisioningState: asString(properties.provisioningState),
    properties,
  };
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

/** LIST (every page), PUT (the exact body) and DELETE of one resource type under the Sentinel scope. */
function collection<T>(t: Transport, type: string, singular: string, map: (r: Resource) => T) {
  return {
    list: async (): Promise<T[]> => (await t.listAll<Resource>(type, { operation: `LIST ${type}` })).map(map),
    put: async (name: string, body: unknown): Promise<T> =>
      map(record((await t.request('PUT', `${type}/${segment(name)}`, { body, operation: `PUT ${singular}`, resource: name })).body)),
    delete: async (name: string): Promise<void> => {
      await t.request('DELETE', `${type}/${segment(name)}`, { operation: `DELETE ${singular}`, resource: name });
    },
  };
}

function ruleMethods(t: Transport): Pick<SentinelApi, 'listAlertRules' | 'putAlertRule' | 'deleteAlertRule'> {
  const rules = collection(t, 'alertRules', 'alertRule', asRule);
  return { listAlertRules: rules.list, putAlertRule: rules.put, deleteAlertRule: rules.delete };
}

function metadataMethods(t: Transport): Pick<SentinelApi, 'listMetadata' | 'putMetadata' | 'deleteMetadata'> {
  const marks = collection(t, 'metadata', 'metadata', asMetadata);
  return { listMetadata: marks.list, putMetadata: marks.put, deleteMetadata: marks.delete };
}

function watchlistMethods(t: Transport, poll: PollSettings): Pick<SentinelApi, 'listWatchlists' | 'getWatchlist' | 'putWatchlist'> {
  async function getWatchlist(alias: string): Promise<LiveWatchlist | undefined> {
    const answer = await t.request('GET', `watchlists/${segment(alias)}`, { operation: 'GET watchlist', resource: alias, allow: [404] });
    return answer.status === 404 ? undefined : asWatchlist(record(answer.body));
  }
  return {
    listWatchlists: async () => (await t.listAll<Resource>('watchlists', { operation: 'LIST watchlists' })).map(asWatchlist),
    getWatchlist,
    async putWatchlist(alias, body) {
      const answer = await t.request('PUT', `watchlists/${segment(alias)}`, { body, operation: 'PUT watchlist', resource: alias });
      const operationUrl = answer.headers['azure-asyncoperation'];
      const written = asWatchlist(record(answer.body));
      if (!operationUrl) {
        if (written.provisioningState === undefined || /^succeeded$/i.test(written.provisioningState)) return written;
        // The spec documents the header on 201 only: an update (a bulk upload) answered 200 while its
        // rows are still processed is followed through the watchlist's own provisioningState.
        return waitForProvisioning(t, alias, written.provisioningState, poll, getWatchlist);
      }
      await waitForOperation(t, operationUrl, alias, poll);
      const done = await getWatchlist(alias);
      if (!done)
        throw new RemoteError({
          operation: 'PUT watchlist',
          workspace: t.workspace.name,
          resource: alias,
          status: 404,
          serviceMessage: 'the watchlist is gone after its operation succeeded',
        });
      return done;
    },
  };
}

/** GET the watchlist until its provisioningState is Succeeded; Failed/Canceled (or the poll timeout) throw. */
async function waitForProvisioning(
  t: Transport,
  alias: string,
  state: string,
  poll: PollSettings,
  get: (alias: string) => Promise<LiveWatchlist | undefined>,
): Promise<LiveWatchlist> {
  const started = Date.now();
  const fail = (message: string, hint?: string) =>
    new RemoteError(
      { operation: 'PUT watchlist (provisioning)', workspace: t.workspace.name, resource: alias, serviceMessage: message },
      hint,
    );
  for (;;) {
    if (/^(failed|canceled|cancelled)$/i.test(state)) throw fail(`provisioningState ${state}`);
    if (Date.now() - started > poll.timeoutMs)
      throw fail(`still ${state} after ${Math.round(poll.timeoutMs / 1000)} s`, 'Look at the watchlist in the portal, then run again.');
    await pause(t, poll.intervalMs, alias);
    const live = await get(alias);
    if (!live) throw fail('the watchlist is gone while it was being provisioned');
    if (live.provisioningState === undefined || /^succeeded$/i.test(live.provisioningState)) return live;
    state = live.provisioningState;
  }
}

/** A wait between polls that the run's deadline ends. */
async function pause(t: Transport, ms: number, alias: string): Promise<void> {
  try {
    await sleep(ms, undefined, t.signal ? { signal: t.signal } : undefined);
  } catch (error) {
    if (t.signal?.aborted)
      throw deadlineFailure({ operation: 'poll watchlist operation', workspace: t.workspace.name, resource: alias }, t.signal.reason);
    throw error;
  }
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
        operation: 'PUT watchlist (asynchronous operation)',
        workspace: t.workspace.name,
        resource: alias,
        status: answer.status,
        requestId: answer.headers['x-ms-request-id'],
        serviceCode: typeof error.code === 'string' ? error.code : status,
        serviceMessage: typeof error.message === 'string' ? error.message : `the operation ended ${status}`,
      });
    }
    if (Date.now() - started > poll.timeoutMs) {
      throw new RemoteError(
        {
          operation: 'PUT watchlist (asynchronous operation)',
          workspace: t.workspace.name,
          resource: alias,
          serviceMessage: `still ${status || 'running'} after ${Math.round(poll.timeoutMs / 1000)} s`,
        },
        'Look at the watchlist in the portal, then run deploy again.',
      );
    }
    const retryAfter = Number(answer.headers['retry-after']);
    await pause(t, Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter * 1000, 60_000) : poll.intervalMs, alias);
  }
}
