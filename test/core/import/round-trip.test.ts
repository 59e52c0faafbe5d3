// Round trip: rule YAML → build (REST body + ARM template) → import of the ARM template → rule YAML
// is the same rule: equal values modulo the documented normalization (docs/content-format.md, "import"), and
// compiled again, the same REST body. For the detection rule and a varied fixture set, each at an
// api-version that can express it (sub-techniques need the preview one).
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { NRT_API_VERSION } from '../../../scripts/core/compile/api-versions.ts';
import { armOptionsFor, armTemplates } from '../../../scripts/core/compile/arm.ts';
import { BUILD_TARGET, compileSet } from '../../../scripts/core/compile/content.ts';
import { stableJson } from '../../../scripts/core/compile/stable-json.ts';
import { importFile } from '../../../scripts/core/import/import.ts';
import type { ParsedContent } from '../../../scripts/core/validate/validate.ts';
import { replaceOnce } from '../../support/content.ts';
import { allFieldsRule, parsedRules, repoContent } from '../../support/build.ts';
import { TEMPLATE_REPOSITORY } from '../../../scripts/core/compile/metadata.ts';

/** workspaces.yaml as shipped: only its repository name matters to the templates' ownership marks. */
const MARKED = { repository: TEMPLATE_REPOSITORY, environments: {} };

/** What the artifacts do not carry, and the defaults compile fills in (docs/content-format.md, "import": round trip). */
function normalize(rule: Record<string, any>): Record<string, any> {
  const r = structuredClone(rule);
  for (const key of ['parameters', 'tags', 'status', 'hunting', 'requiredDataConnectors']) delete r[key];
  if (r.metadata) {
    delete r.metadata.source;
    if (Object.keys(r.metadata).length === 0) delete r.metadata;
  }
  r.enabled ??= true;
  r.suppressionEnabled ??= false;
  r.suppressionDuration ??= '5h';
  r.eventGroupingSettings ??= { aggregationKind: 'SingleAlert' };
  r.incidentConfiguration ??= { createIncident: true };
  r.incidentConfiguration.groupingConfiguration ??= {
    enabled: false,
    reopenClosedIncident: false,
    lookbackDuration: '5h',
    matchingMethod: 'AllEntities',
  };
  for (const key of ['groupByEntities', 'groupByAlertDetails', 'groupByCustomDetails'])
    r.incidentConfiguration.groupingConfiguration[key] ??= [];
  r.relevantTechniques = [...r.relevantTechniques].sort();
  for (const key of ['description', 'query']) r[key] = r[key].trimEnd();
  for (const key of ['alertDisplayNameFormat', 'alertDescriptionFormat'])
    if (r.alertDetailsOverride?.[key]) r.alertDetailsOverride[key] = r.alertDetailsOverride[key].trimEnd();
  return r;
}

const withoutKeys = (text: string, ...prefixes: string[]) => {
  const lines = text.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of lines) {
    if (/^\S/.test(line)) skipping = prefixes.some((p) => line.startsWith(`${p}:`));
    if (!skipping) out.push(line);
  }
  return out.join('\n');
};
const nrt = ['queryFrequency: 30m\n', 'queryPeriod: 2h\n', 'triggerOperator: gt\n', 'triggerThreshold: 3\n'].reduce(
  (text, line) => replaceOnce(text, line, ''),
  replaceOnce(allFieldsRule, 'kind: Scheduled', 'kind: NRT'),
);
const minimal = withoutKeys(
  allFieldsRule,
  'status',
  'enabled',
  'suppressionEnabled',
  'suppressionDuration',
  'parameters',
  'customDetails',
  'alertDetailsOverride',
  'eventGroupingSettings',
  'incidentConfiguration',
  'tags',
  'hunting',
  'metadata',
  'sentinelEntitiesMappings',
  'alertRuleTemplateName',
  'templateVersion',
).replace('T1595.001', 'T1595');
const noIncident = replaceOnce(
  replaceOnce(
    withoutKeys(allFieldsRule, 'incidentConfiguration', 'sentinelEntitiesMappings'),
    'suppressionDuration: 6h',
    'suppressionDuration: 5h',
  ),
  'kind: Scheduled',
  'incidentConfiguration:\n  createIncident: false\nkind: Scheduled',
).replace('T1595.001', 'T1595');

const cases: [string, () => ParsedContent, string][] = [
  ['the detection rule', repoContent, BUILD_TARGET.apiVersion],
  ['every field (sub-technique, preview)', () => parsedRules({ r: allFieldsRule }), NRT_API_VERSION],
  ['NRT with every field', () => parsedRules({ r: nrt }), NRT_API_VERSION],
  ['defaults only', () => parsedRules({ r: minimal }), BUILD_TARGET.apiVersion],
  ['no incidents, suppression on with its default duration', () => parsedRules({ r: noIncident }), BUILD_TARGET.apiVersion],
];

describe('round trip YAML → build → import → YAML', () => {
  it.each(cases)('%s', (_, content, apiVersion) => {
    const parsed = content();
    const set = compileSet(parsed, { ...BUILD_TARGET, apiVersion });
    expect(set.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const templates = armTemplates(set, armOptionsFor(MARKED, apiVersion));
    for (const compiled of set.alertRules) {
      const original = parsed.rules.find((r) => (r.doc.value as { id: string }).id.toLowerCase() === compiled.id)!;
      const { rules } = importFile(`${compiled.id}.json`, stableJson(templates.get(`arm/alertRules/${compiled.id}.json`)));
      expect(rules).toHaveLength(1);
      const imported = rules[0]!;
      expect(normalize(load(imported.text) as Record<string, any>)).toEqual(normalize(original.doc.value as Record<string, any>));

      const again = compileSet(parsedRules({ [imported.fileName.replace(/\.yaml$/, '')]: imported.text }), { ...BUILD_TARGET, apiVersion });
      expect(again.alertRules.map((r) => r.body)).toEqual([compiled.body]);
    }
  });
});
