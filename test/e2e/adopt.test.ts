// Adopting a live workspace end to end: rules made in the portal (CRLF, techniques as picked, no entity
// mappings, a template link, a solution's metadata), rules of other kinds and rules another repository
// owns, all in the emulator; `import --from-workspace` writes them nested by table, with a report of what
// was left out and why; after validate and lock, `deploy --adopt` writes only the ownership marks.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metadataName } from '../../scripts/core/compile/metadata.ts';
import { client, scheduledRule } from '../support/emulator/test-client.ts';
import { REPOSITORY, startDeployHarness, SUB, TOKEN, type DeployHarness } from './deploy-harness.ts';

let h: DeployHarness;
const json = <T>(text: string): T => JSON.parse(text) as T;
const scope = `/subscriptions/${SUB}/resourceGroups/rg-e2e/providers/Microsoft.OperationalInsights/workspaces/law-ws-a/providers/Microsoft.SecurityInsights`;
const url = (path: string) => `${h.emulator.url}${scope}/${path}?api-version=2025-09-01`;

const ID = {
  inbound: 'a7c1f0de-1111-4aaa-8bbb-000000000001',
  devices: 'a7c1f0de-1111-4aaa-8bbb-000000000002',
  seconds: 'a7c1f0de-1111-4aaa-8bbb-000000000003',
  theirs: 'a7c1f0de-1111-4aaa-8bbb-000000000004',
  mine: 'a7c1f0de-1111-4aaa-8bbb-000000000005',
  incidents: 'a7c1f0de-1111-4aaa-8bbb-000000000006',
};

async function put(path: string, body: unknown): Promise<void> {
  const answer = await client(h.emulator, { subscription: SUB })('PUT', url(path), body);
  expect(answer.status, JSON.stringify(answer.body)).toBeLessThan(300);
}

/** What a team built by hand in the portal over the years. */
async function seedWorkspace(): Promise<void> {
  await put(
    `alertRules/${ID.inbound}`,
    scheduledRule({
      displayName: 'Inbound connection accepted on a high port',
      description: 'A device accepted an inbound connection.\r\nMade in the portal.\r\n',
      query:
        'DeviceNetworkEvents\r\n| where ActionType == "InboundConnectionAccepted" and LocalPort > 1024\r\n| project TimeGenerated, DeviceName, RemoteIP, LocalPort\r\n',
      severity: 'High',
      tactics: ['InitialAccess', 'Reconnaissance'],
      techniques: ['T1595', 'T1190'],
      suppressionEnabled: true,
      suppressionDuration: 'PT2H',
      entityMappings: [
        { entityType: 'Host', fieldMappings: [{ identifier: 'HostName', columnName: 'DeviceName' }] },
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'RemoteIP' }] },
      ],
      customDetails: { LocalPort: 'LocalPort' },
      alertRuleTemplateName: '0b9ae89d-8cad-461c-808f-0494f70ad5c4',
      templateVersion: '1.0.4',
      incidentConfiguration: {
        createIncident: true,
        groupingConfiguration: {
          enabled: true,
          reopenClosedIncident: false,
          lookbackDuration: 'PT6H',
          matchingMethod: 'Selected',
          groupByEntities: ['Host'],
          groupByAlertDetails: [],
          groupByCustomDetails: [],
        },
      },
    }),
  );
  // the Content hub solution's metadata for it: its version and author come back
  await put('metadata/azuresentinel-solution-ar-inbound', {
    properties: {
      kind: 'AnalyticsRule',
      parentId: `${scope}/alertRules/${ID.inbound}`,
      contentId: '0b9ae89d-8cad-461c-808f-0494f70ad5c4',
      version: '1.0.4',
      source: { kind: 'Solution', name: 'Microsoft Defender XDR' },
      author: { name: 'Microsoft' },
      support: { tier: 'Microsoft' },
    },
  });
  await put(
    `alertRules/${ID.devices}`,
    scheduledRule({
      displayName: 'Internet-facing device seen',
      enabled: false,
      query: 'DeviceInfo\n| where IsInternetFacing\n| project TimeGenerated, DeviceName',
      queryFrequency: 'P1D',
      queryPeriod: 'P1D',
      tactics: ['Discovery'],
      techniques: ['T1046'],
    }),
  );
  await put(
    `alertRules/${ID.seconds}`,
    scheduledRule({ displayName: 'Every five and a half minutes', queryFrequency: 'PT5M30S', queryPeriod: 'PT5M30S' }),
  );
  await put(`alertRules/${ID.theirs}`, scheduledRule({ displayName: 'Owned by the platform team' }));
  await put(`metadata/${metadataName('AnalyticsRule', ID.theirs)}`, {
    properties: {
      kind: 'AnalyticsRule',
      parentId: `${scope}/alertRules/${ID.theirs}`,
      contentId: ID.theirs,
      source: { kind: 'SourceRepository', name: 'platform-org/detections', sourceId: 'platform-org/detections' },
    },
  });
  await put('alertRules/BuiltInFusion', {
    kind: 'Fusion',
    properties: { alertRuleTemplateName: 'f71aba3d-28fb-450b-b192-4e76a83015c8', enabled: true },
  });
  await put(`alertRules/${ID.incidents}`, {
    kind: 'MicrosoftSecurityIncidentCreation',
    properties: { displayName: 'Incidents from Defender for Cloud', enabled: true, productFilter: 'Azure Security Center' },
  });
}

beforeAll(async () => {
  h = await startDeployHarness({ rules: 0 });
});
afterAll(async () => {
  expect(h.outputs.join('\n')).not.toContain(TOKEN);
  await h.close();
});
beforeEach(async () => {
  h.emulator.reset();
  rmSync(join(h.root, 'rules'), { recursive: true, force: true });
  mkdirSync(join(h.root, 'rules'));
  h.writeWorkspaces([{ name: 'ws-a' }]);
  await seedWorkspace();
  h.emulator.clearRequests();
});

describe('import --from-workspace, then deploy --adopt', () => {
  it('writes the live rules nested by table with what was left out and why; deploy --adopt then writes only the marks; the next deploy writes nothing', async () => {
    const imported = await h.cli(['import', '--from-workspace', 'ws-a', '--env', 'test', '--format', 'json']);
    expect(imported.code).toBe(1); // one rule cannot be represented
    const report = json<{
      imported: { file: string; id: string }[];
      skipped: { where: string; reason: string }[];
      refused: { reason: string }[];
    }>(imported.stdout);
    expect(report.imported.map((r) => [r.file, r.id])).toEqual([
      ['rules/devicenetworkevents/inbound-connection-accepted-on-a-high-port.yaml', ID.inbound],
      ['rules/deviceinfo/internet-facing-device-seen.yaml', ID.devices],
    ]);
    expect(report.skipped.map((s) => [s.where, s.reason.replace(/:.*$/s, '')])).toEqual([
      [
        `workspace ws-a alert rule ${ID.theirs} (Owned by the platform team)`,
        "owned by repository 'platform-org/detections' (its ownership mark)",
      ],
      [`workspace ws-a alert rule ${ID.incidents} (Incidents from Defender for Cloud)`, 'Microsoft incident-creation rule'],
      ['workspace ws-a alert rule BuiltInFusion', 'Fusion rule'],
    ]);
    expect(report.refused.map((r) => r.reason)).toEqual([
      expect.stringMatching(new RegExp(`alert rule ${ID.seconds} .*queryFrequency "PT5M30S" is not a whole number of minutes`)),
    ]);
    expect(h.writes()).toBe(0); // reading only

    const inbound = load(readFileSync(join(h.root, report.imported[0]!.file), 'utf8')) as Record<string, unknown>;
    expect(readFileSync(join(h.root, report.imported[0]!.file), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=../../schemas/rule.schema.json',
    );
    expect(inbound).toMatchObject({
      version: '1.0.4',
      alertRuleTemplateName: '0b9ae89d-8cad-461c-808f-0494f70ad5c4',
      templateVersion: '1.0.4',
      relevantTechniques: ['T1595', 'T1190'],
      metadata: { author: { name: 'Microsoft' }, support: { tier: 'Microsoft' } },
    });
    const devices = load(readFileSync(join(h.root, report.imported[1]!.file), 'utf8')) as Record<string, unknown>;
    expect(devices).not.toHaveProperty('entityMappings');
    expect(devices.enabled).toBe(false);

    const validated = await h.cli(['validate', '--format', 'json']);
    expect(json<{ diagnostics: unknown[] }>(validated.stdout).diagnostics).toEqual([]);
    expect((await h.cli(['lock'])).code).toBe(0);

    const plan = json<{ workspaces: { changes: { id: string; action: string; changedFields?: unknown[]; mark: string }[] }[] }>(
      (await h.cli(['plan', '--env', 'test', '--format', 'json'])).stdout,
    );
    expect(plan.workspaces[0]!.changes.filter((c) => c.id !== 'ipsum').map((c) => [c.id, c.action, c.changedFields ?? [], c.mark])).toEqual(
      [
        [ID.inbound, 'update', [], 'create'],
        [ID.devices, 'update', [], 'create'],
      ],
    );
    h.emulator.clearRequests();
    const adopted = await h.cli(['deploy', '--env', 'test', '--adopt']);
    expect(adopted.code).toBe(0);
    expect(h.writes({ type: 'alertRules' })).toBe(0);
    expect(h.writes({ type: 'metadata' })).toBe(3); // two rules' marks, and the new watchlist's
    expect(
      h.emulator.requests
        .filter((r) => r.method === 'PUT' && r.type === 'metadata')
        .map((r) => r.name)
        .sort(),
    ).toEqual(
      [metadataName('AnalyticsRule', ID.inbound), metadataName('AnalyticsRule', ID.devices), metadataName('Watchlist', 'ipsum')].sort(),
    );
    const mark = h.emulator.state.workspace(SUB, 'rg-e2e', 'law-ws-a').metadata.get(metadataName('AnalyticsRule', ID.inbound))!;
    expect(mark.properties).toMatchObject({ version: '1.0.4', source: { kind: 'SourceRepository', name: REPOSITORY } });
    // untouched: what was left out
    expect(
      h.emulator.requests.some(
        (r) => r.method !== 'GET' && [ID.theirs, ID.incidents, ID.seconds, 'BuiltInFusion'].some((id) => r.name?.includes(id)),
      ),
    ).toBe(false);

    h.emulator.clearRequests();
    expect((await h.cli(['deploy', '--env', 'test'])).code).toBe(0);
    expect(h.writes()).toBe(0);
  });

  it('--group-by tactic and none; a second import finds the rules already in the repository and refuses them without --force', async () => {
    const byTactic = json<{ imported: { file: string }[] }>(
      (
        await h.cli([
          'import',
          '--from-workspace',
          'ws-a',
          '--env',
          'test',
          '--group-by',
          'tactic',
          '--out',
          'rules/portal',
          '--format',
          'json',
        ])
      ).stdout,
    );
    expect(byTactic.imported.map((r) => r.file)).toEqual([
      'rules/portal/initial-access/inbound-connection-accepted-on-a-high-port.yaml',
      'rules/portal/discovery/internet-facing-device-seen.yaml',
    ]);
    const again = json<{ imported: unknown[]; refused: { reason: string }[] }>(
      (await h.cli(['import', '--from-workspace', 'ws-a', '--env', 'test', '--group-by', 'none', '--format', 'json'])).stdout,
    );
    expect(again.imported).toEqual([]);
    expect(again.refused.map((r) => r.reason).filter((r) => r.includes('already in'))).toEqual([
      `rule ${ID.inbound} is already in rules/portal/initial-access/inbound-connection-accepted-on-a-high-port.yaml`,
      `rule ${ID.devices} is already in rules/portal/discovery/internet-facing-device-seen.yaml`,
    ]);
    expect(existsSync(join(h.root, 'rules/inbound-connection-accepted-on-a-high-port.yaml'))).toBe(false);
    expect(readdirSync(join(h.root, 'rules')).sort()).toEqual(['portal']);
  });

  it('usage: an unknown workspace, files together with --from-workspace, and no --env are usage errors (exit 2)', async () => {
    expect((await h.cli(['import', '--from-workspace', 'ws-z', '--env', 'test'])).code).toBe(2);
    expect((await h.cli(['import', 'x.json', '--from-workspace', 'ws-a', '--env', 'test'])).code).toBe(2);
    expect((await h.cli(['import', '--from-workspace', 'ws-a'])).code).toBe(2);
    expect(h.emulator.requests).toEqual([]);
  });
});
