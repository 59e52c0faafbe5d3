// Every compiled REST body validates against the project's own schemas of the 2025-09-01 PUT bodies
// (schemas/api/2025-09-01/, restated from Microsoft's spec): the repository's content for the default
// target and every workspace, and a rule that sets every key the rule schema allows.
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { DEFAULT_API_VERSION } from '../../../scripts/core/compile/api-versions.ts';
import { BUILD_TARGET, compileSet, ruleModels, watchlistDefinitions, type CompileTarget } from '../../../scripts/core/compile/content.ts';
import { ruleMetadata, watchlistMetadata } from '../../../scripts/core/compile/metadata.ts';
import { environmentNames, workspacesOf } from '../../../scripts/core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../../scripts/core/model/yaml-types.ts';
import type { ParsedContent } from '../../../scripts/core/validate/validate.ts';
import { allFieldsRule, parsedRules, repoContent } from '../../support/build.ts';

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const schema = (name: string): ValidateFunction =>
  ajv.compile(
    JSON.parse(readFileSync(new URL(`../../../schemas/api/${DEFAULT_API_VERSION}/${name}.schema.json`, import.meta.url), 'utf8')),
  );
const schemas = { rule: schema('scheduled-alert-rule'), watchlist: schema('watchlist'), metadata: schema('metadata') };

function problems(validate: ValidateFunction, body: unknown): string[] {
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

const scope =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law/providers/Microsoft.SecurityInsights';

function targets(parsed: ParsedContent): CompileTarget[] {
  const config = parsed.workspaces?.value as WorkspacesYaml | undefined;
  const all: CompileTarget[] = [BUILD_TARGET];
  for (const env of config ? environmentNames(config) : []) {
    for (const ws of workspacesOf(config!, env))
      if (ws.apiVersion === DEFAULT_API_VERSION) all.push({ label: ws.name, apiVersion: ws.apiVersion, overrides: ws.rules });
  }
  return all;
}

describe('REST bodies against schemas/api/2025-09-01', () => {
  const cases: [string, ParsedContent][] = [
    ['the repository', repoContent()],
    ['the all-fields rule', parsedRules({ 'all-fields': allFieldsRule })],
  ];

  it.each(cases)('%s: every alert-rule and watchlist body, for every target', (_, parsed) => {
    let bodies = 0;
    for (const target of targets(parsed)) {
      const set = compileSet(parsed, target);
      expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      for (const rule of set.alertRules) expect(problems(schemas.rule, rule.body), `${target.label ?? 'default'} ${rule.id}`).toEqual([]);
      for (const w of set.watchlists) expect(problems(schemas.watchlist, w.body), w.alias).toEqual([]);
      bodies += set.alertRules.length + set.watchlists.length;
    }
    expect(bodies).toBeGreaterThan(1);
  });

  it.each(cases)('%s: every metadata (ownership mark) body', (_, parsed) => {
    const marks = [
      ...ruleModels(parsed).map((r) => ruleMetadata(r.yaml, `${scope}/alertRules/${r.yaml.id}`, 'sentinel-detections')),
      ...watchlistDefinitions(parsed).map((w) => watchlistMetadata(w.yaml, `${scope}/watchlists/${w.yaml.alias}`, 'sentinel-detections')),
    ];
    expect(marks.length).toBeGreaterThan(1);
    for (const mark of marks) expect(problems(schemas.metadata, mark)).toEqual([]);
  });

  it('the all-fields body sets every writable property the Scheduled schema has', () => {
    const [rule] = compileSet(parsedRules({ 'all-fields': allFieldsRule })).alertRules;
    const defined = Object.keys(
      (
        JSON.parse(readFileSync(new URL('../../../schemas/api/2025-09-01/scheduled-alert-rule.schema.json', import.meta.url), 'utf8')) as {
          definitions: { scheduledProperties: { properties: Record<string, unknown> } };
        }
      ).definitions.scheduledProperties.properties,
    );
    const unset = defined.filter((key) => !(key in rule!.body.properties));
    expect(unset).toEqual([]);
    expect(Object.keys(rule!.body.properties.alertDetailsOverride as object).sort()).toEqual([
      'alertDescriptionFormat',
      'alertDisplayNameFormat',
      'alertDynamicProperties',
      'alertSeverityColumnName',
      'alertTacticsColumnName',
    ]);
  });

  it.each([
    ['an NRT kind', (b: any) => ({ ...b, kind: 'NRT' }), '/kind'],
    ['an unknown property', (b: any) => ({ ...b, properties: { ...b.properties, subTechniques: ['T1595.001'] } }), '/properties'],
    ['a YAML duration', (b: any) => ({ ...b, properties: { ...b.properties, queryPeriod: '1h' } }), '/properties/queryPeriod'],
    ['a YAML operator', (b: any) => ({ ...b, properties: { ...b.properties, triggerOperator: 'gt' } }), '/properties/triggerOperator'],
    [
      'a missing suppressionDuration',
      (b: any) => ({ ...b, properties: { ...b.properties, suppressionDuration: undefined } }),
      '/properties',
    ],
    [
      'a sub-technique in techniques',
      (b: any) => ({ ...b, properties: { ...b.properties, techniques: ['T1595.001'] } }),
      '/properties/techniques/0',
    ],
  ])('the rule schema refuses %s', (_, edit, path) => {
    const [rule] = compileSet(parsedRules({ 'all-fields': allFieldsRule })).alertRules;
    const body = JSON.parse(JSON.stringify(edit(structuredClone(rule!.body))));
    expect(schemas.rule(body)).toBe(false);
    expect(schemas.rule.errors?.map((e) => e.instancePath)).toContain(path);
  });
});
