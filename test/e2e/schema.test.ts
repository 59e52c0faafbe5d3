// Workspace schema snapshots end to end: `schema pull` with the real @azure packages against the
// emulator (tables, custom _CL tables, saved functions, watchlists with columns), deterministic files;
// validate checks each rule against the snapshot of every workspace it deploys to; plan and deploy
// stop before reading or writing anything when a rule would fail in a selected workspace.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { positionOf, replaceOnce, repoRoot } from '../support/content.ts';
import { seedTable } from '../support/emulator/log-analytics.ts';
import { client } from '../support/emulator/test-client.ts';
import { ruleText, startDeployHarness, SUB, TOKEN, type DeployHarness } from './deploy-harness.ts';

let h: DeployHarness;
const json = <T>(text: string): T => JSON.parse(text) as T;
type Validation = {
  diagnostics: { file: string; line: number; column: number; code: string; severity: string; message: string; hint?: string }[];
};

/** DeviceNetworkEvents as the repository declares it, in the tables API's type spelling. */
const deviceNetworkEvents = json<{ columns: { name: string; type: string }[] }>(
  readFileSync(join(repoRoot, 'schemas/tables/DeviceNetworkEvents.json'), 'utf8'),
).columns.map((c) => ({ name: c.name, type: c.type === 'datetime' ? 'dateTime' : c.type === 'bool' ? 'boolean' : c.type }));
const ws = (name: string) => h.emulator.state.workspace(SUB, 'rg-e2e', `law-${name}`);
const la = (name: string, path: string) =>
  `${h.emulator.url}/subscriptions/${SUB}/resourceGroups/rg-e2e/providers/Microsoft.OperationalInsights/workspaces/law-${name}/${path}?api-version=2025-07-01`;

/** rule-3 reads the custom table, and maps its Score column to nothing but a custom detail. */
const customTableRule = ruleText(3, (t) =>
  replaceOnce(
    replaceOnce(
      replaceOnce(
        t,
        '  DeviceNetworkEvents\n',
        '  MyApp_CL\n  | where Score >= 0\n  | extend DeviceName = Host, RemoteIP = Ip, LocalPort = 443, ActionType = "InboundConnectionAccepted"\n',
      ),
      'customDetails:\n  LocalPort: LocalPort\n',
      'customDetails:\n  LocalPort: LocalPort\n  Score: Score\n',
    ),
    '| project TimeGenerated, DeviceName, RemoteIP, LocalPort\n',
    '| project-away Host, Ip\n',
  ),
);

async function seedWorkspaces(): Promise<void> {
  const call = client(h.emulator, { subscription: SUB });
  // ws-a: everything the rules read, a custom table with Score, a parser, a watchlist made by hand
  seedTable(ws('ws-a'), { name: 'DeviceNetworkEvents', standardColumns: deviceNetworkEvents });
  expect(
    (
      await call('PUT', la('ws-a', 'tables/MyApp_CL'), {
        properties: {
          schema: {
            columns: [
              { name: 'TimeGenerated', type: 'dateTime' },
              { name: 'Host', type: 'string' },
              { name: 'Ip', type: 'string' },
              { name: 'Score', type: 'int' },
            ],
          },
        },
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('PUT', la('ws-a', 'savedSearches/myparser'), {
        properties: {
          category: 'Parsers',
          displayName: 'My parser',
          query: 'MyApp_CL\r\n| where Score > minScore',
          functionAlias: 'MyParser',
          functionParameters: 'minScore:int=0',
        },
      })
    ).status,
  ).toBe(201);
  const watchlists = `${h.emulator.url}/subscriptions/${SUB}/resourceGroups/rg-e2e/providers/Microsoft.OperationalInsights/workspaces/law-ws-a/providers/Microsoft.SecurityInsights/watchlists/vip`;
  expect(
    (
      await call('PUT', watchlists, {
        properties: {
          displayName: 'VIP',
          provider: 'SOC',
          source: 'vip.csv',
          itemsSearchKey: 'UPN',
          contentType: 'text/csv',
          rawContent: 'UPN,Department\nalice@example.invalid,Finance\n',
        },
      })
    ).status,
  ).toBeLessThan(300);
  // ws-b: no Defender data yet; its MyApp_CL has no Score column; Syslog on the Basic plan
  seedTable(ws('ws-b'), { name: 'SigninLogs', standardColumns: [{ name: 'TimeGenerated', type: 'dateTime' }] });
  seedTable(ws('ws-b'), {
    name: 'Syslog',
    plan: 'Basic',
    standardColumns: [
      { name: 'TimeGenerated', type: 'dateTime' },
      { name: 'SyslogMessage', type: 'string' },
    ],
  });
  expect(
    (
      await call('PUT', la('ws-b', 'tables/MyApp_CL'), {
        properties: {
          schema: {
            columns: [
              { name: 'TimeGenerated', type: 'dateTime' },
              { name: 'Host', type: 'string' },
              { name: 'Ip', type: 'string' },
            ],
          },
        },
      })
    ).status,
  ).toBe(201);
}

beforeAll(async () => {
  h = await startDeployHarness({ rules: 2 });
});
afterAll(async () => {
  expect(h.outputs.join('\n')).not.toContain(TOKEN);
  await h.close();
});
beforeEach(async () => {
  h.emulator.reset();
  h.writeWorkspaces([{ name: 'ws-a' }, { name: 'ws-b' }]);
  h.writeRule(1);
  h.writeRule(2);
  h.writeFile('rules/rule-3.yaml', customTableRule);
  await seedWorkspaces();
  h.emulator.clearRequests();
});

describe('schema pull', () => {
  it('writes one deterministic snapshot per workspace (tables, custom columns, functions, watchlists); a second pull changes nothing and writes nothing remote', async () => {
    const first = await h.cli(['schema', 'pull', '--env', 'test', '--format', 'json']);
    expect(first.code).toBe(0);
    const report = json<{
      workspaces: {
        name: string;
        status: string;
        tables: number;
        functions: number;
        watchlists: number;
        changes: { tablesAdded: string[] };
      }[];
    }>(first.stdout);
    expect(report.workspaces.map((w) => [w.name, w.status, w.tables, w.functions, w.watchlists])).toEqual([
      ['ws-a', 'written', 2, 1, 1],
      ['ws-b', 'written', 3, 0, 0],
    ]);
    expect(report.workspaces[1]!.changes.tablesAdded).toEqual(['MyApp_CL', 'SigninLogs', 'Syslog']);

    const a = json<Record<string, any>>(readFileSync(join(h.root, 'schemas/workspaces/ws-a.json'), 'utf8'));
    expect(a).toMatchObject({
      format: 1,
      workspace: 'ws-a',
      environment: 'test',
      source: { resourceGroup: 'rg-e2e', workspace: 'law-ws-a' },
    });
    expect(a.tables.MyApp_CL).toEqual({
      plan: 'Analytics',
      columns: ['TenantId:guid', 'Type:string', '_ResourceId:string', 'TimeGenerated:datetime', 'Host:string', 'Ip:string', 'Score:int'],
    });
    expect(a.tables.DeviceNetworkEvents.columns).toContain('LocalPort:int');
    expect(a.functions).toEqual({ MyParser: { parameters: 'minScore:int=0', body: 'MyApp_CL\n| where Score > minScore' } });
    expect(a.watchlists).toEqual({ vip: { searchKey: 'UPN', columns: ['UPN', 'Department'] } });
    expect(h.writes()).toBe(0);

    const before = ['ws-a', 'ws-b'].map((n) => readFileSync(join(h.root, `schemas/workspaces/${n}.json`), 'utf8'));
    const second = await h.cli(['schema', 'pull', '--env', 'test']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('ws-a: schemas/workspaces/ws-a.json up to date (2 tables, 1 functions, 1 watchlists)');
    expect(second.stdout).toContain('2 workspaces: 0 written, 2 unchanged, 0 failed');
    expect(['ws-a', 'ws-b'].map((n) => readFileSync(join(h.root, `schemas/workspaces/${n}.json`), 'utf8'))).toEqual(before);
    expect(h.writes()).toBe(0);
  });

  it('one workspace failing leaves its snapshot as it was and does not stop the others (exit 1)', async () => {
    await h.cli(['schema', 'pull', '--env', 'test']);
    const before = readFileSync(join(h.root, 'schemas/workspaces/ws-b.json'), 'utf8');
    seedTable(ws('ws-b'), { name: 'AuditLogs', standardColumns: [{ name: 'TimeGenerated', type: 'dateTime' }] });
    seedTable(ws('ws-a'), { name: 'AuditLogs', standardColumns: [{ name: 'TimeGenerated', type: 'dateTime' }] });
    h.emulator.faults.when((r) => r.type === 'tables' && r.workspace === 'law-ws-b', { status: 500 }, 100);
    const run = await h.cli(['schema', 'pull', '--env', 'test']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      'ws-b: not pulled (schemas/workspaces/ws-b.json left as it was): LIST tables on workspace ws-b failed: HTTP 500',
    );
    expect(run.stdout).toMatch(/ws-a: wrote schemas\/workspaces\/ws-a\.json \(3 tables.*\n {2}\+ tables +AuditLogs\n/);
    expect(readFileSync(join(h.root, 'schemas/workspaces/ws-b.json'), 'utf8')).toBe(before);
  });
});

describe("validate, plan and deploy against each workspace's snapshot", () => {
  beforeEach(async () => {
    expect((await h.cli(['schema', 'pull', '--env', 'test'])).code).toBe(0);
    h.emulator.clearRequests();
  });

  it('validate reports, in the rule, what would fail in the workspace it names; the other workspace is clean', async () => {
    const run = await h.cli(['validate', '--format', 'json']);
    expect(run.code).toBe(1);
    const diagnostics = json<Validation>(run.stdout).diagnostics;
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual([
      'rules/rule-1.yaml kql.workspace-table',
      'rules/rule-2.yaml kql.workspace-table',
      'rules/rule-3.yaml kql.workspace',
      'rules/rule-3.yaml kql.workspace-column',
    ]);
    const rule1 = ruleText(1);
    expect(diagnostics[0]).toMatchObject({
      severity: 'error',
      ...positionOf(rule1, '  DeviceNetworkEvents\n', 2),
      message: "workspace ws-b (test) has no table 'DeviceNetworkEvents' (schemas/workspaces/ws-b.json): deploying this rule there fails",
    });
    expect(diagnostics[0]!.hint).toContain('npm run cli -- schema pull --env test --workspace ws-b');
    expect(diagnostics[2]).toMatchObject(positionOf(customTableRule, 'Score >= 0'));
    expect(diagnostics[2]!.message).toMatch(
      /^in workspace ws-b \(test\) \(schemas\/workspaces\/ws-b\.json\): The name 'Score' does not refer to any known column/,
    );
    expect(diagnostics.every((d) => d.message.includes('ws-b'))).toBe(true);
  });

  it('a table the repository does not declare (custom _CL) is known from the snapshots; a Basic-plan table is refused where it is Basic', async () => {
    // without snapshots, MyApp_CL is unknown to the repository-wide analysis
    h.writeFile('rules/rule-3.yaml', ruleText(3));
    h.writeFile(
      'rules/rule-1.yaml',
      ruleText(1, (t) =>
        replaceOnce(
          t,
          '  DeviceNetworkEvents\n',
          '  DeviceNetworkEvents\n  | join kind=leftanti (Syslog | project DeviceName = SyslogMessage) on DeviceName\n',
        ),
      ),
    );
    seedTable(ws('ws-b'), { name: 'DeviceNetworkEvents', standardColumns: deviceNetworkEvents });
    seedTable(ws('ws-a'), {
      name: 'Syslog',
      standardColumns: [
        { name: 'TimeGenerated', type: 'dateTime' },
        { name: 'SyslogMessage', type: 'string' },
      ],
    });
    expect((await h.cli(['schema', 'pull', '--env', 'test'])).code).toBe(0);
    const diagnostics = json<Validation>((await h.cli(['validate', '--format', 'json'])).stdout).diagnostics;
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toEqual([
      "rules/rule-1.yaml kql.workspace-table-plan table 'Syslog' is on the Basic plan in workspace ws-b (test): scheduled analytics rules query Analytics tables only",
    ]);
  });

  it('a workspace function (parser) is known from the snapshot that has it, and missing where the workspace lacks it', async () => {
    h.writeFile('rules/rule-3.yaml', replaceOnce(customTableRule, '  MyApp_CL\n  | where Score >= 0\n', '  MyParser(minScore=1)\n'));
    const diagnostics = json<Validation>((await h.cli(['validate', '--format', 'json'])).stdout).diagnostics.filter(
      (d) => d.file === 'rules/rule-3.yaml',
    );
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      [
        'kql.workspace-function',
        "workspace ws-b (test) has no function 'MyParser' (schemas/workspaces/ws-b.json), and it is not one every workspace has: deploying this rule there fails",
      ],
    ]);
  });

  it('plan and deploy stop before reading or writing anything when a rule would fail in a selected workspace; a selection without it goes ahead', async () => {
    const plan = await h.cli(['plan', '--env', 'test']);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toContain("workspace ws-b (test) has no table 'DeviceNetworkEvents'");
    expect(plan.stderr).toContain('rules/rule-1.yaml');
    const deploy = await h.cli(['deploy', '--env', 'test']);
    expect(deploy.code).toBe(1);
    expect(h.emulator.requests).toEqual([]);

    const onlyA = await h.cli(['plan', '--env', 'test', '--workspace', 'ws-a', '--format', 'json']);
    expect(onlyA.code).toBe(0);
    expect(
      json<{ workspaces: { name: string; changes: { action: string }[] }[] }>(onlyA.stdout).workspaces.map((w) => [
        w.name,
        w.changes.length,
      ]),
    ).toEqual([['ws-a', 4]]);
  });

  it('once the workspace has the table and its snapshot is pulled again, everything is clean', async () => {
    seedTable(ws('ws-b'), { name: 'DeviceNetworkEvents', standardColumns: deviceNetworkEvents });
    const pulled = await h.cli(['schema', 'pull', '--env', 'test', '--workspace', 'ws-b']);
    expect(pulled.stdout).toMatch(/ws-b: wrote schemas\/workspaces\/ws-b\.json \(4 tables.*\n {2}\+ tables +DeviceNetworkEvents\n/);
    // the rule no longer needs the column ws-b's MyApp_CL lacks
    h.writeFile('rules/rule-3.yaml', replaceOnce(replaceOnce(customTableRule, '  Score: Score\n', ''), '  | where Score >= 0\n', ''));
    const run = await h.cli(['validate', '--format', 'json']);
    expect(json<Validation>(run.stdout).diagnostics).toEqual([]);
    expect(run.code).toBe(0);
    expect((await h.cli(['plan', '--env', 'test'])).code).toBe(0);
  });

  it('a snapshot of a workspace that workspaces.yaml no longer lists, or that now points elsewhere, is a warning', async () => {
    h.writeWorkspaces([{ name: 'ws-a', workspace: 'law-moved' }]);
    h.writeFile('rules/rule-3.yaml', ruleText(3));
    const diagnostics = json<Validation>((await h.cli(['validate', '--format', 'json'])).stdout).diagnostics;
    expect(diagnostics.map((d) => `${d.file} ${d.code} ${d.severity}`)).toEqual([
      'schemas/workspaces/ws-a.json workspaces.stale-snapshot warning',
      'schemas/workspaces/ws-b.json workspaces.unknown-snapshot warning',
    ]);
  });
});
