// The Log Analytics reads of `schema pull` with the real @azure/arm-operationalinsights against the
// emulator: tables (standard and custom columns, plan, paging), saved searches (functions), and
// failures mapped to RemoteError with status and request id, no token in any message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogAnalyticsApi } from '../../scripts/azure/log-analytics.ts';
import { RemoteError } from '../../scripts/core/errors.ts';
import type { Workspace } from '../../scripts/core/model/workspaces.ts';
import { seedTable } from '../support/emulator/log-analytics.ts';
import { startEmulator, type Emulator } from '../support/emulator/server.ts';
import { client } from '../support/emulator/test-client.ts';

const TOKEN = 'TOKEN-log-analytics-never-printed-5d1e';
const SUB = '00000000-0000-4000-8000-0000000000b1';
const FAST = { SENTINEL_MAX_RETRIES: '3', SENTINEL_RETRY_DELAY_MS: '1', SENTINEL_MAX_RETRY_DELAY_MS: '5' };
let emulator: Emulator;

const workspace = (): Workspace => ({
  environment: 'test',
  name: 'ws-la',
  subscriptionId: SUB,
  resourceGroup: 'rg-la',
  workspace: 'law-la',
  armEndpoint: emulator.url,
  apiVersion: '2025-09-01',
  rules: {},
  watchlists: {},
});
const api = () => createLogAnalyticsApi(workspace(), { env: { SENTINEL_ACCESS_TOKEN: TOKEN, ...FAST } });
const la = (path: string) =>
  `${emulator.url}/subscriptions/${SUB}/resourceGroups/rg-la/providers/Microsoft.OperationalInsights/workspaces/law-la/${path}?api-version=2025-07-01`;

beforeAll(async () => {
  emulator = await startEmulator({ token: TOKEN, pageSize: { tables: 2 } });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

describe('LogAnalyticsApi', () => {
  it('lists every table over every page, standard columns then custom ones, with the plan', async () => {
    const ws = emulator.state.workspace(SUB, 'rg-la', 'law-la');
    seedTable(ws, {
      name: 'SigninLogs',
      standardColumns: [
        { name: 'TimeGenerated', type: 'dateTime' },
        { name: 'UserPrincipalName', type: 'string' },
      ],
    });
    seedTable(ws, {
      name: 'Syslog',
      plan: 'Basic',
      standardColumns: [
        { name: 'TimeGenerated', type: 'dateTime' },
        { name: 'SyslogMessage', type: 'string' },
      ],
    });
    const call = client(emulator, { subscription: SUB });
    const put = await call('PUT', la('tables/MyApp_CL'), {
      properties: {
        schema: {
          name: 'MyApp_CL',
          columns: [
            { name: 'TimeGenerated', type: 'dateTime' },
            { name: 'Score', type: 'int' },
            { name: 'Ok', type: 'boolean' },
          ],
        },
      },
    });
    expect(put.status).toBe(201);
    expect(
      (await call('PUT', la('tables/NotCustom'), { properties: { schema: { columns: [{ name: 'A', type: 'string' }] } } })).status,
    ).toBe(400);

    const tables = await api().listTables();
    expect(tables.map((t) => [t.name, t.plan, t.columns.map((c) => `${c.name}:${c.type}`).join(' ')])).toEqual([
      ['MyApp_CL', 'Analytics', 'TenantId:guid Type:string _ResourceId:string TimeGenerated:dateTime Score:int Ok:boolean'],
      ['SigninLogs', 'Analytics', 'TimeGenerated:dateTime UserPrincipalName:string'],
      ['Syslog', 'Basic', 'TimeGenerated:dateTime SyslogMessage:string'],
    ]);
    expect(emulator.count({ method: 'GET', type: 'tables' })).toBe(2); // two pages of two
    expect(new Set(emulator.requests.filter((r) => r.type === 'tables').map((r) => r.apiVersion))).toEqual(new Set(['2025-07-01']));
  });

  it('lists saved searches; only those with a function alias carry one', async () => {
    const call = client(emulator, { subscription: SUB });
    await call('PUT', la('savedSearches/parser1'), {
      properties: {
        category: 'Parsers',
        displayName: 'My parser',
        query: 'MyApp_CL\r\n| where Score > 0',
        functionAlias: 'MyParser',
        functionParameters: 'minScore:int=0',
      },
    });
    await call('PUT', la('savedSearches/query1'), {
      properties: { category: 'Hunting', displayName: 'Just a query', query: 'SigninLogs | take 1' },
    });
    expect((await call('PUT', la('savedSearches/bad'), { properties: { category: 'x', displayName: 'x' } })).status).toBe(400);
    expect(await api().listSavedSearches()).toEqual([
      { functionAlias: 'MyParser', functionParameters: 'minScore:int=0', query: 'MyApp_CL\r\n| where Score > 0' },
      { query: 'SigninLogs | take 1' },
    ]);
  });

  it('a refusal becomes a RemoteError with the operation, workspace, status, request id and a hint; no token in it', async () => {
    const wrong = 'WRONG-token-also-never-printed-0c4b';
    const error = await createLogAnalyticsApi(workspace(), { env: { SENTINEL_ACCESS_TOKEN: wrong, ...FAST } })
      .listSavedSearches()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(RemoteError);
    const remote = error as RemoteError;
    expect(remote.message).toMatch(
      /^LIST savedSearches on workspace ws-la failed: HTTP 401 InvalidAuthenticationToken: The access token is invalid\. \[request id [0-9a-f-]{36}\]$/,
    );
    expect(remote.hint).toContain('The token was refused');
    expect(`${remote.message} ${remote.hint} ${JSON.stringify(remote.details)}`).not.toContain(TOKEN);
    expect(`${remote.message} ${remote.hint} ${JSON.stringify(remote.details)}`).not.toContain(wrong);
  });

  it('retries 429 and 5xx through the SDK pipeline', async () => {
    seedTable(emulator.state.workspace(SUB, 'rg-la', 'law-la'), {
      name: 'SigninLogs',
      standardColumns: [{ name: 'TimeGenerated', type: 'dateTime' }],
    });
    emulator.faults.next({ status: 429, retryAfterSeconds: 0 }, { status: 503 });
    expect((await api().listTables()).map((t) => t.name)).toEqual(['SigninLogs']);
    expect(emulator.count({ type: 'tables' })).toBe(3);
  });
});
