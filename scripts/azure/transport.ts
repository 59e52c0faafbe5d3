// Exact JSON over the SDK client's pipeline. @azure/arm-securityinsight's typed models drop the
// properties they do not know (e.g. a newer api-version's fields), so bodies go out through `client.sendRequest`: the same
// pipeline (bearer token, api-version policy, retries of 429 with Retry-After (capped), 408, 5xx and dropped
// connections, request ids, AZURE_LOG_LEVEL logging (routed through cli.ts's redactor)), but the
// bytes we compiled. Failures become RemoteError; nothing here retries by hand.
//
// Stable API (the watchlist-item sync builds on it):
//   createTransport(workspace, options?) → Transport
//   transport.request(method, path, {body?, query?, operation?, resource?, allow?}) → {status, headers, body}
//   transport.listAll(path, options?) → every `value` entry of every page (nextLink followed)
// `path` is relative to the workspace's Microsoft.SecurityInsights scope (`alertRules/<id>`,
// `watchlists/<alias>/watchlistItems`), or an absolute https URL on the same ARM host (nextLink,
// Azure-AsyncOperation).
import { appendAll } from '../core/diagnostics.ts';
import { SecurityInsights } from '@azure/arm-securityinsight';
import { createHttpHeaders, createPipelineRequest, type HttpMethods, type PipelineResponse } from '@azure/core-rest-pipeline';
import { RemoteError, type RemoteErrorDetails } from '../core/errors.ts';
import { sentinelScope, type Workspace } from '../core/model/workspaces.ts';
import { checkTokenHosts, credentialFor, type Env, type TokenCredential } from './credentials.ts';
import { attemptTimeoutPolicy, retryAfterCapPolicy } from './policies.ts';

export interface RetrySettings {
  maxRetries: number;
  retryDelayInMs: number;
  maxRetryDelayInMs: number;
}

/**
 * ARM answers throttling with Retry-After in seconds; a storm needs more than the SDK's 3 attempts.
 * maxRetryDelayInMs also caps a Retry-After (policies.ts).
 */
export const DEFAULT_RETRY: RetrySettings = { maxRetries: 8, retryDelayInMs: 1000, maxRetryDelayInMs: 60_000 };
/** One attempt that gets no complete answer this long fails (and the pipeline retries it). */
export const REQUEST_TIMEOUT_MS = 120_000;
const MAX_PAGES = 10_000;

export interface TransportOptions {
  /** Default: credentialFor(env). */
  credential?: TokenCredential;
  /** Where SENTINEL_ACCESS_TOKEN and SENTINEL_*RETR* settings are read; default process.env. */
  env?: Env;
  /** Default: DEFAULT_RETRY, overridden by SENTINEL_MAX_RETRIES, SENTINEL_RETRY_DELAY_MS, SENTINEL_MAX_RETRY_DELAY_MS. */
  retry?: Partial<RetrySettings>;
  /** Hosts besides ARM and loopback that SENTINEL_ACCESS_TOKEN may be sent to (--allow-token-host). */
  allowTokenHosts?: readonly string[];
  /** Per attempt; default REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number;
  /**
   * The command's deadline: aborting it ends requests in flight and the pipeline's retry waits, and
   * fails every later request at once. Its `reason` (an Error) says why.
   */
  signal?: AbortSignal;
}

export interface RequestOptions {
  body?: unknown;
  query?: Record<string, string>;
  /** For messages, e.g. `PUT alertRule`; default `<METHOD> <resource type>`. */
  operation?: string;
  /** Rule id, alias…, for messages (deploy adds the file the resource comes from). */
  resource?: string;
  /** Statuses answered without throwing although ≥ 400 (e.g. 404 on a GET that may find nothing). */
  allow?: readonly number[];
}

export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON; undefined for an empty body; the raw text when it was not JSON. */
  body: unknown;
}

export interface Transport {
  readonly workspace: Workspace;
  /** TransportOptions.signal: waits between requests (polling) end with it too. */
  readonly signal?: AbortSignal;
  /** `path` is relative to https://<arm>/subscriptions/…/providers/Microsoft.SecurityInsights, or a URL on that host. */
  request(method: HttpMethods, path: string, options?: RequestOptions): Promise<TransportResponse>;
  listAll<T = Record<string, unknown>>(path: string, options?: Omit<RequestOptions, 'body' | 'allow'>): Promise<T[]>;
}

/** A resource name as one URL path segment. */
export const segment = (name: string): string => encodeURIComponent(name);

export function retrySettings(env: Env, override: Partial<RetrySettings> = {}): RetrySettings {
  const read = (name: string, fallback: number): number => {
    const text = env[name];
    const value = text === undefined || text.trim() === '' ? NaN : Number(text);
    return Number.isInteger(value) && value >= 0 ? value : fallback;
  };
  return {
    maxRetries: override.maxRetries ?? read('SENTINEL_MAX_RETRIES', DEFAULT_RETRY.maxRetries),
    retryDelayInMs: override.retryDelayInMs ?? read('SENTINEL_RETRY_DELAY_MS', DEFAULT_RETRY.retryDelayInMs),
    maxRetryDelayInMs: override.maxRetryDelayInMs ?? read('SENTINEL_MAX_RETRY_DELAY_MS', DEFAULT_RETRY.maxRetryDelayInMs),
  };
}

// One SDK client per credential, subscription, ARM endpoint and api-version: the client's api-version
// policy rewrites every request's version, so workspaces on different versions cannot share one.
const clients = new WeakMap<TokenCredential, Map<string, SecurityInsights>>();

function clientFor(workspace: Workspace, credential: TokenCredential, retry: RetrySettings, timeoutMs: number): SecurityInsights {
  let byKey = clients.get(credential);
  if (!byKey) clients.set(credential, (byKey = new Map()));
  const key = [
    workspace.subscriptionId,
    workspace.armEndpoint,
    workspace.apiVersion,
    retry.maxRetries,
    retry.retryDelayInMs,
    retry.maxRetryDelayInMs,
    timeoutMs,
  ].join('|');
  let client = byKey.get(key);
  if (!client) {
    client = new SecurityInsights(credential, workspace.subscriptionId, {
      endpoint: workspace.armEndpoint,
      $host: workspace.armEndpoint,
      apiVersion: workspace.apiVersion,
      retryOptions: retry,
      userAgentOptions: { userAgentPrefix: 'sentinel-detections' },
    });
    // Inside the retry loop: once per attempt, before the response reaches the retry strategies.
    client.pipeline.addPolicy(attemptTimeoutPolicy(timeoutMs), { afterPhase: 'Retry' });
    client.pipeline.addPolicy(retryAfterCapPolicy(retry.maxRetryDelayInMs), { afterPhase: 'Retry' });
    byKey.set(key, client);
  }
  return client;
}

export function createTransport(workspace: Workspace, options: TransportOptions = {}): Transport {
  const env = options.env ?? process.env;
  // The static token from the environment goes to known hosts only (credentials.ts); commands check
  // every selected workspace before the first request, this is the last line.
  if (!options.credential) checkTokenHosts(env, [workspace], options.allowTokenHosts);
  const credential = options.credential ?? credentialFor(env);
  const client = clientFor(workspace, credential, retrySettings(env, options.retry), options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS);
  const { signal } = options;
  const origin = new URL(workspace.armEndpoint).origin;
  const scopeUrl = `${workspace.armEndpoint}${sentinelScope(workspace)}`;

  function urlOf(path: string, query: Record<string, string> = {}): URL {
    const url = new URL(/^https?:\/\//i.test(path) ? path : `${scopeUrl}/${path.replace(/^\/+/, '')}`);
    // The bearer token goes wherever this URL points: never follow a link off the workspace's ARM host.
    if (url.origin !== origin) {
      throw new RemoteError(
        {
          operation: 'follow link',
          workspace: workspace.name,
          serviceMessage: `the service returned a link to ${url.origin}, not ${origin}`,
        },
        'Refusing to send credentials to another host; check armEndpoint in workspaces.yaml.',
      );
    }
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', workspace.apiVersion);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  async function request(method: HttpMethods, path: string, o: RequestOptions = {}): Promise<TransportResponse> {
    const url = urlOf(path, o.query);
    const details: RemoteErrorDetails = {
      operation: o.operation ?? `${method} ${resourceType(path)}`,
      workspace: workspace.name,
      resource: o.resource,
    };
    const headers = createHttpHeaders({ Accept: 'application/json' });
    if (o.body !== undefined) headers.set('Content-Type', 'application/json; charset=utf-8');
    // No `timeout` here: attemptTimeoutPolicy times each attempt and always clears its timer.
    const pipelineRequest = createPipelineRequest({
      url: url.toString(),
      method,
      headers,
      abortSignal: signal,
      body: o.body === undefined ? undefined : JSON.stringify(o.body),
    });
    let response: PipelineResponse;
    try {
      response = await client.sendRequest(pipelineRequest);
    } catch (error) {
      if (signal?.aborted) throw deadlineFailure(details, signal.reason);
      throw transportFailure(details, error);
    }
    const answer: TransportResponse = {
      status: response.status,
      headers: response.headers.toJSON({ preserveCase: false }),
      body: parseBody(response.bodyAsText),
    };
    if (response.status >= 400 && !o.allow?.includes(response.status)) throw httpFailure(details, answer);
    return answer;
  }

  async function listAll<T>(path: string, o: Omit<RequestOptions, 'body' | 'allow'> = {}): Promise<T[]> {
    const items: T[] = [];
    const seen = new Set<string>();
    let next: string | undefined = path;
    for (let pages = 0; next !== undefined; pages++) {
      if (pages >= MAX_PAGES || seen.has(next)) {
        throw new RemoteError({
          operation: o.operation ?? `LIST ${resourceType(path)}`,
          workspace: workspace.name,
          serviceMessage: `paging did not end after ${pages} pages`,
        });
      }
      seen.add(next);
      const { body } = await request('GET', next, {
        ...o,
        operation: o.operation ?? `LIST ${resourceType(path)}`,
        query: pages === 0 ? o.query : undefined,
      });
      const page = (body ?? {}) as { value?: unknown; nextLink?: unknown };
      if (Array.isArray(page.value)) appendAll(items, page.value as T[]);
      next = typeof page.nextLink === 'string' && page.nextLink !== '' ? page.nextLink : undefined;
    }
    return items;
  }

  return { workspace, signal, request, listAll };
}

/** The request was cut short by the command's deadline (TransportOptions.signal). */
export function deadlineFailure(details: RemoteErrorDetails, reason: unknown): RemoteError {
  const why = reason instanceof Error ? reason.message : 'the command was stopped';
  return new RemoteError(
    { ...details, serviceCode: 'Deadline', serviceMessage: why },
    'Nothing more is written after the deadline. Run again (what was written is not written twice), with a longer --deadline if the workspaces are large or throttled.',
  );
}

/** `alertRules/x` → alertRules; `watchlists/a/watchlistItems/i` → watchlistItems; URLs likewise. */
function resourceType(path: string): string {
  const rel = path.replace(/^https?:\/\/[^?]*?Microsoft\.SecurityInsights\//i, '').split('?')[0] ?? '';
  const segments = rel.split('/').filter(Boolean);
  return segments[segments.length % 2 === 0 ? segments.length - 2 : segments.length - 1] ?? 'resource';
}

function parseBody(text: string | null | undefined): unknown {
  if (text === undefined || text === null || text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// Messages carry what the service said; cli.ts redacts every output (secrets in an echoed header too).
function httpFailure(details: RemoteErrorDetails, answer: TransportResponse): RemoteError {
  const error = (answer.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
  const text = typeof answer.body === 'string' ? answer.body.slice(0, 500) : undefined;
  return new RemoteError(
    {
      ...details,
      status: answer.status,
      requestId: answer.headers['x-ms-request-id'],
      serviceCode: typeof error?.code === 'string' ? error.code : undefined,
      serviceMessage: (typeof error?.message === 'string' ? error.message : (text ?? '')) || undefined,
    },
    hintFor(answer.status),
  );
}

function transportFailure(details: RemoteErrorDetails, error: unknown): RemoteError {
  const e = error as { name?: string; code?: string; message?: string; statusCode?: number };
  const credential = /Credential|Authentication/i.test(e.name ?? '');
  const first = String(e.message ?? error)
    .split('\n')[0]
    ?.slice(0, 500);
  return new RemoteError(
    {
      ...details,
      operation: credential ? `${details.operation} (getting a token)` : details.operation,
      serviceCode: e.code ?? e.name,
      serviceMessage: first,
    },
    credential
      ? 'Sign in with `az login` (or azure/login in GitHub Actions), or set SENTINEL_ACCESS_TOKEN to a bearer token for the ARM endpoint.'
      : "The request failed without an answer after the SDK pipeline's retries: check armEndpoint and the network, then run again.",
  );
}

export function hintFor(status: number): string | undefined {
  if (status === 401)
    return 'The token was refused: run `az login` again, or refresh SENTINEL_ACCESS_TOKEN (it must be for the ARM endpoint of this workspace).';
  if (status === 403)
    return 'The identity lacks permission: it needs the Microsoft Sentinel Contributor role on the workspace (or its resource group).';
  if (status === 429)
    return "Still throttled after the pipeline's retries: run again later, lower --concurrency, or raise SENTINEL_MAX_RETRIES.";
  if (status >= 500) return "The service failed after the pipeline's retries: run again; nothing already written is written twice.";
  return undefined;
}
