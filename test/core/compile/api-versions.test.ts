// NRT and sub-techniques per api-version (checked against each version's AlertRules.json).
import { describe, expect, it } from 'vitest';
import { compileAlertRule } from '../../../scripts/core/compile/alert-rule.ts';
import { capabilities, NRT_API_VERSION } from '../../../scripts/core/compile/api-versions.ts';
import { BUILD_TARGET, compileSet, ruleModels } from '../../../scripts/core/compile/content.ts';
import { replaceOnce } from '../../support/content.ts';
import { allFieldsRule, parsedRules } from '../../support/build.ts';

/** The all-fields rule as NRT: no schedule or trigger keys. */
const nrtRule = ['queryFrequency: 30m\n', 'queryPeriod: 2h\n', 'triggerOperator: gt\n', 'triggerThreshold: 3\n'].reduce(
  (text, line) => replaceOnce(text, line, ''),
  replaceOnce(allFieldsRule, 'kind: Scheduled', 'kind: NRT'),
);

describe('capabilities', () => {
  it.each([
    ['2025-09-01', false, false, false],
    ['2022-09-01-preview', true, false, false],
    ['2024-01-01-preview', true, false, true],
    ['2025-07-01-preview', true, true, true],
    ['2023-02-01', false, false, false],
  ])('%s: nrt %s, subTechniques %s, sentinelEntitiesMappings %s', (version, nrt, subTechniques, sentinelEntitiesMappings) => {
    expect(capabilities(version)).toEqual({ nrt, subTechniques, sentinelEntitiesMappings });
  });
});

describe('NRT rules', () => {
  const [rule] = ruleModels(parsedRules({ nrt: nrtRule }));

  it('are refused on the stable api-version, at the kind line, with the fix', () => {
    const result = compileAlertRule(rule!, '2025-09-01');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['compile.nrt-unsupported', nrtRule.split('\n').findIndex((l) => l === 'kind: NRT') + 1],
    ]);
    expect(result.diagnostics[0]).toMatchObject({
      message: 'NRT rules do not exist in api-version 2025-09-01',
      hint: `Set apiVersion: ${NRT_API_VERSION} on the workspace in workspaces.yaml, or change kind to Scheduled.`,
    });
  });

  it.each([
    ['2024-01-01-preview', undefined, ['compile.sub-technique-dropped']],
    [NRT_API_VERSION, ['T1595.001'], []],
  ])('compile for %s without schedule or trigger properties', (version, subTechniques, warnings) => {
    const result = compileAlertRule(rule!, version);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const p = result.rule.body.properties;
    expect(result.rule.body.kind).toBe('NRT');
    expect(result.rule.apiVersion).toBe(version);
    for (const key of ['queryFrequency', 'queryPeriod', 'triggerOperator', 'triggerThreshold']) expect(p).not.toHaveProperty(key);
    expect(p).toMatchObject({ suppressionEnabled: true, suppressionDuration: 'PT6H', techniques: ['T1190', 'T1595'] });
    expect(p.subTechniques).toEqual(subTechniques);
    expect(result.warnings.map((w) => w.code)).toEqual(warnings);
  });

  it('sentinelEntitiesMappings: sent where the api-version has it, else left out with a warning at the key', () => {
    const [scheduled] = ruleModels(parsedRules({ r: allFieldsRule }));
    const stable = compileAlertRule(scheduled!, '2025-09-01', {}, 'ws-one');
    const preview = compileAlertRule(scheduled!, '2024-01-01-preview');
    if (!stable.ok || !preview.ok) throw new Error('does not compile');
    expect(stable.rule.body.properties).not.toHaveProperty('sentinelEntitiesMappings');
    const dropped = stable.warnings.find((w) => w.code === 'compile.sentinel-entities-dropped');
    expect(dropped).toMatchObject({ severity: 'warning', line: allFieldsRule.split('\n').indexOf('sentinelEntitiesMappings:') + 1 });
    expect(dropped!.message).toBe('sentinelEntitiesMappings is not sent: api-version 2025-09-01 has no such field (workspace ws-one)');
    expect(preview.rule.body.properties.sentinelEntitiesMappings).toEqual([{ columnName: 'Entities' }]);
    expect(preview.warnings.map((w) => w.code)).toEqual(['compile.sub-technique-dropped']);
  });

  it('compile for the NRT api-version in a set whose target names one (the default build)', () => {
    const set = compileSet(
      parsedRules({
        nrt: nrtRule,
        scheduled: allFieldsRule.replace(/^id: .*$/m, 'id: 11111111-2222-4333-8444-555555555555').replace(/^name: .*$/m, 'name: Other'),
      }),
      BUILD_TARGET,
    );
    expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(set.alertRules.map((r) => [r.body.kind, r.apiVersion])).toEqual([
      ['Scheduled', '2025-09-01'],
      ['NRT', NRT_API_VERSION],
    ]);
  });
});
