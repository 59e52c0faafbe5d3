// How long the transport may take: nothing stays armed after a request failed at the socket level,
// a Retry-After is capped, each attempt is timed, and the command's deadline ends everything.
import { createServer as createTcpServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../scripts/core/errors.ts';
import type { Workspace } from '../../scripts/core/model/workspaces.ts';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { createTransport } from '../../scripts/azure/transport.ts';
import { startEmulator, type Emulator } from '../support/emulator/server.ts';
import { scheduledRule } from '../support/emulator/test-client.ts';

const TOKEN = 'TOKEN-limits-3c1d9e';
let emulator: Emulator;
let resetting: Server;
let closedPort: number;

function workspace(armEndpoint = emulator.url): Workspace {
  return {
    environment: 'test',
    name: 'ws-limits',
    subscriptionId: '00000000-0000-4000-8000-0000000000b1',
    resourceGroup: 'rg-b',
    workspace: 'law-limits',
    armEndpoint,
    apiVersion: '2025-09-01',
    rules: {},
    watchlists: {},
  };
}
const env = (extra: Record<string, string> = {}) => ({
  SENTINEL_ACCESS_TOKEN: TOKEN,
  SENTINEL_MAX_RETRIES: '2',
  SENTINEL_RETRY_DELAY_MS: '1',
  SENTINEL_MAX_RETRY_DELAY_MS: '5',
  ...extra,
});

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN });
  // Accepts, then resets every connection (ECONNRESET during the TLS handshake).
  resetting = createTcpServer((socket) => socket.resetAndDestroy());
  await listen(resetting);
  // A port that was just free: connections to it are refused (ECONNREFUSED).
  const probe = createTcpServer();
  closedPort = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((resolve) => resetting.close(() => resolve()));
});
beforeEach(() => emulator.reset());

const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('transport limits', () => {
  it.each([
    ['refused', () => `https://127.0.0.1:${closedPort}`, 'ECONNREFUSED'],
    ['reset', () => `https://127.0.0.1:${(resetting.address() as AddressInfo).port}`, 'ECONNRESET'],
  ])('a connection %s at the socket fails after the retries and leaves no timer armed', async (_label, endpoint, code) => {
    const before = timers();
    const t = createTransport(workspace(endpoint()), { env: env() });
    const error = await failure(t.request('GET', 'alertRules'));
    expect(error.details.serviceCode).toBe(code);
    expect(error.details.status).toBeUndefined();
    // The SDK's own request timer (120 s) used to stay armed here and keep the process alive.
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('caps a Retry-After at SENTINEL_MAX_RETRY_DELAY_MS (one 429 asking for an hour)', async () => {
    emulator.faults.next({ status: 429, retryAfterSeconds: 3600 });
    const t = createTransport(workspace(), { env: env({ SENTINEL_MAX_RETRY_DELAY_MS: '50' }) });
    const started = Date.now();
    const answer = await t.request('PUT', 'alertRules/capped', { body: scheduledRule() });
    expect(answer.status).toBe(201);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(emulator.requests.map((r) => r.status)).toEqual([429, 201]);
  });

  it('times each attempt: a request without an answer is retried by the pipeline', async () => {
    emulator.faults.next({ delayMs: 1_500 });
    const t = createTransport(workspace(), { env: env(), requestTimeoutMs: 200 });
    const before = timers();
    const answer = await t.request('GET', 'alertRules');
    expect(answer.status).toBe(200);
    expect(emulator.requests.map((r) => r.fault ?? 'none')).toEqual(['delay', 'none']);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('the deadline ends a retry wait at once and fails every later request without sending it', async () => {
    emulator.faults.when(() => true, { status: 429, retryAfterSeconds: 30 }, Infinity);
    const deadline = new AbortController();
    const t = createTransport(workspace(), { env: env({ SENTINEL_MAX_RETRY_DELAY_MS: '60000' }), signal: deadline.signal });
    setTimeout(() => deadline.abort(new Error('the deadline of 1 s (--deadline) passed')), 300);
    const started = Date.now();
    const error = await failure(
      t.request('PUT', 'alertRules/late', { body: scheduledRule(), operation: 'PUT alertRule', resource: 'late' }),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.details).toMatchObject({
      operation: 'PUT alertRule',
      resource: 'late',
      serviceCode: 'Deadline',
      serviceMessage: 'the deadline of 1 s (--deadline) passed',
    });
    expect(error.hint).toContain('--deadline');
    const sent = emulator.requests.length;
    const later = await failure(t.request('GET', 'alertRules'));
    expect(later.details.serviceCode).toBe('Deadline');
    expect(emulator.requests.length).toBe(sent);
  });

  it('the deadline also ends the wait for a long-running watchlist operation', async () => {
    await emulator.close();
    emulator = await startEmulator({ token: TOKEN, provisioningDelayMs: 60_000 });
    const deadline = new AbortController();
    const api = createSentinelApi(workspace(), { env: env(), signal: deadline.signal, poll: { intervalMs: 20_000 } });
    setTimeout(() => deadline.abort(new Error('the deadline passed')), 300);
    const started = Date.now();
    const error = await failure(
      api.putWatchlist('slow', { properties: { displayName: 'Slow', provider: 'test', itemsSearchKey: 'IPAddress', source: 's.csv' } }),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.details).toMatchObject({ operation: 'poll watchlist operation', resource: 'slow', serviceCode: 'Deadline' });
  });
});
