import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from './server.ts';
import { client, scheduledRule, scopeOf, SUB, RG, WS } from './test-client.ts';

let emulator: Emulator;
let clock = Date.parse('2026-03-01T00:00:00Z');

async function start(options: EmulatorOptions = {}) {
  emulator = await startEmulator({ now: () => clock, ...options });
  return client(emulator);
}

beforeEach(() => {
  clock = Date.parse('2026-03-01T00:00:00Z');
});

afterEach(async () => {
  await emulator.close();
});

describe('authentication and api-version', () => {
  it.each([
    ['no Authorization header', null, 'AuthenticationFailed'],
    ['a wrong token', 'not-the-token', 'InvalidAuthenticationToken'],
  ])('answers 401 ARM-style for %s, without echoing the token', async (_label, token, code) => {
    const call = await start({ token: 'recognizable-secret-token-4711' });
    const answer = await call('GET', 'alertRules', undefined, { token });
    expect(answer.status).toBe(401);
    expect(answer.body.error.code).toBe(code);
    expect(answer.headers.get('x-ms-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(answer.body)).not.toContain('recognizable-secret-token-4711');
    expect(JSON.stringify(answer.body)).not.toContain('not-the-token');
  });

  it.each([
    [null, 'MissingApiVersionParameter'],
    ['2099-01-01', 'InvalidApiVersionParameter'],
  ])('answers 400 for api-version %s', async (apiVersion, code) => {
    const call = await start();
    const answer = await call('GET', 'alertRules', undefined, { apiVersion });
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe(code);
  });

  it.each(['2025-09-01', '2022-09-01-preview', '2024-01-01-preview'])('accepts api-version %s and records it', async (apiVersion) => {
    const call = await start();
    expect((await call('GET', 'alertRules', undefined, { apiVersion })).status).toBe(200);
    expect(emulator.requests[0]?.apiVersion).toBe(apiVersion);
  });

  it('answers 404 InvalidResourceType outside the emulated types, 400 for OData options and bad JSON', async () => {
    const call = await start();
    expect((await call('GET', 'incidents')).body.error.code).toBe('InvalidResourceType');
    expect((await call('GET', `${emulator.url}/subscriptions/${SUB}/resourceGroups/${RG}`)).status).toBe(404);
    const filtered = await call('GET', "metadata?$filter=properties/kind eq 'AnalyticsRule'");
    expect([filtered.status, filtered.body.error.message]).toEqual([400, expect.stringContaining('$filter')]);
    const bad = await call('PUT', 'alertRules/r1', '{"kind": ');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'InvalidRequestContent']);
  });
});

describe('counters', () => {
  it('records every request with method, type, workspace, name and status', async () => {
    const call = await start();
    await call('PUT', 'alertRules/r1', scheduledRule());
    await call('PUT', 'alertRules/r1', scheduledRule({ severity: 'High' }));
    await call('GET', 'alertRules/missing');
    await call('PUT', 'alertRules/r2', scheduledRule(), { workspace: 'law-other' });
    await call('GET', 'alertRules', undefined, { token: null });
    expect(emulator.count()).toBe(5);
    expect(emulator.count({ method: 'PUT', type: 'alertRules' })).toBe(3);
    expect(emulator.count({ method: 'PUT', type: 'alertRules', workspace: WS, status: '2xx' })).toBe(2);
    expect(emulator.count({ status: 201 })).toBe(2);
    expect(emulator.count({ status: 404 })).toBe(1);
    expect(emulator.count({ status: '4xx' })).toBe(2);
    expect(emulator.count({ workspace: 'LAW-OTHER' })).toBe(1);
    expect(emulator.requests[0]).toMatchObject({
      method: 'PUT',
      type: 'alertRules',
      workspace: WS,
      name: 'r1',
      status: 201,
      body: { kind: 'Scheduled' },
    });
    emulator.clearRequests();
    expect(emulator.count()).toBe(0);
    expect(emulator.state.find(WS)[0]?.alertRules.size).toBe(1);
    emulator.reset();
    expect(emulator.state.all()).toEqual([]);
  });
});

describe('throttling and faults leave state unchanged', () => {
  const rules = () => emulator.state.workspace(SUB, RG, WS).alertRules;

  it('answers 429 + Retry-After when the write bucket is empty, and again accepts writes once it refills', async () => {
    const call = await start({ rateLimit: { writesPerSecond: 1, writeBurst: 2 } });
    expect((await call('PUT', 'alertRules/r1', scheduledRule())).status).toBe(201);
    expect((await call('PUT', 'alertRules/r2', scheduledRule())).status).toBe(201);
    const throttled = await call('PUT', 'alertRules/r3', scheduledRule());
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.body.error.code).toBe('SubscriptionRequestsThrottled');
    expect(rules().has('r3')).toBe(false);
    expect((await call('GET', 'alertRules')).status).toBe(200); // reads have their own bucket
    clock += 1000;
    expect((await call('PUT', 'alertRules/r3', scheduledRule())).status).toBe(201);
    expect(emulator.count({ method: 'PUT', status: 429 })).toBe(1);
  });

  it('answers injected 503/500/429 (with Retry-After when given) before touching state', async () => {
    const call = await start();
    emulator.faults.next({ status: 503, retryAfterSeconds: 2 });
    emulator.faults.when((r) => r.method === 'PUT' && r.type === 'alertRules', { status: 500 }, 2);
    const first = await call('PUT', 'alertRules/r1', scheduledRule());
    expect([first.status, first.headers.get('retry-after'), first.body.error.code]).toEqual([503, '2', 'ServiceUnavailable']);
    expect((await call('GET', 'alertRules')).status).toBe(200); // the rule matches PUTs only
    expect((await call('PUT', 'alertRules/r1', scheduledRule())).status).toBe(500);
    expect((await call('PUT', 'alertRules/r1', scheduledRule())).status).toBe(500);
    expect(rules().size).toBe(0);
    emulator.faults.next({ status: 429, retryAfterSeconds: 0 });
    const throttled = await call('PUT', 'alertRules/r1', scheduledRule());
    expect([throttled.status, throttled.headers.get('retry-after')]).toEqual([429, '0']);
    expect((await call('PUT', 'alertRules/r1', scheduledRule())).status).toBe(201);
    expect(emulator.requests.filter((r) => r.fault === 'status').map((r) => r.status)).toEqual([503, 500, 500, 429]);
  });

  it('drops the connection without an answer, and without a state change', async () => {
    const call = await start();
    emulator.faults.next({ drop: true });
    await expect(call('PUT', 'alertRules/r1', scheduledRule())).rejects.toThrow();
    expect(rules().size).toBe(0);
    expect(emulator.requests[0]).toMatchObject({ status: 0, fault: 'drop' });
    expect((await call('PUT', 'alertRules/r1', scheduledRule())).status).toBe(201);
  });

  it('delays a request and then answers it normally', async () => {
    const call = await start({ latencyMs: 5 });
    emulator.faults.next({ delayMs: 20 });
    expect((await call('PUT', 'alertRules/r1', scheduledRule())).status).toBe(201);
    expect(emulator.requests[0]).toMatchObject({ status: 201, fault: 'delay' });
    expect(rules().has('r1')).toBe(true);
  });

  it('keeps workspaces apart and paths case-insensitive', async () => {
    const call = await start();
    await call('PUT', 'alertRules/Rule-A', scheduledRule());
    const shouting = scopeOf(WS)
      .replace('/resourceGroups/', '/RESOURCEGROUPS/')
      .replace('Microsoft.SecurityInsights', 'MICROSOFT.SECURITYINSIGHTS');
    const got = await call('GET', `${emulator.url}${shouting}/ALERTRULES/rule-a`);
    expect([got.status, got.body.name]).toEqual([200, 'Rule-A']);
    expect((await call('GET', 'alertRules/Rule-A', undefined, { workspace: 'law-other' })).status).toBe(404);
  });
});
