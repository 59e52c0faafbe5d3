// compileAlertRule on small rules built in place (no KQL analysis): what each optional key becomes in
// the REST body, what is left out, and the refusals and warnings with their exact words.
import { describe, expect, it } from 'vitest';
import { applyParameters, compileAlertRule } from '../../../scripts/core/compile/alert-rule.ts';
import type { LetBinding } from '../../../scripts/core/model/parameters.ts';
import type { RuleModel } from '../../../scripts/core/model/rule.ts';
import type { RuleYaml } from '../../../scripts/core/model/yaml-types.ts';
import { parseYaml } from '../../../scripts/core/yaml/document.ts';
import { RULE_YAML } from '../../support/rule-model.ts';

const BASE = RULE_YAML;

function model(extra = '', base = BASE, lets: LetBinding[] = []): RuleModel {
  const parsed = parseYaml('rules/r.yaml', base + extra);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return { file: 'rules/r.yaml', slug: 'r', yaml: parsed.document.value as RuleYaml, doc: parsed.document, lets };
}
function body(rule: RuleModel, apiVersion = '2025-09-01') {
  const result = compileAlertRule(rule, apiVersion);
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.rule.body.properties;
}

describe('compileAlertRule: the body', () => {
  it('a minimal Scheduled rule: every service default written out, nothing optional', () => {
    const result = compileAlertRule(model(), '2025-09-01');
    expect(result).toStrictEqual({
      ok: true,
      warnings: [],
      rule: {
        id: '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10',
        file: 'rules/r.yaml',
        yaml: model().yaml,
        apiVersion: '2025-09-01',
        body: {
          kind: 'Scheduled',
          properties: {
            displayName: 'R',
            description: 'Text.',
            severity: 'Low',
            enabled: true,
            query: 'T | take 1',
            suppressionEnabled: false,
            suppressionDuration: 'PT5H',
            tactics: ['InitialAccess'],
            techniques: ['T1190'],
            eventGroupingSettings: { aggregationKind: 'SingleAlert' },
            incidentConfiguration: {
              createIncident: true,
              groupingConfiguration: {
                enabled: false,
                reopenClosedIncident: false,
                lookbackDuration: 'PT5H',
                matchingMethod: 'AllEntities',
                groupByEntities: [],
                groupByAlertDetails: [],
                groupByCustomDetails: [],
              },
            },
            queryFrequency: 'PT1H',
            queryPeriod: 'P1D',
            triggerOperator: 'GreaterThan',
            triggerThreshold: 0,
          },
        },
      },
    });
  });

  it('createIncident false stays false; grouping without lists gets empty lists', () => {
    const p = body(
      model(
        'incidentConfiguration:\n  createIncident: false\n  groupingConfiguration:\n    enabled: true\n    reopenClosedIncident: true\n    lookbackDuration: 2h\n    matchingMethod: AllEntities\n',
      ),
    );
    expect(p.incidentConfiguration).toStrictEqual({
      createIncident: false,
      groupingConfiguration: {
        enabled: true,
        reopenClosedIncident: true,
        lookbackDuration: 'PT2H',
        matchingMethod: 'AllEntities',
        groupByEntities: [],
        groupByAlertDetails: [],
        groupByCustomDetails: [],
      },
    });
  });

  it('grouping lists are copied as written', () => {
    const p = body(
      model(
        'incidentConfiguration:\n  createIncident: true\n  groupingConfiguration:\n    enabled: true\n    reopenClosedIncident: false\n    lookbackDuration: 5h\n    matchingMethod: Selected\n    groupByEntities: [IP]\n    groupByAlertDetails: [DisplayName]\n    groupByCustomDetails: [Port]\n',
      ),
    );
    expect(p.incidentConfiguration).toMatchObject({
      groupingConfiguration: { groupByEntities: ['IP'], groupByAlertDetails: ['DisplayName'], groupByCustomDetails: ['Port'] },
    });
  });

  it('alertDetailsOverride: only the keys given; formats lose trailing, never leading, whitespace', () => {
    expect(body(model("alertDetailsOverride:\n  alertDescriptionFormat: '  {{A}} ran  '\n")).alertDetailsOverride).toStrictEqual({
      alertDescriptionFormat: '  {{A}} ran',
    });
    expect(
      body(model("alertDetailsOverride:\n  alertDisplayNameFormat: '  {{A}}  '\n  alertSeverityColumnName: S\n")).alertDetailsOverride,
    ).toStrictEqual({
      alertDisplayNameFormat: '  {{A}}',
      alertSeverityColumnName: 'S',
    });
    expect(body(model('alertDetailsOverride:\n  alertTacticsColumnName: T\n')).alertDetailsOverride).toStrictEqual({
      alertTacticsColumnName: 'T',
    });
  });

  it('sub-techniques: sent only where the api-version has the field, and only when there are some', () => {
    expect(body(model(), '2025-07-01-preview')).not.toHaveProperty('subTechniques');
    const withSub = model('', BASE.replace('relevantTechniques: [T1190]', 'relevantTechniques: [T1190, T1190.001]'));
    expect(body(withSub, '2025-07-01-preview').subTechniques).toStrictEqual(['T1190.001']);
    expect(body(withSub, '2025-09-01')).not.toHaveProperty('subTechniques');
  });

  it('empty customDetails are left out; template fields are copied', () => {
    expect(body(model('customDetails: {}\n'))).not.toHaveProperty('customDetails');
    expect(body(model("alertRuleTemplateName: abc\ntemplateVersion: '1.0.1'\n"))).toMatchObject({
      alertRuleTemplateName: 'abc',
      templateVersion: '1.0.1',
    });
  });
});

describe('compileAlertRule: refusals and warnings', () => {
  const nrt = BASE.replace('kind: Scheduled', 'kind: NRT');

  it('NRT on a stable api-version: an error at the kind line (with the workspace when there is one)', () => {
    expect(compileAlertRule(model('', nrt), '2025-09-01', {}, 'ws-one')).toStrictEqual({
      ok: false,
      diagnostics: [
        {
          code: 'compile.nrt-unsupported',
          severity: 'error',
          message: 'NRT rules do not exist in api-version 2025-09-01 (workspace ws-one)',
          file: 'rules/r.yaml',
          line: 6,
          column: 7,
          hint: 'Set apiVersion: 2025-07-01-preview on the workspace in workspaces.yaml, or change kind to Scheduled.',
        },
      ],
    });
  });

  it('sub-techniques on an api-version without the field: sent as their base technique, with a warning', () => {
    const rule = model(
      '',
      BASE.replace('relevantTechniques: [T1190]', 'relevantTechniques: [T1190.001, T1190.002, T1595.001]').replace(
        'tactics: [InitialAccess]',
        'tactics: [InitialAccess, Reconnaissance]',
      ),
    );
    const result = compileAlertRule(rule, '2024-01-01-preview');
    if (!result.ok) throw new Error('refused');
    expect(result.rule.body.properties.techniques).toStrictEqual(['T1190', 'T1595']);
    expect(result.warnings).toStrictEqual([
      {
        code: 'compile.sub-technique-dropped',
        severity: 'warning',
        file: 'rules/r.yaml',
        line: 12,
        column: 21,
        message:
          'sub-techniques T1190.001, T1190.002, T1595.001 are sent as T1190, T1595: api-version 2024-01-01-preview has no subTechniques field',
        hint: 'Nothing to do unless the sub-technique matters in the portal; a preview api-version keeps it.',
      },
    ]);
  });
});

describe('applyParameters', () => {
  const query = 'let MinPort = 1024;\nT | where Port >= MinPort\n';
  const lets: LetBinding[] = [{ name: 'MinPort', valueStart: 14, valueLength: 4, valueText: '1024', literal: true }];
  const withParameters = model(
    '',
    BASE.replace(
      'query: |\n  T | take 1\n',
      `parameters:\n  MinPort:\n    type: int\n    description: d\nquery: |\n  let MinPort = 1024;\n  T | where Port >= MinPort\n`,
    ),
    lets,
  );

  it("the override's value replaces the default; an undeclared name is ignored; the query loses trailing space", () => {
    expect(withParameters.yaml.query).toBe(query);
    expect(applyParameters(withParameters, { parameters: { MinPort: 443, Other: 1 } })).toBe(
      'let MinPort = 443;\nT | where Port >= MinPort',
    );
    expect(applyParameters(withParameters, {})).toBe('let MinPort = 1024;\nT | where Port >= MinPort');
  });

  it('a rule without parameters ignores override parameters', () => {
    expect(applyParameters(model(), { parameters: { MinPort: 443 } })).toBe('T | take 1');
  });

  it('overrides of severity and enabled reach the body', () => {
    const result = compileAlertRule(model('enabled: false\n'), '2025-09-01', { severity: 'High', enabled: true });
    if (!result.ok) throw new Error('refused');
    expect([result.rule.body.properties.severity, result.rule.body.properties.enabled]).toStrictEqual(['High', true]);
    expect(body(model('enabled: false\n')).enabled).toBe(false);
  });
});
