import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from './server.ts';
import { client, scheduledRule, SUB, RG, WS } from './test-client.ts';

let emulator: Emulator;
let call: ReturnType<typeof client>;

beforeAll(async () => {
  emulator = await startEmulator({ pageSize: { alertRules: 40 } });
  call = client(emulator);
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

describe('alert rule lifecycle', () => {
  it('creates (201), updates (200, new etag), reads, deletes (200, then 204)', async () => {
    const created = await call('PUT', 'alertRules/rule-1', scheduledRule({ queryFrequency: 'PT60M', queryPeriod: 'PT24H' }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: `/subscriptions/${SUB}/resourceGroups/${RG}/providers/Microsoft.OperationalInsights/workspaces/${WS}/providers/Microsoft.SecurityInsights/alertRules/rule-1`,
      name: 'rule-1',
      type: 'Microsoft.SecurityInsights/alertRules',
      kind: 'Scheduled',
      systemData: { createdByType: 'Application' },
      properties: {
        displayName: 'Inbound connection from an IPsum address',
        queryFrequency: 'PT1H', // written back in the service's canonical form
        queryPeriod: 'P1D',
        lastModifiedUtc: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        eventGroupingSettings: { aggregationKind: 'SingleAlert' }, // filled in by the service
        incidentConfiguration: { createIncident: true },
        entityMappings: null,
      },
    });
    expect(created.headers.get('etag')).toBe(created.body.etag);

    const grouping = { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT300M', matchingMethod: 'AllEntities' };
    const updated = await call(
      'PUT',
      'alertRules/rule-1',
      scheduledRule({ severity: 'High', incidentConfiguration: { createIncident: false, groupingConfiguration: grouping } }),
    );
    expect(updated.status).toBe(200);
    expect(updated.body.etag).not.toBe(created.body.etag);
    expect(updated.body.properties.severity).toBe('High');
    expect(updated.body.properties.incidentConfiguration).toEqual({
      createIncident: false,
      groupingConfiguration: { ...grouping, lookbackDuration: 'PT5H' },
    });
    expect(updated.body.systemData.createdAt).toBe(created.body.systemData.createdAt);

    const read = await call('GET', 'alertRules/rule-1');
    expect([read.status, read.body]).toEqual([200, updated.body]);

    expect((await call('DELETE', 'alertRules/rule-1')).status).toBe(200);
    const gone = await call('GET', 'alertRules/rule-1');
    expect([gone.status, gone.body.error.code]).toEqual([404, 'NotFound']);
    expect((await call('DELETE', 'alertRules/rule-1')).status).toBe(204);
  });

  it('lists 250 rules across pages through nextLink ($skipToken, same api-version)', async () => {
    for (let i = 0; i < 250; i++) {
      expect((await call('PUT', `alertRules/rule-${String(i).padStart(3, '0')}`, scheduledRule())).status).toBe(201);
    }
    const names: string[] = [];
    const sizes: number[] = [];
    let next: string | undefined = 'alertRules';
    while (next) {
      const answer = await call('GET', next);
      expect(answer.status).toBe(200);
      names.push(...answer.body.value.map((r: { name: string }) => r.name));
      sizes.push(answer.body.value.length);
      next = answer.body.nextLink;
      if (next) expect(next).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/subscriptions\/.*\/alertRules\?api-version=2025-09-01&\$skipToken=/);
    }
    expect(sizes).toEqual([40, 40, 40, 40, 40, 40, 10]);
    expect(new Set(names).size).toBe(250);
    expect(names).toEqual([...names].sort());
  });

  it('answers 409 for a stale body etag and 412 for a failed If-Match', async () => {
    const created = await call('PUT', 'alertRules/rule-1', scheduledRule());
    await call('PUT', 'alertRules/rule-1', scheduledRule({ severity: 'Low' }));
    const stale = await call('PUT', 'alertRules/rule-1', { ...scheduledRule(), etag: created.body.etag });
    expect([stale.status, stale.body.error.code]).toEqual([409, 'Conflict']);
    const precondition = await call('DELETE', 'alertRules/rule-1', undefined, { headers: { 'If-Match': created.body.etag } });
    expect(precondition.status).toBe(412);
    expect(emulator.state.workspace(SUB, RG, WS).alertRules.get('rule-1')?.properties.severity).toBe('Low');
  });
});

describe('alert rule validation (400 BadRequest, nothing stored)', () => {
  const longQuery = `T | where x == "${'a'.repeat(10_000)}"`;
  const mapping = (n: number) => ({
    entityType: 'IP',
    fieldMappings: Array.from({ length: n }, () => ({ identifier: 'Address', columnName: 'RemoteIP' })),
  });
  it.each<[string, object, string]>([
    ['missing required property', scheduledRule({ query: undefined }), 'properties.query is required'],
    ['missing suppressionDuration', scheduledRule({ suppressionDuration: undefined }), 'properties.suppressionDuration is required'],
    ['severity not in the enum', scheduledRule({ severity: 'Critical' }), 'properties.severity "Critical" is not one of'],
    ['triggerOperator alias', scheduledRule({ triggerOperator: 'gt' }), 'properties.triggerOperator'],
    ['tactic not in the enum', scheduledRule({ tactics: ['Recon'] }), 'properties.tactics[0]'],
    [
      'entity type not in the enum',
      scheduledRule({ entityMappings: [{ entityType: 'IPAddress', fieldMappings: [{ identifier: 'Address', columnName: 'A' }] }] }),
      'entityType',
    ],
    ['aggregationKind not in the enum', scheduledRule({ eventGroupingSettings: { aggregationKind: 'PerResult' } }), 'aggregationKind'],
    [
      'matchingMethod not in the enum',
      scheduledRule({
        incidentConfiguration: {
          createIncident: true,
          groupingConfiguration: { enabled: true, reopenClosedIncident: false, lookbackDuration: 'PT5H', matchingMethod: 'Some' },
        },
      }),
      'matchingMethod',
    ],
    ['YAML-style duration', scheduledRule({ queryFrequency: '5m' }), 'properties.queryFrequency must be an ISO 8601 duration'],
    ['frequency below 5 minutes', scheduledRule({ queryFrequency: 'PT4M', queryPeriod: 'PT4M' }), 'between 5 minutes'],
    ['period above 14 days', scheduledRule({ queryFrequency: 'P1D', queryPeriod: 'P15D' }), 'properties.queryPeriod must be between'],
    [
      'period shorter than frequency',
      scheduledRule({ queryFrequency: 'PT2H', queryPeriod: 'PT1H' }),
      'greater than or equal to properties.queryFrequency',
    ],
    ['period of 2 days with frequency under 1 hour', scheduledRule({ queryFrequency: 'PT30M', queryPeriod: 'P2D' }), 'at least 1 hour'],
    ['threshold above 10000', scheduledRule({ triggerThreshold: 10_001 }), 'at most 10000'],
    ['query above 10000 characters', scheduledRule({ query: longQuery }), 'at most 10000 characters'],
    ['empty query', scheduledRule({ query: '' }), 'at least 1 character'],
    ['sub-technique in techniques', scheduledRule({ techniques: ['T1059.001'] }), 'T####'],
    [
      'subTechniques on a stable api-version',
      scheduledRule({ subTechniques: ['T1059.001'] }),
      'properties.subTechniques is not a property',
    ],
    ['unknown property', scheduledRule({ requiredDataConnectors: [] }), 'properties.requiredDataConnectors is not a property'],
    ['unknown top-level property', { ...scheduledRule(), tags: {} }, 'body.tags is not a property'],
    ['11 entity mappings', scheduledRule({ entityMappings: Array.from({ length: 11 }, () => mapping(1)) }), 'at most 10 items'],
    ['4 field mappings', scheduledRule({ entityMappings: [mapping(4)] }), 'at most 3 items'],
    ['no field mapping', scheduledRule({ entityMappings: [mapping(0)] }), 'at least 1 item'],
    [
      '21 custom details',
      scheduledRule({ customDetails: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`D${i}`, 'Col'])) }),
      'at most 20 entries',
    ],
    [
      '4 placeholders in the display name',
      scheduledRule({ alertDetailsOverride: { alertDisplayNameFormat: '{{A}} {{B}} {{C}} {{D}}' } }),
      'at most 3 {{column}} placeholders',
    ],
    [
      'NRT on the stable api-version',
      scheduledRule({ queryFrequency: undefined, queryPeriod: undefined, triggerOperator: undefined, triggerThreshold: undefined }, 'NRT'),
      'NRT rules exist only in preview api-versions',
    ],
    ['unknown kind', scheduledRule({}, 'Anomaly'), 'kind "Anomaly" is not one of'],
    ['no kind', { properties: scheduledRule().properties }, 'kind is required'],
  ])('%s', async (_label, body, message) => {
    const answer = await call('PUT', 'alertRules/rule-1', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('BadRequest');
    expect(answer.body.error.message).toContain(message);
    expect((await call('GET', 'alertRules/rule-1')).status).toBe(404);
  });

  it('accepts NRT (without scheduling properties) on a preview api-version only', async () => {
    const nrt = scheduledRule(
      { queryFrequency: undefined, queryPeriod: undefined, triggerOperator: undefined, triggerThreshold: undefined },
      'NRT',
    );
    const preview = { apiVersion: '2024-01-01-preview' };
    expect((await call('PUT', 'alertRules/nrt-1', nrt, preview)).status).toBe(201);
    const scheduling = await call(
      'PUT',
      'alertRules/nrt-2',
      { ...nrt, properties: { ...nrt.properties, queryFrequency: 'PT5M' } },
      preview,
    );
    expect([scheduling.status, scheduling.body.error.message]).toEqual([
      400,
      expect.stringContaining('properties.queryFrequency is not a property'),
    ]);
  });

  it.each([
    ['2025-09-01', 400],
    ['2024-01-01-preview', 400],
    ['2025-07-01-preview', 201],
  ])('subTechniques on api-version %s → %i (the field exists from 2025-07-01-preview)', async (apiVersion, status) => {
    const rule = scheduledRule();
    const answer = await call(
      'PUT',
      'alertRules/sub-1',
      { ...rule, properties: { ...rule.properties, subTechniques: ['T1595.002'] } },
      { apiVersion },
    );
    expect(answer.status).toBe(status);
  });

  it('rejects a query naming a table the workspace does not have, in that workspace only', async () => {
    emulator.rejectQueriesReferencing('law-fresh', ['DeviceNetworkEvents']);
    const rejected = await call('PUT', 'alertRules/rule-1', scheduledRule(), { workspace: 'law-fresh' });
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.message).toMatch(/tables does not exist.*'DeviceNetworkEvents'/);
    expect((await call('PUT', 'alertRules/rule-1', scheduledRule())).status).toBe(201);
  });
});
