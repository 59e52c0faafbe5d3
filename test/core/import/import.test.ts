// import on portal ARM exports (one rule, several rules, both resource forms), Azure-Sentinel YAML,
// and the inputs it must refuse, each with a message that says where and why.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../scripts/core/errors.ts';
import { importFile } from '../../../scripts/core/import/import.ts';
import { SCHEMA_COMMENT, slugOf } from '../../../scripts/core/import/write-yaml.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), 'utf8');
const imported = (name: string) => importFile(`test/fixtures/import/${name}`, fixture(name));
const value = (text: string) => load(text) as Record<string, any>;

describe('import: portal ARM exports', () => {
  it('one rule (legacy resource form): durations, operator, CRLF, nulls and service defaults back to the rule format', () => {
    const { rules, skipped } = imported('portal-single.json');
    expect(skipped).toEqual([]);
    expect(rules.map((r) => [r.id, r.fileName])).toEqual([['3b2a9c1e-5d4f-4a6b-8c7d-9e0f1a2b3c4d', 'repeated-sign-in-failures-from-one-address.yaml']]);
    const [rule] = rules;
    expect(rule!.text.startsWith(`${SCHEMA_COMMENT}\nid: 3b2a9c1e-5d4f-4a6b-8c7d-9e0f1a2b3c4d\nname: Repeated sign-in failures from one address\ndescription: |\n`)).toBe(true);
    expect(rule!.text).toContain('query: |\n  SigninLogs\n  | where ResultType != "0"\n');
    expect(rule!.text).not.toContain('\r');
    expect(value(rule!.text)).toEqual({
      id: '3b2a9c1e-5d4f-4a6b-8c7d-9e0f1a2b3c4d',
      name: 'Repeated sign-in failures from one address',
      description: 'An address failed to sign in many times within an hour.\nTuning: raise the threshold for shared egress addresses.\n',
      severity: 'Medium',
      requiredDataConnectors: [],
      queryFrequency: '1h',
      queryPeriod: '1d',
      triggerOperator: 'gt',
      triggerThreshold: 0,
      tactics: ['CredentialAccess'],
      relevantTechniques: ['T1110'],
      query: 'SigninLogs\n| where ResultType != "0"\n| summarize Failures = count() by IPAddress, UserPrincipalName\n| where Failures > 20\n',
      entityMappings: [
        { entityType: 'IP', fieldMappings: [{ identifier: 'Address', columnName: 'IPAddress' }] },
        { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'UserPrincipalName' }] },
      ],
      customDetails: { Failures: 'Failures' },
      version: '1.0.0',
      kind: 'Scheduled',
    });
    expect(rule!.notes).toEqual([]);
  });

  it('several rules, both resource forms, NRT, sub-techniques; an action resource is skipped', () => {
    const { rules, skipped } = imported('portal-several.json');
    expect(skipped).toEqual(['test/fixtures/import/portal-several.json resources[1] (Microsoft.OperationalInsights/workspaces/providers/alertRules/actions)']);
    expect(rules.map((r) => [r.id, r.fileName])).toEqual([
      ['c0ffee00-1111-4222-8333-444455556666', 'audit-key-vault-purge-nrt.yaml'],
      ['d00dfeed-aaaa-4bbb-8ccc-ddddeeeeffff', 'rare-process-listening-on-a-high-port.yaml'],
    ]);
    const [nrt, scheduled] = rules.map((r) => value(r.text));
    expect(nrt).toMatchObject({ name: '[Audit] Key vault purge [NRT]', enabled: false, suppressionEnabled: true, suppressionDuration: '1h', kind: 'NRT',
      incidentConfiguration: { createIncident: false }, eventGroupingSettings: { aggregationKind: 'AlertPerResult' }, alertDetailsOverride: { alertDisplayNameFormat: 'Purge on {{Resource}}' } });
    for (const key of ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold']) expect(nrt).not.toHaveProperty(key);
    expect(scheduled).toMatchObject({ queryFrequency: '1d', queryPeriod: '7d', triggerThreshold: 2, relevantTechniques: ['T1571', 'T1205.001'] });
    for (const rule of rules) expect(rule.notes, rule.id).toEqual([]);
  });
});

describe('import: Azure-Sentinel YAML', () => {
  it('a Scheduled rule: GreaterThan → gt, solution keys into metadata, dropped keys noted, id lower case', () => {
    const [rule] = imported('sentinel-scheduled.yaml').rules;
    const v = value(rule!.text);
    expect(v).toMatchObject({ id: '5a6b7c8d-1e2f-4a3b-9c4d-5e6f7a8b9c0d', triggerOperator: 'gt', relevantTechniques: ['T1567.002'], version: '1.0.0', kind: 'Scheduled',
      metadata: { source: { kind: 'Community' }, author: { name: 'Security research' }, support: { tier: 'Community' } } });
    expect(v.tags).toEqual(['Exfiltration', { Schema: 'ASIM', SchemaVersion: '0.1.1' }]);
    expect(rule!.notes).toEqual(expect.arrayContaining(['kind missing: Scheduled', 'threatAnalysisTactics dropped (not deployed)', 'source moved into metadata', 'version missing: 1.0.0']));
    expect(Object.keys(v)).toEqual(['id', 'name', 'description', 'severity', 'requiredDataConnectors', 'queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold',
      'tactics', 'relevantTechniques', 'query', 'entityMappings', 'customDetails', 'eventGroupingSettings', 'version', 'kind', 'tags', 'metadata']);
  });

  it('an NRT rule keeps its version and status and reads as written', () => {
    const [rule] = imported('sentinel-nrt.yaml').rules;
    expect(rule!.fileName).toBe('nrt-privileged-role-assigned-outside-pim.yaml');
    const original = value(fixture('sentinel-nrt.yaml'));
    expect(value(rule!.text)).toEqual(original);
    expect(rule!.notes).toEqual([]);
  });
});

describe('import: refusals', () => {
  it.each([
    ['refuse-broken.json', /refuse-broken\.json: not valid JSON/],
    ['refuse-workbook.json', /refuse-workbook\.json: no alert rule in this template \(it has: Microsoft\.Insights\/workbooks\)/],
    ['refuse-fusion.json', /resources\[0\]: alert rule kind "Fusion" cannot be represented/],
    ['refuse-ml.json', /resources\[0\]: alert rule kind "MLBehaviorAnalytics" cannot be represented/],
    ['refuse-seconds.json', /properties\.queryFrequency "PT5M30S" is not a whole number of minutes/],
    ['refuse-expression.json', /resources\[0\]\.properties\.severity: "\[parameters\('severity'\)\]" is an ARM expression; only the workspace name can be resolved/],
    ['refuse-guid-name.json', /resource name \[guid\(resourceGroup\(\)\.id, 'rule'\)\] cannot be resolved/],
    ['refuse-unknown-key.yaml', /key "playbook" is not part of the rule format/],
    ['refuse-hunting-query.yaml', /not an analytics rule: id, name and query are required/],
  ])('%s', (name, message) => {
    let error: unknown;
    try {
      imported(name);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(message);
  });
});

describe('slugOf', () => {
  it.each([
    ['Inbound connection from an IPsum-listed IP', 'inbound-connection-from-an-ipsum-listed-ip'],
    ['[Audit] Key vault purge [NRT]', 'audit-key-vault-purge-nrt'],
    ['Connexion réseau  — étrange', 'connexion-reseau-etrange'],
    ['???', 'rule'],
  ])('%j → %s', (name, slug) => expect(slugOf(name)).toBe(slug));
});
