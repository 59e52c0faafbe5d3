// import on portal ARM exports (one rule, several rules, both resource forms), Azure-Sentinel YAML,
// and the inputs it must refuse, each with a message that says where and why.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../../scripts/core/errors.ts';
import { importFile } from '../../../scripts/core/import/import.ts';
import { SCHEMA_COMMENT, slugOf } from '../../../scripts/core/import/write-yaml.ts';
import { jsonParseError } from '../../support/json-error.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/import/${name}`, import.meta.url), 'utf8');
const imported = (name: string) => importFile(`test/fixtures/import/${name}`, fixture(name));
const value = (text: string) => load(text) as Record<string, any>;

describe('import: portal ARM exports', () => {
  it('one rule (legacy resource form): durations, operator, CRLF, nulls and service defaults back to the rule format', () => {
    const { rules, skipped } = imported('portal-single.json');
    expect(skipped).toEqual([]);
    expect(rules.map((r) => [r.id, r.fileName])).toEqual([
      ['3b2a9c1e-5d4f-4a6b-8c7d-9e0f1a2b3c4d', 'repeated-sign-in-failures-from-one-address.yaml'],
    ]);
    const [rule] = rules;
    expect(
      rule!.text.startsWith(
        `${SCHEMA_COMMENT}\nid: 3b2a9c1e-5d4f-4a6b-8c7d-9e0f1a2b3c4d\nname: Repeated sign-in failures from one address\ndescription: |\n`,
      ),
    ).toBe(true);
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
      query:
        'SigninLogs\n| where ResultType != "0"\n| summarize Failures = count() by IPAddress, UserPrincipalName\n| where Failures > 20\n',
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
    expect(skipped).toEqual([
      {
        where: 'test/fixtures/import/portal-several.json resources[1]',
        reason: 'Microsoft.OperationalInsights/workspaces/providers/alertRules/actions: not an alert rule',
      },
    ]);
    expect(rules.map((r) => [r.id, r.fileName])).toEqual([
      ['c0ffee00-1111-4222-8333-444455556666', 'audit-key-vault-purge-nrt.yaml'],
      ['d00dfeed-aaaa-4bbb-8ccc-ddddeeeeffff', 'rare-process-listening-on-a-high-port.yaml'],
    ]);
    const [nrt, scheduled] = rules.map((r) => value(r.text));
    expect(nrt).toMatchObject({
      name: '[Audit] Key vault purge [NRT]',
      enabled: false,
      suppressionEnabled: true,
      suppressionDuration: '1h',
      kind: 'NRT',
      incidentConfiguration: { createIncident: false },
      eventGroupingSettings: { aggregationKind: 'AlertPerResult' },
      alertDetailsOverride: { alertDisplayNameFormat: 'Purge on {{Resource}}' },
    });
    for (const key of ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold']) expect(nrt).not.toHaveProperty(key);
    expect(scheduled).toMatchObject({
      queryFrequency: '1d',
      queryPeriod: '7d',
      triggerThreshold: 2,
      relevantTechniques: ['T1571', 'T1205.001'],
    });
    for (const rule of rules) expect(rule.notes, rule.id).toEqual([]);
  });
});

describe('import: a workspace export, rule by rule', () => {
  it('other kinds and resources are skipped with their reason, a rule that cannot be read is refused alone, the others are imported', () => {
    const { rules, skipped, refused } = imported('portal-workspace.json');
    const at = (i: number) => `test/fixtures/import/portal-workspace.json resources[${i}]`;
    expect(skipped.map((s) => [s.where, s.reason.replace(/:.*$/s, '')])).toEqual([
      [at(0), 'Fusion rule'],
      [at(2), 'Microsoft incident-creation rule'],
      [at(4), 'ML behavior analytics rule'],
      [at(6), 'Microsoft Threat Intelligence rule'],
      [at(7), 'Microsoft.Logic/workflows'],
    ]);
    expect(refused).toEqual([
      {
        where: at(5),
        reason: `${at(5)}.properties.severity: "[parameters('severity')]" is an ARM expression; only the workspace name can be resolved`,
        hint: expect.any(String),
      },
    ]);
    expect(rules.map((r) => r.id)).toEqual([
      'a1b2c3d4-0001-4000-8000-00000000a001',
      'a1b2c3d4-0002-4000-8000-00000000a002',
      'a1b2c3d4-0004-4000-8000-00000000a004',
    ]);
    const [noEntities, reRaised, privileged] = rules.map((r) => value(r.text));
    // entityMappings: null → no key (not an invalid []), and the rule schema has nothing to object to
    expect(noEntities).not.toHaveProperty('entityMappings');
    expect(rules[0]!.notes).toEqual([]);
    expect(reRaised).toMatchObject({
      sentinelEntitiesMappings: [{ columnName: 'Entities' }],
      alertRuleTemplateName: '0b9ae89d-8cad-461c-808f-0494f70ad5c4',
      templateVersion: '1.0.4',
    });
    expect(reRaised).not.toHaveProperty('entityMappings');
    expect(rules[1]!.notes).toEqual([
      'startTimeUtc "2024-05-01T08:00:00Z" dropped: a preview-only first-run time; the rule runs on its schedule from when it is deployed',
    ]);
    expect(privileged!.entityMappings).toEqual([
      { entityType: 'Account', fieldMappings: [{ identifier: 'FullName', columnName: 'Actor' }] },
    ]);
  });

  it('one Fusion rule at index 0 of a 32-rule export does not refuse the other 31', () => {
    const template = JSON.parse(fixture('portal-workspace.json')) as { resources: Record<string, any>[] };
    const [fusion, scheduled] = [template.resources[0]!, template.resources[8]!];
    const many = [
      fusion,
      ...Array.from({ length: 31 }, (_, i) => {
        const id = `a1b2c3d4-1000-4000-8000-${String(i).padStart(12, '0')}`;
        return {
          ...scheduled,
          name: `[concat(parameters('workspace'),'/Microsoft.SecurityInsights/${id}')]`,
          properties: { ...scheduled.properties, displayName: `Rule ${i}` },
        };
      }),
    ];
    const result = importFile('many.json', JSON.stringify({ ...template, resources: many }));
    expect([result.rules.length, result.skipped.map((s) => s.where), result.refused]).toEqual([31, ['many.json resources[0]'], []]);
  });

  it('a template with only rules of other kinds: everything skipped, nothing refused', () => {
    expect(imported('skip-fusion.json')).toMatchObject({
      rules: [],
      refused: [],
      skipped: [
        {
          where: 'test/fixtures/import/skip-fusion.json resources[0]',
          reason:
            "Fusion rule: Microsoft's built-in multistage-attack correlation, only switched on or off (and replaced by Defender XDR correlation in the Defender portal); not content this repository writes",
        },
      ],
    });
    expect(imported('skip-ml.json').skipped.map((s) => s.reason)).toEqual([
      'ML behavior analytics rule: a built-in Microsoft model, only switched on or off, in preview api-versions only; not content this repository writes',
    ]);
  });
});

describe('import: Azure-Sentinel YAML', () => {
  it('a Scheduled rule: GreaterThan → gt, solution keys into metadata, dropped keys noted, id lower case', () => {
    const [rule] = imported('sentinel-scheduled.yaml').rules;
    const v = value(rule!.text);
    expect(v).toMatchObject({
      id: '5a6b7c8d-1e2f-4a3b-9c4d-5e6f7a8b9c0d',
      triggerOperator: 'gt',
      relevantTechniques: ['T1567.002'],
      version: '1.0.0',
      kind: 'Scheduled',
      metadata: { source: { kind: 'Community' }, author: { name: 'Security research' }, support: { tier: 'Community' } },
    });
    expect(v.tags).toEqual(['Exfiltration', { Schema: 'ASIM', SchemaVersion: '0.1.1' }]);
    expect(rule!.notes).toEqual(
      expect.arrayContaining([
        'kind missing: Scheduled',
        'threatAnalysisTactics dropped (not deployed)',
        'source moved into metadata',
        'version missing: 1.0.0',
      ]),
    );
    expect(Object.keys(v)).toEqual([
      'id',
      'name',
      'description',
      'severity',
      'requiredDataConnectors',
      'queryFrequency',
      'queryPeriod',
      'triggerOperator',
      'triggerThreshold',
      'tactics',
      'relevantTechniques',
      'query',
      'entityMappings',
      'customDetails',
      'eventGroupingSettings',
      'version',
      'kind',
      'tags',
      'metadata',
    ]);
  });

  it('lowercase kind: scheduled and an empty optional key are accepted (kind normalised, the key left out), each noted', () => {
    const text = fixture('sentinel-scheduled.yaml').replace(/\n?$/, '\nkind: scheduled\nalertDetailsOverride:\n');
    const [rule] = importFile('test/fixtures/import/sentinel-lowercase.yaml', text).rules;
    const v = value(rule!.text);
    expect(v.kind).toBe('Scheduled');
    expect('alertDetailsOverride' in v).toBe(false);
    expect(rule!.notes).toEqual(expect.arrayContaining(['kind scheduled: Scheduled', 'alertDetailsOverride empty: left out']));
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
    [
      'refuse-broken.json',
      `test/fixtures/import/refuse-broken.json: not valid JSON (${jsonParseError(fixture('refuse-broken.json'))})`,
      'Export the rule again from the portal (Analytics → select → Export), or fix the file.',
    ],
    [
      'refuse-workbook.json',
      'test/fixtures/import/refuse-workbook.json: no alert rule in this template (it has: Microsoft.Insights/workbooks)',
      'import converts analytics rules (Scheduled, NRT) only.',
    ],
    [
      'refuse-unknown-key.yaml',
      'test/fixtures/import/refuse-unknown-key.yaml: key "playbook" is not part of the rule format (schemas/rule.schema.json) and cannot be represented',
      undefined,
    ],
    [
      'refuse-hunting-query.yaml',
      'test/fixtures/import/refuse-hunting-query.yaml: not an analytics rule: id, name and query are required (a hunting query, parser or workbook is not a rule)',
      undefined,
    ],
  ])('the whole file: %s', (name, message, hint) => {
    let error: unknown;
    try {
      imported(name);
    } catch (e) {
      error = e;
    }
    expect(error).toStrictEqual(new InputError(message, hint));
  });

  it.each([
    [
      'refuse-seconds.json',
      'test/fixtures/import/refuse-seconds.json resources[0]: properties.queryFrequency "PT5M30S" is not a whole number of minutes; the rule format writes durations as 5m, 1h or 14d',
      undefined,
    ],
    [
      'refuse-expression.json',
      'test/fixtures/import/refuse-expression.json resources[0].properties.severity: "[parameters(\'severity\')]" is an ARM expression; only the workspace name can be resolved',
      "Put the value itself in the template (e.g. the parameter's default) and import again.",
    ],
    [
      'refuse-guid-name.json',
      "test/fixtures/import/refuse-guid-name.json resources[0]: resource name [guid(resourceGroup().id, 'rule')] cannot be resolved: only concat() of literals and the workspace parameter can (this id is computed when the template is deployed, from the subscription and workspace)",
      'Adopt the deployed rule with its real id instead: npm run cli -- import --from-workspace <workspace> --env <environment>.',
    ],
  ])('one rule: %s', (name, reason, hint) => {
    const { rules, refused } = imported(name);
    expect(rules).toEqual([]);
    expect(refused).toStrictEqual([
      { where: `test/fixtures/import/${name} resources[0]`, reason, ...(hint === undefined ? {} : { hint }) },
    ]);
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
