// A local Microsoft Sentinel (Microsoft.SecurityInsights, and the workspace's tables and saved searches
// under Microsoft.OperationalInsights) for end-to-end tests and `npm run emulator`:
// HTTPS on 127.0.0.1, bearer token and api-version required, ARM-style errors, throttling and
// injected faults, and a record of every request so tests can assert exact write counts.
// It models the service where our tool depends on it; it is a test instrument, not a second Sentinel.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TokenCredential } from '../../../scripts/azure/credentials.ts';
import { createLoopbackCertificate, testTls } from '../tls.ts';
import { handleAlertRules } from './alert-rules.ts';
import { ApiError, armError, badRequest } from './errors.ts';
import { faultError, Faults, RateLimiter, type Fault, type RateLimit } from './faults.ts';
import { handleSavedSearches, handleTables, LOG_ANALYTICS_API_VERSIONS } from './log-analytics.ts';
import { handleMetadata } from './metadata.ts';
import { Store, type Ctx, type Reply } from './store.ts';
import { handleOperations, handleWatchlists } from './watchlists.ts';

export type { Fault, RateLimit } from './faults.ts';

export const STABLE_API_VERSION = '2025-09-01';
/** 2025-09-01 plus the preview versions a client may use (the SDK's default, and NRT rules). */
export const API_VERSIONS = [STABLE_API_VERSION, '2022-09-01-preview', '2024-01-01-preview', '2025-07-01-preview'];
export const DEFAULT_TOKEN = 'sentinel-emulator-test-token';

export type ResourceType =
  'alertRules' | 'watchlists' | 'watchlistItems' | 'metadata' | 'operations' | 'tables' | 'savedSearches' | 'other';

export interface RecordedRequest {
  method: string;
  /** URL path without the query. */
  path: string;
  type: ResourceType;
  /** Workspace name from the path (as sent). */
  workspace?: string;
  /** The resource's name for single-resource requests (rule id, alias, item id, metadata name, operation id). */
  name?: string;
  apiVersion?: string;
  /** 0 when the connection was dropped without a response. */
  status: number;
  /** Set when an injected fault (not the rate limiter) decided the answer or delayed it. */
  fault?: 'status' | 'drop' | 'delay';
  /** The parsed JSON body, if any. */
  body?: unknown;
}

export interface EmulatorOptions {
  /** Default: the vitest run's certificate (testTls()) under vitest, else a freshly generated one. */
  tls?: { cert: string; key: string; caFile?: string };
  token?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  latencyMs?: number;
  /** Items per LIST page; default 100 each; tables: all in one page (like the service) unless given. */
  pageSize?: Partial<Record<'alertRules' | 'watchlists' | 'watchlistItems' | 'metadata' | 'tables', number>>;
  /** Token buckets per subscription → 429 + Retry-After; off unless given (missing fields: ARM's figures). */
  rateLimit?: RateLimit;
  /** How long a watchlist PUT/DELETE stays InProgress/Deleting; default 0 (done at once, still answered as an operation). */
  provisioningDelayMs?: number;
  /** False: a PUT on an existing watchlist answers 200 without Azure-AsyncOperation (the spec documents the header on 201 only). */
  updateAsyncHeader?: boolean;
  /** The clock for timestamps, rate limits and provisioning; tests inject one to advance time deterministically. */
  now?: () => number;
  /** Called after each request is answered (or dropped); `npm run emulator` prints a line. */
  onRequest?: (request: RecordedRequest) => void;
}

export interface CountFilter {
  method?: string;
  type?: ResourceType;
  workspace?: string;
  status?: number | '2xx' | '4xx' | '5xx';
}

export interface Emulator {
  /** https://127.0.0.1:<port> */
  url: string;
  token: string;
  /** A credential for Azure SDK clients that answers `token` (valid for an hour from each call). */
  credential: TokenCredential;
  /** PEM file of the certificate, for NODE_EXTRA_CA_CERTS (when known). */
  caFile?: string;
  /** Inspect state: state.workspace(sub, rg, name).alertRules.get(id), state.find(name)… */
  state: Store;
  requests: RecordedRequest[];
  count(filter?: CountFilter): number;
  faults: {
    next(...faults: Fault[]): void;
    when(predicate: (request: RecordedRequest) => boolean, fault: Fault, times?: number): void;
    clear(): void;
  };
  /** PUT alertRule whose query names one of these tables → 400, like a workspace that has no such table yet. */
  rejectQueriesReferencing(workspace: string, tables: string[]): void;
  /** Forget the recorded requests (after seeding, before the part of a test that counts). */
  clearRequests(): void;
  /** Back to empty: state, requests, faults, rate-limit buckets, rejected tables. */
  reset(): void;
  close(): Promise<void>;
}

const SCOPE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/providers\/Microsoft\.SecurityInsights\/(.+?)\/?$/i;
const TYPES: Record<string, ResourceType> = {
  alertrules: 'alertRules',
  watchlists: 'watchlists',
  metadata: 'metadata',
  asyncoperations: 'operations',
  operationresults: 'operations',
};
const LA_SCOPE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.OperationalInsights\/workspaces\/([^/]+)\/(tables|savedSearches)(\/[^/]+)?\/?$/i;
const HANDLERS: Record<ResourceType, ((ctx: Ctx) => Reply) | undefined> = {
  alertRules: handleAlertRules,
  watchlists: handleWatchlists,
  watchlistItems: handleWatchlists,
  metadata: handleMetadata,
  operations: handleOperations,
  tables: handleTables,
  savedSearches: handleSavedSearches,
  other: undefined,
};

function route(pathname: string) {
  const la = LA_SCOPE.exec(pathname);
  if (la) {
    const [subscriptionId, resourceGroup, workspace, collection, one] = la.slice(1) as [string, string, string, string, string | undefined];
    const segments = [collection, ...(one ? [decodeURIComponent(one.slice(1))] : [])];
    return {
      subscriptionId: decodeURIComponent(subscriptionId),
      resourceGroup: decodeURIComponent(resourceGroup),
      workspace: decodeURIComponent(workspace),
      segments,
      type: (collection.toLowerCase() === 'tables' ? 'tables' : 'savedSearches') as ResourceType,
      name: segments[1],
      logAnalytics: true,
    };
  }
  const m = SCOPE.exec(pathname);
  if (!m) return undefined;
  const [subscriptionId, resourceGroup, workspace, rest] = m.slice(1) as [string, string, string, string];
  const segments = rest.split('/').map(decodeURIComponent);
  let type = TYPES[segments[0]?.toLowerCase() ?? ''] ?? 'other';
  if (type === 'watchlists' && segments.length > 2) type = 'watchlistItems';
  const name = segments.length % 2 === 0 ? segments.at(-1) : undefined;
  return {
    subscriptionId: decodeURIComponent(subscriptionId),
    resourceGroup: decodeURIComponent(resourceGroup),
    workspace: decodeURIComponent(workspace),
    segments,
    type,
    name,
    logAnalytics: false,
  };
}

function authenticate(header: string | undefined, token: string): void {
  const challenge = { 'WWW-Authenticate': 'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token"' };
  if (!header) throw new ApiError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", challenge);
  const m = /^Bearer\s+(\S+)$/i.exec(header);
  if (!m)
    throw new ApiError(
      401,
      'AuthenticationFailed',
      "Authentication failed. The 'Authorization' header must be 'Bearer <token>'.",
      challenge,
    );
  // Never echo the token: messages end up in logs.
  if (m[1] !== token) throw new ApiError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', challenge);
}

function checkApiVersion(version: string | null, logAnalytics = false): string {
  if (version === null)
    throw new ApiError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
  const supported = logAnalytics ? LOG_ANALYTICS_API_VERSIONS : API_VERSIONS;
  if (!supported.includes(version)) {
    throw new ApiError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${supported.join(',')}'.`,
    );
  }
  return version;
}

/** The JSON body, or the 400 to answer once the request is authenticated. */
function parseJson(raw: string): { body?: unknown; error?: ApiError } {
  if (raw.trim() === '') return {};
  try {
    return { body: JSON.parse(raw) };
  } catch (error) {
    return {
      error: new ApiError(
        400,
        'InvalidRequestContent',
        `The request content was invalid and could not be deserialized: ${(error as Error).message}`,
      ),
    };
  }
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const tls = options.tls ?? (process.env.TEST_TLS_CERT ? testTls() : await createLoopbackCertificate());
  const token = options.token ?? DEFAULT_TOKEN;
  const now = options.now ?? Date.now;
  const store = new Store();
  const requests: RecordedRequest[] = [];
  const faults = new Faults<RecordedRequest>();
  const limiter = options.rateLimit ? new RateLimiter(options.rateLimit) : undefined;
  const missingTables = new Map<string, Set<string>>();
  const pageSize = { alertRules: 100, watchlists: 100, watchlistItems: 100, metadata: 100, ...options.pageSize };
  let base = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const parsed = parseJson(Buffer.concat(chunks).toString('utf8'));
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    let target: ReturnType<typeof route>;
    try {
      target = route(url.pathname);
    } catch {
      target = undefined; // malformed percent-encoding: answered 404 below
    }
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      type: target?.type ?? 'other',
      workspace: target?.workspace,
      name: target?.name,
      apiVersion: url.searchParams.get('api-version') ?? undefined,
      status: 0,
      body: parsed.body,
    };
    requests.push(record);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      const payload = body === undefined ? '' : JSON.stringify(body);
      const type = payload ? { 'Content-Type': 'application/json; charset=utf-8' } : {};
      res.writeHead(status, { 'x-ms-request-id': randomUUID(), ...type, ...headers });
      res.end(payload);
      options.onRequest?.(record);
    };

    if (options.latencyMs) await sleep(options.latencyMs);
    const fault = faults.take(record);
    if (fault && 'drop' in fault) {
      record.fault = 'drop';
      req.socket.destroy();
      options.onRequest?.(record);
      return;
    }
    if (fault && 'delayMs' in fault) {
      record.fault = 'delay';
      await sleep(fault.delayMs);
    }
    try {
      if (fault && 'status' in fault) {
        record.fault = 'status';
        throw faultError(fault);
      }
      if (fault && 'echoAuthorization' in fault) {
        record.fault = 'status';
        const auth = String(req.headers.authorization ?? '');
        throw new ApiError(fault.echoAuthorization, auth, `You sent ${auth}`, {
          'WWW-Authenticate': `${auth}, error="invalid_token"`,
          ETag: `"${auth}"`,
        });
      }
      authenticate(req.headers.authorization, token);
      const apiVersion = checkApiVersion(url.searchParams.get('api-version'), target?.logAnalytics);
      const unsupported = ['$filter', '$orderby', '$top', '$skip'].find((p) => url.searchParams.has(p));
      if (unsupported) throw badRequest(`The emulator does not implement ${unsupported}; read all pages and filter client-side.`);
      const t = now();
      limiter?.take(target?.subscriptionId ?? '', method, t);
      const handler = target && HANDLERS[target.type];
      if (!target || !handler)
        throw new ApiError(
          404,
          'InvalidResourceType',
          `No Microsoft.SecurityInsights or Microsoft.OperationalInsights resource type the emulator serves matches '${url.pathname}'.`,
        );
      if (parsed.error) throw parsed.error;
      store.settle(t);
      const ws = store.workspace(target.subscriptionId, target.resourceGroup, target.workspace);
      const link = (path: string): string => `${base}${path}?api-version=${apiVersion}`;
      const ctx: Ctx = {
        method,
        segments: target.segments,
        ws,
        body: parsed.body,
        apiVersion,
        preview: apiVersion.endsWith('-preview'),
        skipToken: url.searchParams.get('$skipToken'),
        ifMatch: req.headers['if-match'],
        now: t,
        store,
        pageSize,
        provisioningDelayMs: options.provisioningDelayMs ?? 0,
        updateAsyncHeader: options.updateAsyncHeader ?? true,
        missingTables: missingTables.get(target.workspace.toLowerCase()) ?? new Set(),
        link,
        self: link(url.pathname),
      };
      const answer = handler(ctx);
      reply(answer.status, answer.body, answer.headers);
    } catch (error) {
      if (error instanceof ApiError) reply(error.status, armError(error.code, error.message), error.headers);
      else reply(500, armError('InternalServerError', `Emulator bug: ${(error as Error).message}`));
    }
  }

  const server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    handle(req, res).catch(() => req.socket.destroy()); // the client went away mid-request
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    token,
    credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
    caFile: tls.caFile,
    state: store,
    requests,
    count: (filter = {}) => requests.filter((r) => matches(r, filter)).length,
    faults: {
      next: (...f) => faults.next(...f),
      when: (predicate, fault, times) => faults.when(predicate, fault, times),
      clear: () => faults.clear(),
    },
    rejectQueriesReferencing(workspace, tables) {
      const set = missingTables.get(workspace.toLowerCase()) ?? new Set();
      for (const table of tables) set.add(table);
      missingTables.set(workspace.toLowerCase(), set);
    },
    clearRequests: () => void (requests.length = 0),
    reset() {
      store.clear();
      requests.length = 0;
      faults.clear();
      limiter?.reset();
      missingTables.clear();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function matches(r: RecordedRequest, f: CountFilter): boolean {
  if (f.method !== undefined && r.method !== f.method.toUpperCase()) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  if (f.workspace !== undefined && r.workspace?.toLowerCase() !== f.workspace.toLowerCase()) return false;
  if (typeof f.status === 'number') return r.status === f.status;
  if (typeof f.status === 'string') return r.status !== 0 && String(r.status)[0] === f.status[0];
  return true;
}
