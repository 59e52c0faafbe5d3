// The transport and SentinelApi against the emulator with the real @azure packages: exact bodies,
// paging, retries by the pipeline, ARM errors mapped to RemoteError, and no token in any message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RemoteError } from '../../scripts/core/errors.ts';
import type { Workspace } from '../../scripts/core/model/workspaces.ts';
import { createSentinelApi } from '../../scripts/azure/sentinel.ts';
import { createTransport } from '../../scripts/azure/transport.ts';
import { startEmulator, type Emulator } from '../support/emulator/server.ts';
import { scheduledRule } from '../support/emulator/test-client.ts';

const TOKEN = 'TOKEN-must-never-appear-7f3a9c';
const FAST = { SENTINEL_MAX_RETRIES: '4', SENTINEL_RETRY_DELAY_MS: '1', SENTINEL_MAX_RETRY_DELAY_MS: '5' };
let emulator: Emulator;

function workspace(overrides: Partial<Workspace> = {}): Workspace {
  return {
    environment: 'test',
    name: 'ws-a',
    subscriptionId: '00000000-0000-4000-8000-0000000000a1',
    resourceGroup: 'rg-a',
    workspace: 'law-a',
    armEndpoint: emulator.url,
    apiVersion: '2025-09-01',
    rules: {},
    watchlists: {},
    ...overrides,
  };
}
const env = (token = TOKEN) => ({ SENTINEL_ACCESS_TOKEN: token, ...FAST });

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN, pageSize: { alertRules: 2, metadata: 2, watchlists: 1 } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

async function failure(promise: Promise<unknown>): Promise<RemoteError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RemoteError);
  return error as RemoteError;
}

describe('transport', () => {
  it('sends the body byte for byte (a field the SDK model lacks survives) and lists every page', async () => {
    const t = createTransport(workspace(), { env: env() });
    for (const n of [1, 2, 3, 4, 5]) {
      const body = scheduledRule({
        displayName: `Rule ${n}`,
        alertDetailsOverride: { alertDynamicProperties: [{ alertProperty: 'ProductName', value: 'X' }] },
      });
      const answer = await t.request('PUT', `alertRules/r${n}`, { body });
      expect(answer.status).toBe(201);
      expect(emulator.requests.at(-1)?.body).toEqual(body);
    }
    const all = await t.listAll<{ name: string }>('alertRules');
    expect(all.map((r) => r.name)).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(emulator.count({ method: 'GET', type: 'alertRules' })).toBe(3);
    expect(new Set(emulator.requests.map((r) => r.apiVersion))).toEqual(new Set(['2025-09-01']));
  });

  it('uses the workspace api-version (a preview one for NRT)', async () => {
    const t = createTransport(workspace({ apiVersion: '2025-07-01-preview' }), { env: env() });
    await t.request('PUT', 'alertRules/nrt', {
      body: scheduledRule(
        { queryFrequency: undefined, queryPeriod: undefined, triggerOperator: undefined, triggerThreshold: undefined },
        'NRT',
      ),
    });
    expect(emulator.requests.at(-1)).toMatchObject({ status: 201, apiVersion: '2025-07-01-preview' });
  });

  it.each([
    ['503 with Retry-After', { status: 503 as const, retryAfterSeconds: 0 }],
    ['429 with Retry-After', { status: 429 as const, retryAfterSeconds: 0 }],
    ['500', { status: 500 as const }],
    ['a dropped connection', { drop: true as const }],
  ])('retries %s in the pipeline and succeeds', async (_label, fault) => {
    emulator.faults.next(fault, fault);
    const t = createTransport(workspace(), { env: env() });
    const answer = await t.request('PUT', 'alertRules/retried', { body: scheduledRule() });
    expect(answer.status).toBe(201);
    const failed = 'status' in fault ? fault.status : 0;
    expect(emulator.requests.map((r) => r.status)).toEqual([failed, failed, 201]);
  });

  it('maps a 400 to RemoteError with operation, workspace, resource, code, message and request id', async () => {
    const t = createTransport(workspace(), { env: env() });
    const error = await failure(
      t.request('PUT', 'alertRules/bad', { body: scheduledRule({ queryFrequency: 'PT1M' }), operation: 'PUT alertRule', resource: 'bad' }),
    );
    expect(error.details).toMatchObject({
      operation: 'PUT alertRule',
      workspace: 'ws-a',
      resource: 'bad',
      status: 400,
      serviceCode: 'BadRequest',
    });
    expect(error.details.serviceMessage).toContain('queryFrequency');
    expect(error.details.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives up after maxRetries and reports the last 503', async () => {
    emulator.faults.when(() => true, { status: 503, retryAfterSeconds: 0 }, Infinity);
    const t = createTransport(workspace(), { env: env() });
    const error = await failure(t.request('GET', 'alertRules'));
    expect(error.details.status).toBe(503);
    expect(emulator.requests).toHaveLength(5); // 1 + SENTINEL_MAX_RETRIES
  });

  it('never shows the token: a refused token (401) names neither it nor the header', async () => {
    const wrong = 'WRONG-TOKEN-also-secret-55d1';
    const t = createTransport(workspace(), { env: env(wrong) });
    const error = await failure(t.request('GET', 'alertRules'));
    expect(error.details).toMatchObject({ status: 401, serviceCode: 'InvalidAuthenticationToken' });
    const shown = `${error.message}\n${error.hint}\n${JSON.stringify(error.details)}\n${error.stack}`;
    expect(shown).not.toContain(wrong);
    expect(shown).not.toContain(TOKEN);
  });

  it('refuses to follow a link to another host (the token would go there)', async () => {
    const t = createTransport(workspace(), { env: env() });
    const error = await failure(t.request('GET', 'https://example.invalid/subscriptions/x'));
    expect(error.message).toContain('https://example.invalid');
    expect(emulator.requests).toHaveLength(0);
  });

  it('answers an allowed status without throwing', async () => {
    const t = createTransport(workspace(), { env: env() });
    const answer = await t.request('GET', 'alertRules/none', { allow: [404] });
    expect(answer).toMatchObject({ status: 404, body: { error: { code: 'NotFound' } } });
  });
});

describe('SentinelApi', () => {
  it('rules and metadata: put, list across pages, delete', async () => {
    const api = createSentinelApi(workspace(), { env: env() });
    const stored = await api.putAlertRule('rule-1', scheduledRule());
    expect(stored).toMatchObject({
      name: 'rule-1',
      kind: 'Scheduled',
      properties: { displayName: scheduledRule().properties.displayName },
    });
    await api.putAlertRule('rule-2', scheduledRule());
    await api.putAlertRule('rule-3', scheduledRule());
    await api.deleteAlertRule('rule-2');
    expect((await api.listAlertRules()).map((r) => r.name)).toEqual(['rule-1', 'rule-3']);
    for (const n of ['a', 'b', 'c']) await api.putMetadata(`m-${n}`, { properties: { kind: 'AnalyticsRule', parentId: `/x/${n}` } });
    await api.deleteMetadata('m-b');
    expect((await api.listMetadata()).map((m) => [m.name, m.properties.parentId])).toEqual([
      ['m-a', '/x/a'],
      ['m-c', '/x/c'],
    ]);
  });

  it('watchlists: a long-running PUT is polled until Succeeded; get of a missing one is undefined', async () => {
    const slow = await startEmulator({ token: TOKEN, provisioningDelayMs: 150 });
    try {
      const api = createSentinelApi(workspace({ armEndpoint: slow.url }), { env: env(), poll: { intervalMs: 40 } });
      expect(await api.getWatchlist('ipsum')).toBeUndefined();
      const body = {
        properties: {
          displayName: 'IPsum',
          provider: 'tests',
          source: 'ipsum.csv',
          itemsSearchKey: 'IPAddress',
          rawContent: 'IPAddress,Score\n1.2.3.4,5\n',
          contentType: 'text/csv',
        },
      };
      const live = await api.putWatchlist('ipsum', body);
      expect(live).toMatchObject({ alias: 'ipsum', provisioningState: 'Succeeded', properties: { displayName: 'IPsum' } });
      expect(slow.count({ type: 'operations' })).toBeGreaterThanOrEqual(2); // polled while InProgress
      expect((await api.listWatchlists()).map((w) => w.alias)).toEqual(['ipsum']);
    } finally {
      await slow.close();
    }
  });

  it('watchlists: a bulk update answered 200 without Azure-AsyncOperation is followed through its provisioningState', async () => {
    const slow = await startEmulator({ token: TOKEN, provisioningDelayMs: 150, updateAsyncHeader: false });
    try {
      const api = createSentinelApi(workspace({ armEndpoint: slow.url }), { env: env(), poll: { intervalMs: 40 } });
      const body = {
        properties: {
          displayName: 'IPsum',
          provider: 'tests',
          source: 'ipsum.csv',
          itemsSearchKey: 'IPAddress',
          rawContent: 'IPAddress,Score\n1.2.3.4,5\n',
          contentType: 'text/csv',
        },
      };
      await api.putWatchlist('ipsum', body);
      slow.clearRequests();
      const live = await api.putWatchlist('ipsum', { properties: { ...body.properties, rawContent: 'IPAddress,Score\n5.6.7.8,6\n' } });
      expect(live).toMatchObject({ alias: 'ipsum', provisioningState: 'Succeeded' });
      expect(slow.requests.map((r) => `${r.method} ${r.type} ${r.status}`)).toEqual(
        expect.arrayContaining(['PUT watchlists 200', 'GET watchlists 200']),
      );
      expect(slow.count({ type: 'operations' })).toBe(0);
      expect((await api.listWatchlistItems('ipsum')).map((i) => i.itemsKeyValue.IPAddress).sort()).toEqual(['1.2.3.4', '5.6.7.8']);
    } finally {
      await slow.close();
    }
  });
});
