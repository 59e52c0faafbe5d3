// ARM templates and ownership marks at their edges.
import { describe, expect, it } from 'vitest';
import { ARM_SCHEMA, armEscape, armOptionsFor, armTemplates, armUnescape, resourceName } from '../../../scripts/core/compile/arm.ts';
import type { CompiledSet } from '../../../scripts/core/compile/content.ts';
import { isExactMark, markingRepository, ruleMetadata, TEMPLATE_REPOSITORY } from '../../../scripts/core/compile/metadata.ts';
import { compileWatchlist } from '../../../scripts/core/compile/watchlist.ts';
import { ConfigError } from '../../../scripts/core/errors.ts';
import type { RuleYaml, WatchlistYaml, WorkspacesYaml } from '../../../scripts/core/model/yaml-types.ts';

const watchlist: WatchlistYaml = {
  alias: 'ipsum',
  displayName: 'IPsum',
  description: '  Listed addresses.  \n',
  provider: 'p',
  itemsSearchKey: 'IP',
  columns: [{ name: 'IP', type: 'string' }],
} as WatchlistYaml;
const DESCRIPTION = 'Name of the Log Analytics workspace where Microsoft Sentinel is enabled.';

describe('armEscape and armUnescape', () => {
  it('null and numbers pass; only a whole [..] string is escaped and unescaped', () => {
    expect([armEscape(null), armEscape(5), armEscape(true)]).toStrictEqual([null, 5, true]);
    expect(armEscape({ a: ['[x]', '[y', 'z]'], b: null })).toStrictEqual({ a: ['[[x]', '[y', 'z]'], b: null });
    expect([armUnescape('[[x]'), armUnescape('[x]'), armUnescape('[[x'), armUnescape('x]')]).toStrictEqual(['[x]', '[x]', '[[x', 'x]']);
  });

  it('a quote in a name is doubled inside the ARM string literal', () => {
    expect(resourceName("it's")).toBe("[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'it''s')]");
  });
});

describe('armTemplates', () => {
  const set = {
    alertRules: [],
    watchlists: [compileWatchlist(watchlist, 'watchlists/ipsum.yaml')],
    diagnostics: [],
  } as unknown as CompiledSet;

  it('a watchlist with its mark: the mark depends on the watchlist and points at it; no workspace default', () => {
    const templates = armTemplates(set, { apiVersion: '2025-09-01', repository: 'org/repo' });
    expect([...templates.keys()]).toStrictEqual(['arm/watchlists/ipsum.json', 'arm/all.json']);
    const parentId =
      "[resourceId('Microsoft.OperationalInsights/workspaces/providers/watchlists', parameters('workspace'), 'Microsoft.SecurityInsights', 'ipsum')]";
    expect(templates.get('arm/watchlists/ipsum.json')).toStrictEqual({
      $schema: ARM_SCHEMA,
      contentVersion: '1.0.0.0',
      parameters: { workspace: { type: 'string', metadata: { description: DESCRIPTION } } },
      resources: [
        {
          type: 'Microsoft.OperationalInsights/workspaces/providers/watchlists',
          apiVersion: '2025-09-01',
          name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'ipsum')]",
          properties: {
            displayName: 'IPsum',
            provider: 'p',
            source: 'ipsum.csv',
            description: '  Listed addresses.',
            itemsSearchKey: 'IP',
          },
        },
        {
          type: 'Microsoft.OperationalInsights/workspaces/providers/metadata',
          apiVersion: '2025-09-01',
          name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/', 'watchlist-ipsum')]",
          dependsOn: [parentId],
          properties: {
            kind: 'Watchlist',
            contentId: 'ipsum',
            parentId,
            source: { kind: 'SourceRepository', name: 'org/repo', sourceId: 'org/repo' },
          },
        },
      ],
    });
  });

  it('armOptionsFor sets the repository and the workspace only when there are some', () => {
    expect(armOptionsFor(undefined, 'v')).toStrictEqual({ apiVersion: 'v' });
    expect(armOptionsFor({ repository: 'org/repo' } as WorkspacesYaml, 'v', 'law')).toStrictEqual({
      apiVersion: 'v',
      repository: 'org/repo',
      workspace: 'law',
    });
  });
});

describe('compileWatchlist', () => {
  it('labels only when there are some, copied; the description keeps its leading spaces', () => {
    expect(compileWatchlist({ ...watchlist, labels: [] }, 'w').body.properties).not.toHaveProperty('labels');
    const labels = ['threat-intel'];
    const compiled = compileWatchlist({ ...watchlist, labels, defaultDuration: 'P1D', source: 'custom.csv' } as WatchlistYaml, 'w');
    expect(compiled.body.properties).toStrictEqual({
      displayName: 'IPsum',
      provider: 'p',
      source: 'custom.csv',
      description: '  Listed addresses.',
      itemsSearchKey: 'IP',
      labels: ['threat-intel'],
      defaultDuration: 'P1D',
    });
    expect(compiled.body.properties.labels).not.toBe(labels);
  });
});

describe('ownership marks', () => {
  const fix =
    "Set `repository: <owner>/<name>` in workspaces.yaml to this repository's GitHub owner/name; it must be unique to this repository.";

  it.each([
    [
      undefined,
      undefined,
      new ConfigError('workspaces.yaml has no `repository:`: it names the owner of everything deploy creates', 'workspaces.yaml', fix),
    ],
    [
      {},
      undefined,
      new ConfigError('workspaces.yaml has no `repository:`: it names the owner of everything deploy creates', 'workspaces.yaml', fix),
    ],
    [
      { repository: TEMPLATE_REPOSITORY.toUpperCase() },
      undefined,
      new ConfigError(
        `workspaces.yaml still has the template's repository name ${TEMPLATE_REPOSITORY}: every copy of the template would share it`,
        'workspaces.yaml',
        fix,
      ),
    ],
    [
      { repository: 'org/copy' },
      'org/original',
      new ConfigError(
        'workspaces.yaml says repository: org/copy, but this workflow runs in org/original',
        'workspaces.yaml',
        'A copy of another repository must not act under its name: set `repository: org/original` in workspaces.yaml.',
      ),
    ],
  ])('markingRepository refuses %j in %s', (config, github, error) => {
    expect(() => markingRepository(config, 'workspaces.yaml', github)).toThrow(error);
  });

  it("markingRepository: the name, in any case of the workflow's repository", () => {
    expect(markingRepository({ repository: 'Org/Repo' }, 'w.yaml', 'org/repo')).toBe('Org/Repo');
    expect(markingRepository({ repository: 'org/repo' }, 'w.yaml')).toBe('org/repo');
  });

  it('a rule mark carries only the metadata keys the rule has', () => {
    const rule = {
      id: 'ABC',
      version: '1.0.0',
      requiredDataConnectors: [{ connectorId: 'C1', dataTypes: [] }],
      metadata: { author: { name: 'a' } },
    } as unknown as RuleYaml;
    expect(ruleMetadata(rule, 'p', 'org/repo')).toStrictEqual({
      properties: {
        kind: 'AnalyticsRule',
        contentId: 'abc',
        parentId: 'p',
        version: '1.0.0',
        source: { kind: 'SourceRepository', name: 'org/repo', sourceId: 'org/repo' },
        dependencies: { operator: 'AND', criteria: [{ kind: 'DataConnector', contentId: 'C1' }] },
        author: { name: 'a' },
      },
    });
  });

  it('isExactMark needs the name, the kind and a contentId that is text', () => {
    const mark = (properties: Record<string, unknown>, name = 'analyticsrule-abc') => ({ name, properties });
    expect(isExactMark(mark({ kind: 'AnalyticsRule', contentId: 'ABC' }), 'AnalyticsRule', 'abc')).toBe(true);
    expect(isExactMark(mark({ kind: 'AnalyticsRule', contentId: 7 }), 'AnalyticsRule', 'abc')).toBe(false);
    expect(isExactMark(mark({ kind: 'Watchlist', contentId: 'abc' }), 'AnalyticsRule', 'abc')).toBe(false);
    expect(isExactMark(mark({ kind: 'AnalyticsRule', contentId: 'abc' }, 'other'), 'AnalyticsRule', 'abc')).toBe(false);
  });
});
