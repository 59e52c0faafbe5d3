// compileSet, stable JSON and the artifact paths, on content built in place (no KQL analysis).
import { describe, expect, it } from 'vitest';
import { restArtifacts } from '../../../scripts/core/compile/artifacts.ts';
import { BUILD_TARGET, compileSet, ruleApiVersion } from '../../../scripts/core/compile/content.ts';
import { contentHash, sortKeys, stableJson } from '../../../scripts/core/compile/stable-json.ts';
import type { ParsedContent } from '../../../scripts/core/validate/validate.ts';
import { parseYaml, type YamlDocument } from '../../../scripts/core/yaml/document.ts';
import { RULE_YAML } from '../../support/rule-model.ts';

function doc(file: string, text: string): YamlDocument {
  const parsed = parseYaml(file, text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.document;
}
const rule = (slug: string, id: string, kind = 'Scheduled') => ({
  slug,
  doc: doc(`rules/${slug}.yaml`, RULE_YAML.replace(/^id: .*$/m, `id: ${id}`).replace('kind: Scheduled', `kind: ${kind}`)),
});
const WATCHLIST =
  'alias: {alias}\ndisplayName: W\ndescription: d\nprovider: p\nitemsSearchKey: IP\ncolumns:\n  - name: IP\n    type: string\n';
const parsed = (rules: ReturnType<typeof rule>[], aliases: string[] = []) =>
  ({
    rules,
    lets: new Map(),
    watchlists: aliases.map((a) => doc(`watchlists/${a}.yaml`, WATCHLIST.replace('{alias}', a))),
  }) as unknown as ParsedContent;

describe('compileSet', () => {
  it("rules by id and watchlists by alias, whatever the file order; the target's overrides by slug", () => {
    const set = compileSet(
      parsed([rule('z', 'BBBBBBBB-2222-4333-8444-555555555555'), rule('a', 'aaaaaaaa-2222-4333-8444-555555555555')], ['zeta', 'alpha']),
      { apiVersion: '2025-09-01', overrides: { z: { severity: 'High' } } },
    );
    expect(set.alertRules.map((r) => [r.id, r.body.properties.severity])).toStrictEqual([
      ['aaaaaaaa-2222-4333-8444-555555555555', 'Low'],
      ['bbbbbbbb-2222-4333-8444-555555555555', 'High'],
    ]);
    expect(set.watchlists.map((w) => w.alias)).toStrictEqual(['alpha', 'zeta']);
    expect(set.diagnostics).toStrictEqual([]);
  });

  it('a refused rule is left out with its diagnostic; warnings come along with compiled rules', () => {
    const nrt = rule('n', 'cccccccc-2222-4333-8444-555555555555', 'NRT');
    const sub = { slug: 's', doc: doc('rules/s.yaml', RULE_YAML.replace('[T1190]', '[T1190.001]')) };
    const set = compileSet(parsed([nrt, sub]), { label: 'ws-one', apiVersion: '2025-09-01', overrides: {} });
    expect(set.alertRules.map((r) => r.file)).toStrictEqual(['rules/s.yaml']);
    expect(set.diagnostics.map((d) => [d.code, d.file, d.severity])).toStrictEqual([
      ['compile.nrt-unsupported', 'rules/n.yaml', 'error'],
      ['compile.sub-technique-dropped', 'rules/s.yaml', 'warning'],
    ]);
  });

  it("ruleApiVersion: NRT rules take the target's NRT api-version when it has one", () => {
    expect(ruleApiVersion({ kind: 'NRT' }, BUILD_TARGET)).toBe('2025-07-01-preview');
    expect(ruleApiVersion({ kind: 'Scheduled' }, BUILD_TARGET)).toBe('2025-09-01');
    expect(ruleApiVersion({ kind: 'NRT' }, { apiVersion: '2025-09-01', overrides: {} })).toBe('2025-09-01');
  });
});

describe('stable JSON', () => {
  it('sorted keys at any depth, undefined left out, arrays in order, two-space indent and a final newline', () => {
    expect(stableJson({ b: [{ d: 1, c: null }], a: undefined, c: 'x' })).toBe(
      '{\n  "b": [\n    {\n      "c": null,\n      "d": 1\n    }\n  ],\n  "c": "x"\n}\n',
    );
    expect(sortKeys(null)).toBe(null);
    expect(sortKeys([3, 1])).toStrictEqual([3, 1]);
  });

  it('contentHash does not depend on key order', () => {
    expect(contentHash({ a: 1, b: { c: 2, d: 3 } })).toBe(contentHash({ b: { d: 3, c: 2 }, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
    expect(contentHash({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad8084273905ee33ec5cebeae62276a97f862');
  });
});

describe('restArtifacts', () => {
  it('one file per rule and per watchlist, under the prefix', () => {
    const set = compileSet(parsed([rule('a', 'aaaaaaaa-2222-4333-8444-555555555555')], ['ipsum']));
    expect([...restArtifacts(set, 'out/').keys()]).toStrictEqual([
      'out/api/alertRules/aaaaaaaa-2222-4333-8444-555555555555.json',
      'out/api/watchlists/ipsum.json',
    ]);
    expect(restArtifacts(set).get('api/watchlists/ipsum.json')).toBe(stableJson(set.watchlists[0]!.body));
  });
});
