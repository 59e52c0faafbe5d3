// ARM templates embed the compiled REST bodies unchanged (bar ARM's `[` escape), in the legacy
// resource form Sentinel Repositories deploys, with the workspace as the only parameter.
import { describe, expect, it } from 'vitest';
import {
  ARM_SCHEMA,
  ARM_TYPES,
  armEscape,
  armOptionsFor,
  armTemplates,
  armUnescape,
  resourceIdExpression,
  resourceName,
  type ArmResource,
} from '../../../scripts/core/compile/arm.ts';
import { armArtifacts } from '../../../scripts/core/compile/artifacts.ts';
import { BUILD_TARGET, compileSet } from '../../../scripts/core/compile/content.ts';
import { allFieldsRule, parsedRules, repoContent } from '../../support/build.ts';
import { TEMPLATE_REPOSITORY } from '../../../scripts/core/compile/metadata.ts';

/** workspaces.yaml as shipped: only its repository name matters to the templates' ownership marks. */
const MARKED = { repository: TEMPLATE_REPOSITORY, environments: {} };

const unescapeDeep = (value: unknown): unknown =>
  typeof value === 'string'
    ? armUnescape(value)
    : Array.isArray(value)
      ? value.map(unescapeDeep)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescapeDeep(v)]))
        : value;

describe('ARM templates', () => {
  const parsed = parsedRules({ 'all-fields': allFieldsRule });
  const set = compileSet(parsed);
  const options = armOptionsFor(MARKED, BUILD_TARGET.apiVersion);
  const templates = armTemplates(set, options);
  const rule = set.alertRules[0]!;

  it('one per rule, one per watchlist, and all.json', () => {
    expect([...templates.keys()].sort()).toEqual([
      'arm/alertRules/6f1c2b0e-3d4a-4e5f-9a8b-7c6d5e4f3a2b.json',
      'arm/all.json',
      'arm/watchlists/ipsum.json',
    ]);
    const all = templates.get('arm/all.json')!;
    expect(all.resources.map((r) => [r.type, r.name])).toEqual([
      [ARM_TYPES.watchlist, resourceName('ipsum')],
      [ARM_TYPES.metadata, resourceName('watchlist-ipsum')],
      [ARM_TYPES.alertRule, resourceName(rule.id)],
      [ARM_TYPES.metadata, resourceName(`analyticsrule-${rule.id}`)],
    ]);
  });

  it('a rule template: the legacy type, named by the rule id, the compile api-version, the body unchanged', () => {
    const template = templates.get(`arm/alertRules/${rule.id}.json`)!;
    expect(template.$schema).toBe(ARM_SCHEMA);
    expect(Object.keys(template.parameters)).toEqual(['workspace']);
    expect(template.parameters.workspace).not.toHaveProperty('defaultValue');
    const [resource, mark] = template.resources as [ArmResource, ArmResource];
    expect(resource).toMatchObject({
      type: 'Microsoft.OperationalInsights/workspaces/providers/alertRules',
      apiVersion: '2025-09-01',
      name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', '6f1c2b0e-3d4a-4e5f-9a8b-7c6d5e4f3a2b')]",
      kind: 'Scheduled',
    });
    expect(unescapeDeep(resource.properties)).toEqual(rule.body.properties);
    // `[Test] … [fixture]` would be an ARM expression unescaped; `[Fixture] …` (no `]` last) is a literal as it is.
    expect(resource.properties.displayName).toBe('[[Test] Many inbound connections to a high port [fixture]');
    expect((resource.properties.description as string).startsWith('[Fixture]')).toBe(true);
    const parent = resourceIdExpression(ARM_TYPES.alertRule, rule.id);
    expect(mark).toMatchObject({
      type: ARM_TYPES.metadata,
      dependsOn: [parent],
      properties: { parentId: parent, kind: 'AnalyticsRule', version: '2.1.0', contentId: rule.id },
    });
    expect(mark.properties.source).toEqual({ kind: 'SourceRepository', name: TEMPLATE_REPOSITORY, sourceId: TEMPLATE_REPOSITORY });
  });

  it('without a repository name (no workspaces.yaml) the templates carry no ownership mark: there is no default name', () => {
    const bare = armTemplates(set, armOptionsFor(undefined, BUILD_TARGET.apiVersion)).get('arm/all.json')!;
    expect(bare.resources.map((r) => r.type)).toEqual([ARM_TYPES.watchlist, ARM_TYPES.alertRule]);
  });

  it('a watchlist template creates the watchlist itself, no items', () => {
    const [resource] = templates.get('arm/watchlists/ipsum.json')!.resources;
    expect(resource!.type).toBe(ARM_TYPES.watchlist);
    expect(resource!.properties).toEqual(set.watchlists[0]!.body.properties);
    expect(resource!.properties).not.toHaveProperty('rawContent');
  });

  it('per workspace: the workspace name as default, its api-version and overrides', () => {
    const parsedRepo = repoContent();
    const target = {
      label: 'prod-westeurope',
      apiVersion: '2025-09-01',
      overrides: { 'ipsum-inbound-internet-facing': { severity: 'High' as const } },
    };
    const files = armArtifacts(
      compileSet(parsedRepo, target),
      armOptionsFor(MARKED, target.apiVersion, 'law-sentinel-prod'),
      'prod/prod-westeurope/',
    );
    const template = JSON.parse(files.get('prod/prod-westeurope/arm/alertRules/0209ac04-d70a-45f2-a58d-d69d06d783d5.json')!);
    expect(template.parameters.workspace.defaultValue).toBe('law-sentinel-prod');
    expect(template.resources[0].properties.severity).toBe('High');
  });

  it.each([
    ['[Preview] rule', '[Preview] rule'],
    ['[Preview] rule [v2]', '[[Preview] rule [v2]'],
    ["[concat('a')]", "[[concat('a')]"],
    ['no bracket [here]', 'no bracket [here]'],
  ])('armEscape(%j) = %j and back', (text, escaped) => {
    expect(armEscape({ a: [text] })).toEqual({ a: [escaped] });
    expect(armUnescape(escaped)).toBe(text);
  });
});
