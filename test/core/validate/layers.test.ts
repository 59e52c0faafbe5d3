// One defect at a time in otherwise valid fixture content: each check reports its code at the right
// file, line and column. Expected positions come from a marker in the edited text, so they follow the
// fixture, not the implementation.
import { describe, expect, it } from 'vitest';
import { fixture, fixtureWith, positionOf, replaceOnce, validateFiles, type Files } from '../../support/content.ts';

type Target = 'rule' | 'watchlist' | 'workspaces';
const FILES: Record<Target, string> = { rule: 'rules/rule.yaml', watchlist: 'watchlists/ipsum.yaml', workspaces: 'workspaces.yaml' };

interface Case {
  name: string;
  target: Target;
  from: string;
  to: string;
  code: string;
  /** Marker in the edited text where the diagnostic must point (default: `to`), and an offset into it. */
  at?: string;
  offset?: number;
  severity?: 'error' | 'warning';
}

const cases: Case[] = [
  // (a) YAML
  {
    name: 'duplicate key',
    target: 'rule',
    from: 'severity: Low\n',
    to: 'severity: Low\nseverity: High\n',
    code: 'yaml.duplicate-key',
    at: 'severity: High',
  },
  {
    name: 'unclosed flow sequence',
    target: 'rule',
    from: 'tactics:\n  - InitialAccess\n',
    to: 'tactics: [InitialAccess\n',
    code: 'yaml.syntax',
    at: 'relevantTechniques',
  },
  // (b) schema
  { name: "typo'd key", target: 'rule', from: 'severity: Low', to: 'severty: Low', code: 'schema.unknown-key' },
  { name: 'enum in the wrong case', target: 'rule', from: 'severity: Low', to: 'severity: low', code: 'schema.enum', at: 'low' },
  { name: 'duration format', target: 'rule', from: 'queryFrequency: 1h', to: 'queryFrequency: 2H', code: 'schema.format', at: '2H' },
  {
    name: 'threshold out of range',
    target: 'rule',
    from: 'triggerThreshold: 0',
    to: 'triggerThreshold: 20000',
    code: 'schema.range',
    at: '20000',
  },
  {
    name: 'id not a GUID',
    target: 'rule',
    from: 'id: 6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10',
    to: 'id: my-rule',
    code: 'schema.format',
    at: 'my-rule',
  },
  { name: 'version not a.b.c', target: 'rule', from: 'version: 1.0.0', to: 'version: v1.0.0', code: 'schema.format', at: 'v1.0.0' },
  {
    name: 'unknown key in a watchlist',
    target: 'watchlist',
    from: 'provider: tests',
    to: 'provider: tests\nprovder: x',
    code: 'schema.unknown-key',
    at: 'provder',
  },
  { name: 'bad alias', target: 'watchlist', from: 'alias: ipsum', to: 'alias: -ipsum', code: 'schema.format', at: '-ipsum' },
  {
    name: 'repository name without its owner',
    target: 'workspaces',
    from: 'repository: test-org/fixture-content',
    to: 'repository: sentinel-detections',
    code: 'schema.format',
    at: 'sentinel-detections',
  },
  {
    name: 'no repository name (there is no default)',
    target: 'workspaces',
    from: 'repository: test-org/fixture-content\n',
    to: '',
    code: 'schema.missing-key',
    at: 'environments',
  },
  {
    name: 'unknown key in workspaces.yaml',
    target: 'workspaces',
    from: '      workspace: law-one',
    to: '      workspace: law-one\n      region: westeurope',
    code: 'schema.unknown-key',
    at: 'region',
  },
  // (c) cross-field
  {
    name: 'period beyond 14 days',
    target: 'rule',
    from: 'queryPeriod: 1h',
    to: 'queryPeriod: 15d',
    code: 'rule.duration-range',
    at: '15d',
  },
  {
    name: 'period shorter than frequency',
    target: 'rule',
    from: 'queryPeriod: 1h',
    to: 'queryPeriod: 30m',
    code: 'rule.period-shorter-than-frequency',
    at: '30m',
  },
  {
    name: 'long period with a fast frequency',
    target: 'rule',
    from: 'queryFrequency: 1h\nqueryPeriod: 1h',
    to: 'queryFrequency: 30m\nqueryPeriod: 2d',
    code: 'rule.long-period-frequency',
    at: '30m',
  },
  { name: 'unknown technique', target: 'rule', from: '  - T1190', to: '  - T9999', code: 'rule.unknown-technique', at: 'T9999' },
  {
    name: 'technique without its tactic',
    target: 'rule',
    from: '  - T1190',
    to: '  - T1190\n  - T1595',
    code: 'rule.technique-tactic',
    at: 'T1595',
  },
  {
    name: 'identifier not valid for the entity type',
    target: 'rule',
    from: 'identifier: Address',
    to: 'identifier: Adress',
    code: 'rule.entity-identifier',
    at: 'Adress',
  },
  {
    name: 'no strong identifier',
    target: 'rule',
    from: 'identifier: FullName',
    to: 'identifier: DnsDomain',
    code: 'rule.entity-strong-identifier',
    at: 'Host',
  },
  {
    name: 'identifier mapped twice',
    target: 'rule',
    from: '      - identifier: FullName\n        columnName: DeviceName\n',
    to: '      - identifier: FullName\n        columnName: DeviceName\n      - identifier: FullName\n        columnName: RemoteIP\n',
    code: 'rule.entity-duplicate-identifier',
    at: 'FullName\n        columnName: RemoteIP',
  },
  {
    name: 'four placeholders',
    target: 'rule',
    from: 'alertDisplayNameFormat: Connection from {{RemoteIP}} to {{DeviceName}}',
    to: 'alertDisplayNameFormat: "{{RemoteIP}} {{DeviceName}} {{LocalPort}} {{TimeGenerated}}"',
    code: 'rule.placeholder-count',
    at: '"{{RemoteIP}}',
  },
  {
    name: 'grouping by an unmapped entity',
    target: 'rule',
    from: '    groupByEntities:\n      - IP',
    to: '    groupByEntities:\n      - Account',
    code: 'rule.grouping-entity',
    at: 'Account',
  },
  {
    name: 'grouping by an unknown custom detail',
    target: 'rule',
    from: '    groupByEntities:\n      - IP',
    to: '    groupByEntities:\n      - IP\n    groupByCustomDetails:\n      - LocalPrt',
    code: 'rule.grouping-custom-detail',
    at: 'LocalPrt',
  },
  {
    name: 'suppression without a duration',
    target: 'rule',
    from: 'triggerThreshold: 0',
    to: 'triggerThreshold: 0\nsuppressionEnabled: true',
    code: 'rule.suppression',
    at: 'suppressionEnabled',
  },
  {
    name: 'non-ASCII operator in the query code',
    target: 'rule',
    from: "== 'InboundConnectionAccepted'",
    to: "\u2260 'InboundConnectionAccepted'",
    code: 'rule.query-ascii',
    at: '\u2260',
  },
  {
    name: 'non-ASCII in a query comment',
    target: 'rule',
    from: '  | where LocalPort !in (SkipPorts)\n',
    to: '  | where LocalPort !in (SkipPorts) // puertos excluidos \u2014 ver parametros\n',
    code: 'rule.query-ascii',
    at: '\u2014',
    severity: 'warning',
  },
  {
    name: 'search key not a column',
    target: 'watchlist',
    from: 'itemsSearchKey: IPAddress',
    to: 'itemsSearchKey: IpAddress',
    code: 'watchlist.search-key',
    at: 'IpAddress',
  },
  {
    name: 'column defined twice',
    target: 'watchlist',
    from: '  - name: Score\n',
    to: '  - name: score\n    type: string\n  - name: Score\n',
    code: 'watchlist.duplicate-column',
    at: 'Score\n',
  },
  {
    name: 'exit score above entry score',
    target: 'watchlist',
    from: 'exitScore: 3',
    to: 'exitScore: 5',
    code: 'watchlist.feed-scores',
    at: '5',
  },
  {
    name: 'allow-list entry not a CIDR',
    target: 'watchlist',
    from: 'scoreThresholds: [6]',
    to: 'scoreThresholds: [6]\n  allowList: [203.0.113.0/24, 300.1.1.1]',
    code: 'watchlist.allow-list',
    at: '300.1.1.1',
  },
  {
    name: 'grouping lists without Selected',
    target: 'rule',
    from: 'matchingMethod: Selected',
    to: 'matchingMethod: AllEntities',
    code: 'rule.grouping-ignored',
    at: 'AllEntities',
    severity: 'warning',
  },
  {
    name: 'Selected grouping with nothing to group by',
    target: 'rule',
    from: '    groupByEntities:\n      - IP\n',
    to: '',
    code: 'rule.grouping-selection',
    at: 'Selected',
  },
  {
    name: 'score threshold not above the entry level',
    target: 'watchlist',
    from: 'scoreThresholds: [6]',
    to: 'scoreThresholds: [4, 6]',
    code: 'watchlist.feed-threshold',
    at: '4, 6',
    severity: 'warning',
  },
  {
    name: 'feed without an integer Score column',
    target: 'watchlist',
    from: '  - name: Score\n    type: int\n',
    to: '  - name: Score\n    type: string\n',
    code: 'watchlist.feed-columns',
    at: '- name: IPAddress',
  },
  {
    name: 'custom detail key that is not a name',
    target: 'rule',
    from: 'customDetails:\n  LocalPort: LocalPort',
    to: 'customDetails:\n  Local-Port: LocalPort',
    code: 'schema.key-format',
    at: 'Local-Port',
  },
  {
    name: 'name over 256 characters',
    target: 'rule',
    from: 'name: Fixture rule reading the ipsum watchlist',
    to: `name: ${'x'.repeat(257)}`,
    code: 'schema.length',
    at: 'xxx',
  },
  {
    name: 'more than 10 entity mappings',
    target: 'rule',
    from: 'customDetails:',
    to: `${'  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: RemoteIP\n'.repeat(9)}customDetails:`,
    code: 'schema.count',
    at: '- entityType: Host',
  },
  {
    name: 'a list where a mapping belongs',
    target: 'rule',
    from: 'alertDetailsOverride:\n  alertDisplayNameFormat: Connection from {{RemoteIP}} to {{DeviceName}}',
    to: 'alertDetailsOverride: [x]',
    code: 'schema.type',
    at: '[x]',
  },
  {
    name: 'workspace name used twice',
    target: 'workspaces',
    from: '            SkipPorts: [25]\n',
    to: '            SkipPorts: [25]\n    - name: ws-one\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      resourceGroup: rg-two\n      workspace: law-two\n',
    code: 'workspaces.duplicate-name',
    at: 'ws-one\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      resourceGroup: rg-two',
  },
  {
    name: 'same workspace listed twice',
    target: 'workspaces',
    from: '            SkipPorts: [25]\n',
    to: '            SkipPorts: [25]\n    - name: ws-two\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      resourceGroup: RG-ONE\n      workspace: LAW-ONE\n',
    code: 'workspaces.duplicate-target',
    at: 'LAW-ONE',
  },
  {
    name: 'settings for an unknown watchlist',
    target: 'workspaces',
    from: '      rules:\n',
    to: '      watchlists:\n        ipsm:\n          sync: false\n      rules:\n',
    code: 'workspaces.unknown-watchlist',
    at: 'ipsm',
  },
  {
    name: 'watchlistScore naming no watchlist with a feed',
    target: 'rule',
    from: 'watchlistScore: ipsum',
    to: 'watchlistScore: ipsun',
    code: 'collection.unknown-watchlist',
    at: 'ipsun',
  },
  {
    name: 'file without the schema line',
    target: 'rule',
    from: '# yaml-language-server: $schema=../../../schemas/rule.schema.json\n',
    to: '# a rule\n',
    code: 'yaml.schema-comment',
    at: '# a rule',
    severity: 'warning',
  },
  // (d) cross-file
  {
    name: 'override for a missing rule file',
    target: 'workspaces',
    from: '        rule:\n',
    to: '        rules:\n',
    code: 'workspaces.unknown-rule',
    at: 'rules:\n          severity',
    offset: 0,
  },
  {
    name: 'override of an undeclared parameter',
    target: 'workspaces',
    from: 'MinScore: 6',
    to: 'MinScor: 6',
    code: 'workspaces.unknown-parameter',
    at: 'MinScor',
  },
  {
    name: 'override named like an Object.prototype member',
    target: 'workspaces',
    from: 'MinScore: 6',
    to: 'constructor: 6',
    code: 'workspaces.unknown-parameter',
    at: 'constructor',
  },
  {
    name: 'override value out of range',
    target: 'workspaces',
    from: 'MinScore: 6',
    to: 'MinScore: 11',
    code: 'workspaces.parameter-value',
    at: 'MinScore: 11',
    offset: 10,
  },
  {
    name: 'override value of the wrong type',
    target: 'workspaces',
    from: 'SkipPorts: [25]',
    to: 'SkipPorts: 25',
    code: 'workspaces.parameter-value',
    at: 'SkipPorts: 25',
    offset: 11,
  },
  {
    name: 'watchlist score level the sync does not keep exact',
    target: 'workspaces',
    from: 'MinScore: 6',
    to: 'MinScore: 7',
    code: 'collection.watchlist-score',
    at: 'MinScore: 7',
    offset: 10,
  },
  {
    name: 'unknown watchlist alias',
    target: 'rule',
    from: "_GetWatchlist('ipsum')",
    to: "_GetWatchlist('ipsun')",
    code: 'kql.unknown-watchlist',
    at: "'ipsun'",
  },
  // (e) KQL inside the multi-line query block
  {
    name: 'unknown column',
    target: 'rule',
    from: "| where ActionType == 'InboundConnectionAccepted'",
    to: "| where ActionTyp == 'InboundConnectionAccepted'",
    code: 'kql.KS142',
    at: 'ActionTyp',
  },
  {
    name: 'unknown table',
    target: 'rule',
    from: '  DeviceNetworkEvents\n',
    to: '  DeviceNetworkEvent\n',
    code: 'kql.unknown-table',
    at: 'DeviceNetworkEvent\n',
  },
  // (f) result columns
  {
    name: 'entity column in the wrong case',
    target: 'rule',
    from: 'columnName: DeviceName',
    to: 'columnName: devicename',
    code: 'kql.column-case',
    at: 'devicename',
  },
  {
    name: 'custom detail column not in the output',
    target: 'rule',
    from: 'LocalPort: LocalPort',
    to: 'LocalPort: LocalPrt',
    code: 'kql.missing-column',
    at: 'LocalPrt',
  },
  {
    name: 'placeholder column not in the output',
    target: 'rule',
    from: 'to {{DeviceName}}',
    to: 'to {{Computer}}',
    code: 'kql.missing-column',
    at: '{{Computer}}',
  },
  {
    name: 'sentinel entities mapping column not in the output',
    target: 'rule',
    from: 'customDetails:\n',
    to: 'sentinelEntitiesMappings:\n  - columnName: Entities\ncustomDetails:\n',
    code: 'kql.missing-column',
    at: 'Entities\n',
  },
  {
    name: 'an empty entityMappings list (leave the key out instead)',
    target: 'rule',
    from: 'entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: FullName\n        columnName: DeviceName\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: RemoteIP\n',
    to: 'entityMappings: []\n',
    code: 'schema.count',
    at: 'entityMappings: []',
    offset: 16,
  },
  // (g) parameters
  {
    name: 'declared parameter without a let',
    target: 'rule',
    from: '  let SkipPorts = dynamic([]);\n',
    to: '',
    code: 'rule.parameter-let',
    at: 'SkipPorts:',
  },
  {
    name: 'parameter default of the wrong type',
    target: 'rule',
    from: 'let MinScore = 4;',
    to: "let MinScore = 'four';",
    code: 'rule.parameter-default',
    at: "'four'",
  },
];

describe('validation layers: one defect, one diagnostic at the right place', () => {
  it('the fixture content is clean', () => {
    expect(validateFiles(fixtureWith({})).diagnostics).toEqual([]);
  });

  it.each(cases)('$name → $code', (c) => {
    const text = replaceOnce(fixture[c.target], c.from, c.to);
    const result = validateFiles(fixtureWith({ [c.target]: text }));
    const expected = positionOf(text, c.at ?? c.to, c.offset ?? 0);
    const matching = result.diagnostics.filter((d) => d.code === c.code);
    expect(matching, JSON.stringify(result.diagnostics, null, 2)).toHaveLength(1);
    expect(matching[0]).toMatchObject({
      file: FILES[c.target],
      line: expected.line,
      column: expected.column,
      severity: c.severity ?? 'error',
    });
    expect(matching[0]!.message.length).toBeGreaterThan(10);
  });
});

describe('cross-file collisions name both files', () => {
  it('duplicate rule ids: reported on both files, each pointing at the other (issue 10.15)', () => {
    const files: Files = {
      ...fixtureWith({}),
      rules: { a: fixture.rule, b: replaceOnce(fixture.rule, 'name: Fixture rule', 'name: Another rule') },
    };
    const dup = validateFiles(files).diagnostics.filter((d) => d.code === 'collection.duplicate-id');
    const line = positionOf(fixture.rule, 'id:').line;
    const hint = 'Every rule needs its own GUID: give the newer rule a fresh one (node -p "crypto.randomUUID()").';
    expect(dup).toStrictEqual([
      {
        code: 'collection.duplicate-id',
        severity: 'error',
        file: 'rules/a.yaml',
        ...positionOf(fixture.rule, '6f1c2a57'),
        message: `rule id '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10' is also used by rules/b.yaml:${line}`,
        hint,
      },
      {
        code: 'collection.duplicate-id',
        severity: 'error',
        file: 'rules/b.yaml',
        ...positionOf(fixture.rule, '6f1c2a57'),
        message: `rule id '6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10' is also used by rules/a.yaml:${line}`,
        hint,
      },
    ]);
  });

  it('duplicate rule ids in three files: each names the two others', () => {
    const files: Files = {
      ...fixtureWith({}),
      rules: {
        a: fixture.rule,
        b: replaceOnce(fixture.rule, 'name: Fixture rule', 'name: Rule b'),
        c: replaceOnce(fixture.rule, 'name: Fixture rule', 'name: Rule c'),
      },
    };
    const line = positionOf(fixture.rule, 'id:').line;
    const dup = validateFiles(files).diagnostics.filter((d) => d.code === 'collection.duplicate-id');
    expect(dup.map((d) => [d.file, d.message.replace(/^.* is also used by /, '')])).toStrictEqual([
      ['rules/a.yaml', `rules/b.yaml:${line}, rules/c.yaml:${line}`],
      ['rules/b.yaml', `rules/a.yaml:${line}, rules/c.yaml:${line}`],
      ['rules/c.yaml', `rules/a.yaml:${line}, rules/b.yaml:${line}`],
    ]);
  });

  it('duplicate watchlist aliases, case-insensitively', () => {
    const other = replaceOnce(fixture.watchlist, 'alias: ipsum', 'alias: IPSUM');
    const files: Files = { ...fixtureWith({}), watchlists: { ipsum: fixture.watchlist, zzz: other } };
    const dup = validateFiles(files).diagnostics.filter((d) => d.code === 'collection.duplicate-alias');
    const hint = 'Watchlist aliases are unique per workspace (case-insensitive): rename one.';
    expect(dup).toStrictEqual([
      {
        code: 'collection.duplicate-alias',
        severity: 'error',
        file: 'watchlists/ipsum.yaml',
        ...positionOf(fixture.watchlist, 'ipsum'),
        message: `watchlist alias 'ipsum' is also used by watchlists/zzz.yaml:${positionOf(other, 'alias:').line}`,
        hint,
      },
      {
        code: 'collection.duplicate-alias',
        severity: 'error',
        file: 'watchlists/zzz.yaml',
        ...positionOf(other, 'IPSUM'),
        message: `watchlist alias 'IPSUM' is also used by watchlists/ipsum.yaml:${positionOf(fixture.watchlist, 'alias:').line}`,
        hint,
      },
    ]);
  });
});

describe('a rule file that cannot be read (issue 10.17)', () => {
  it('a YAML syntax error: one error on the rule, and workspaces.yaml says its overrides are not checked (not unknown-rule)', () => {
    const broken = replaceOnce(fixture.rule, 'name: Fixture rule reading the ipsum watchlist', 'name: [Fixture rule');
    const result = validateFiles(fixtureWith({ rule: broken }));
    const ws = result.diagnostics.filter((d) => d.file === 'workspaces.yaml');
    expect(result.diagnostics.filter((d) => d.file === 'rules/rule.yaml').map((d) => d.code)).toStrictEqual(['yaml.syntax']);
    expect(ws.map((d) => [d.code, d.severity, d.message, d.hint])).toStrictEqual([
      [
        'workspaces.rule-unreadable',
        'warning',
        'rule rule could not be read, so its overrides here are not checked',
        'Fix the errors reported in its rule file; these overrides are checked again once it reads.',
      ],
    ]);
    expect(ws[0]).toMatchObject(positionOf(fixture.workspaces, 'rule:'));
  });

  it('an override of a rule file that does not exist is still workspaces.unknown-rule', () => {
    const result = validateFiles({ ...fixtureWith({}), rules: { other: replaceOnce(fixture.rule, 'name: Fixture rule', 'name: Other') } });
    expect(result.diagnostics.filter((d) => d.file === 'workspaces.yaml').map((d) => d.code)).toStrictEqual(['workspaces.unknown-rule']);
  });
});

describe('every problem in every file in one run', () => {
  it('reports defects from three files and several layers together', () => {
    const result = validateFiles(
      fixtureWith({
        rule: replaceOnce(replaceOnce(fixture.rule, 'severity: Low', 'severty: Low'), 'columnName: DeviceName', 'columnName: devicename'),
        watchlist: replaceOnce(fixture.watchlist, 'exitScore: 3', 'exitScore: 5'),
        workspaces: replaceOnce(fixture.workspaces, 'MinScore: 6', 'MinScore: 11'),
      }),
    );
    expect(result.diagnostics.map((d) => `${d.file} ${d.code}`).sort()).toEqual([
      'rules/rule.yaml kql.column-case',
      'rules/rule.yaml schema.unknown-key',
      'watchlists/ipsum.yaml watchlist.feed-scores',
      'workspaces.yaml workspaces.parameter-value',
    ]);
  });
});

describe('parameters: the query compiled with each workspace override must analyze', () => {
  it('reports an override that breaks the query at the override in workspaces.yaml', () => {
    const rule = replaceOnce(
      replaceOnce(fixture.rule, '  SkipPorts:\n', '  SourceTable:\n    type: string\n    description: Table to read.\n  SkipPorts:\n'),
      '  DeviceNetworkEvents\n',
      '  table(SourceTable)\n',
    ).replace('  let SkipPorts', "  let SourceTable = 'DeviceNetworkEvents';\n  let SkipPorts");
    const workspaces = replaceOnce(fixture.workspaces, 'SkipPorts: [25]', 'SkipPorts: [25]\n            SourceTable: DeviceNetworkEvnts');
    const result = validateFiles(fixtureWith({ rule, workspaces }));
    expect(result.diagnostics.map((d) => d.code)).toEqual(['kql.override']);
    expect(result.diagnostics[0]).toMatchObject({ file: 'workspaces.yaml', ...positionOf(workspaces, 'parameters:') });
    expect(result.diagnostics[0]).toMatchObject({
      message:
        "with workspace ws-one's parameters, the query of rules/rule.yaml fails: table or name 'SourceTable' is unknown (unknown-table, query line 7 after substitution)",
      hint: 'Fix the override value, or the query so that it accepts it.',
    });
  });

  it('a typo in the default query is reported once, on the rule, not again at every workspace override (issue 10.16)', () => {
    const rule = replaceOnce(
      fixture.rule,
      "  | where ActionType == 'InboundConnectionAccepted'",
      "  | where ActionTyp == 'InboundConnectionAccepted'",
    );
    const workspaces = `${fixture.workspaces.trimEnd()}\n    - name: ws-two\n      subscriptionId: 22222222-2222-2222-2222-222222222222\n      resourceGroup: rg-two\n      workspace: law-two\n      rules:\n        rule:\n          parameters:\n            MinScore: 4\n`;
    const result = validateFiles(fixtureWith({ rule, workspaces }));
    expect(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toStrictEqual([
      "rules/rule.yaml kql.KS142 The name 'ActionTyp' does not refer to any known column, table, variable or function.",
    ]);
  });

  it('a pair of typographic quotes: the two characters, not a cascade of parser, column and override errors (issue 10.16)', () => {
    const rule = replaceOnce(
      fixture.rule,
      "ActionType == 'InboundConnectionAccepted'",
      'ActionType == \u2018InboundConnectionAccepted\u2019',
    );
    const result = validateFiles(fixtureWith({ rule }));
    expect(result.diagnostics.map((d) => [d.file, d.code, d.severity, d.message])).toStrictEqual([
      ['rules/rule.yaml', 'rule.query-ascii', 'error', "non-ASCII character U+2018 ('\u2018') in the query code"],
      ['rules/rule.yaml', 'rule.query-ascii', 'error', "non-ASCII character U+2019 ('\u2019') in the query code"],
    ]);
  });

  it('a broken operator: its syntax error, not the unknown names the binder then finds down the pipeline (issue 10.16)', () => {
    const rule = replaceOnce(fixture.rule, '  | where LocalPort !in (SkipPorts)', '  | whre LocalPort !in (SkipPorts)');
    const result = validateFiles(fixtureWith({ rule }));
    expect(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column} ${d.code} ${d.message}`)).toStrictEqual([
      `rules/rule.yaml:${positionOf(rule, 'whre').line}:${positionOf(rule, 'whre').column} kql.KS176 Query operator expected.`,
    ]);
  });

  it('an override that breaks the query in two places: one error per workspace, the first, saying how many follow from it', () => {
    const rule = replaceOnce(
      replaceOnce(fixture.rule, '  SkipPorts:\n', '  SourceTable:\n    type: string\n    description: Table to read.\n  SkipPorts:\n'),
      '  DeviceNetworkEvents\n',
      "  table(SourceTable)\n  | join kind=leftanti (table(SourceTable) | where ActionType == 'ListeningConnectionCreated') on DeviceId\n",
    ).replace('  let SkipPorts', "  let SourceTable = 'DeviceNetworkEvents';\n  let SkipPorts");
    const workspaces = replaceOnce(fixture.workspaces, 'SkipPorts: [25]', 'SkipPorts: [25]\n            SourceTable: DeviceNetworkEvnts');
    const result = validateFiles(fixtureWith({ rule, workspaces }));
    expect(result.diagnostics.map((d) => `${d.file} ${d.code} ${d.message}`)).toStrictEqual([
      "workspaces.yaml kql.override with workspace ws-one's parameters, the query of rules/rule.yaml fails: table or name 'SourceTable' is unknown (unknown-table, query line 7 after substitution); 1 more error follows from it",
    ]);
  });

  it('accepts the same rule with its default and with a valid override', () => {
    const rule = replaceOnce(
      replaceOnce(fixture.rule, '  SkipPorts:\n', '  SourceTable:\n    type: string\n    description: Table to read.\n  SkipPorts:\n'),
      '  DeviceNetworkEvents\n',
      '  table(SourceTable)\n',
    ).replace('  let SkipPorts', "  let SourceTable = 'DeviceNetworkEvents';\n  let SkipPorts");
    expect(validateFiles(fixtureWith({ rule })).diagnostics).toEqual([]);
  });
});

describe('workspace overrides of a malformed declaration', () => {
  it('reports the declaration without a type once and does not check values against it', () => {
    const rule = replaceOnce(fixture.rule, '  SkipPorts:\n    type: int[]\n', '  SkipPorts:\n');
    const result = validateFiles(fixtureWith({ rule }));
    expect(result.diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['rules/rule.yaml schema.missing-key']);
    expect(result.diagnostics[0]).toMatchObject(positionOf(rule, 'SkipPorts:\n    description'));
  });
});

describe('every YAML file under rules/ and watchlists/ is of that kind', () => {
  it('a file without a single key of its kind: one diagnostic at 1:1 saying what it looks like, nothing else from it', () => {
    const result = validateFiles({
      ...fixtureWith({}),
      rules: { rule: fixture.rule, 'ci/build': 'on: push\njobs: {}\n', parser: 'FunctionName: MyParser\nFunctionQuery: Syslog\n' },
      watchlists: { ipsum: fixture.watchlist, stray: fixture.rule },
    });
    expect(result.diagnostics.map((d) => [d.file, d.code, d.line, d.column, d.message.replace(/^.*: it looks like /, '')])).toEqual([
      ['rules/ci/build.yaml', 'schema.not-a-rule', 1, 1, 'a GitHub workflow'],
      ['rules/parser.yaml', 'schema.not-a-rule', 1, 1, 'a parser (workspace function)'],
      ['watchlists/stray.yaml', 'schema.not-a-watchlist', 1, 1, 'an analytics rule, which belongs in rules/'],
    ]);
    // a rule with most keys wrong is still a rule: the schema layer names each problem
    const typos = validateFiles({ ...fixtureWith({}), rules: { rule: replaceOnce(fixture.rule, 'severity: Low', 'severty: Low') } });
    expect(typos.diagnostics.map((d) => d.code)).toEqual(['schema.unknown-key']);
  });

  it('two rules with one file name in different folders keep their own parameters (keyed by path)', () => {
    const other = replaceOnce(
      replaceOnce(
        replaceOnce(fixture.rule, 'id: 6f1c2a57-0b8e-4a43-9d6e-2c1f0e5b7a10', 'id: 6f1c2a57-0b8e-4a43-9d6e-000000000099'),
        'name: Fixture rule reading the ipsum watchlist',
        'name: Other',
      ),
      '  MinScore:\n    type: int',
      '  MinScore:\n    type: long',
    );
    const workspaces = replaceOnce(fixture.workspaces, '        rule:\n', '        b/c/rule:\n');
    const result = validateFiles({ ...fixtureWith({ workspaces }), rules: { 'a/rule': fixture.rule, 'b/c/rule': other } });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.parsed.rules.map((r) => r.slug)).toEqual(['a/rule', 'b/c/rule']);
    expect([...result.parsed.lets.keys()]).toEqual(['a/rule', 'b/c/rule']);
  });
});

describe('entity mappings are optional', () => {
  it('a rule without entityMappings (what a live rule without entities exports) is clean', () => {
    const rule = replaceOnce(
      replaceOnce(fixture.rule, /entityMappings:\n[\s\S]*?customDetails:/.exec(fixture.rule)![0], 'customDetails:'),
      '    groupByEntities:\n      - IP\n',
      '    groupByAlertDetails:\n      - Severity\n',
    );
    expect(rule).not.toContain('entityMappings');
    expect(validateFiles(fixtureWith({ rule })).diagnostics).toEqual([]);
  });
});

// Windows line endings: the same defects, in CRLF copies of the fixture files, at the same positions
// (a KQL diagnostic deep in a query must not drift one column per preceding line).
describe('validation layers in CRLF files: exact positions', () => {
  const crlf = (text: string): string => text.replace(/\r?\n/g, '\r\n');
  const crlfCases: Case[] = [
    ...cases,
    {
      name: 'unknown column deep in the query',
      target: 'rule',
      from: '  | project TimeGenerated, DeviceName, RemoteIP, LocalPort',
      to: '  | project TimeGenerated, DeviceNam, RemoteIP, LocalPort',
      code: 'kql.KS142',
      at: 'DeviceNam,',
    },
  ];

  it('the CRLF fixture content is clean', () => {
    const files = fixtureWith({ rule: crlf(fixture.rule), watchlist: crlf(fixture.watchlist), workspaces: crlf(fixture.workspaces) });
    expect(validateFiles(files).diagnostics).toEqual([]);
  });

  it.each(crlfCases)('$name → $code', (c) => {
    const text = replaceOnce(crlf(fixture[c.target]), crlf(c.from), crlf(c.to));
    const others = { rule: crlf(fixture.rule), watchlist: crlf(fixture.watchlist), workspaces: crlf(fixture.workspaces) };
    const result = validateFiles(fixtureWith({ ...others, [c.target]: text }));
    const expected = positionOf(text, crlf(c.at ?? c.to), c.offset ?? 0);
    const matching = result.diagnostics.filter((d) => d.code === c.code);
    expect(matching, JSON.stringify(result.diagnostics, null, 2)).toHaveLength(1);
    expect(matching[0]).toMatchObject({
      file: FILES[c.target],
      line: expected.line,
      column: expected.column,
      severity: c.severity ?? 'error',
    });
  });
});
