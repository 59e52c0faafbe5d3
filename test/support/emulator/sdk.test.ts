// Compatibility: the real @azure/arm-securityinsight client (and its core-rest-pipeline) against the emulator.
import { SecurityInsights, type ScheduledAlertRule } from '@azure/arm-securityinsight';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './server.ts';
import { RG, SUB, WS, scheduledRule } from './test-client.ts';

let emulator: Emulator;
let sdk: SecurityInsights;

beforeAll(async () => {
  emulator = await startEmulator({ pageSize: { alertRules: 3 } });
  sdk = new SecurityInsights(emulator.credential, SUB, {
    endpoint: emulator.url,
    apiVersion: '2025-09-01',
    retryOptions: { maxRetries: 3, retryDelayInMs: 1, maxRetryDelayInMs: 5 },
  });
});
afterAll(() => emulator.close());

// The typed model's flat shape of a valid rule body (test-client's scheduledRule is the REST shape).
const rule = (displayName: string): ScheduledAlertRule =>
  ({
    kind: 'Scheduled',
    ...scheduledRule({ displayName, query: 'DeviceNetworkEvents | take 1', tactics: ['InitialAccess'], techniques: ['T1190'] }).properties,
  }) as ScheduledAlertRule;

describe('@azure/arm-securityinsight against the emulator', () => {
  it('creates, reads and lists alert rules across pages with api-version 2025-09-01, retrying 503/429/dropped connections', async () => {
    emulator.faults.next({ status: 503, retryAfterSeconds: 0 }, { drop: true }, { status: 429, retryAfterSeconds: 0 });
    const created = await sdk.alertRules.createOrUpdate(RG, WS, 'rule-0', rule('Rule 0'));
    expect(created).toMatchObject({
      name: 'rule-0',
      kind: 'Scheduled',
      displayName: 'Rule 0',
      queryFrequency: 'PT1H',
      techniques: ['T1190'],
    });
    expect((created as ScheduledAlertRule).lastModifiedUtc).toBeInstanceOf(Date);
    for (let i = 1; i < 7; i++) await sdk.alertRules.createOrUpdate(RG, WS, `rule-${i}`, rule(`Rule ${i}`));

    const read = (await sdk.alertRules.get(RG, WS, 'rule-3')) as ScheduledAlertRule;
    expect([read.displayName, read.etag]).toEqual(['Rule 3', emulator.state.workspace(SUB, RG, WS).alertRules.get('rule-3')?.etag]);

    const names: string[] = [];
    for await (const r of sdk.alertRules.list(RG, WS)) names.push(r.name ?? '');
    expect(names).toEqual(['rule-0', 'rule-1', 'rule-2', 'rule-3', 'rule-4', 'rule-5', 'rule-6']);

    expect(emulator.count({ method: 'PUT', type: 'alertRules', status: '2xx' })).toBe(7);
    expect(emulator.requests.slice(0, 4).map((r) => r.status)).toEqual([503, 0, 429, 201]); // retried by the pipeline
    expect(emulator.count({ method: 'GET', type: 'alertRules' })).toBe(1 + 3); // one get, three list pages
    expect(new Set(emulator.requests.map((r) => r.apiVersion))).toEqual(new Set(['2025-09-01']));
    // The typed model sent exactly the properties it knows, nested under "properties".
    expect(emulator.requests.find((r) => r.method === 'PUT' && r.name === 'rule-6')?.body).toEqual({
      kind: 'Scheduled',
      properties: { ...rule('Rule 6'), kind: undefined },
    });
  });
});
