// The Defender XDR advanced-hunting artifact: derived from the rule's syntax tree, analyzed clean
// against the advanced-hunting table schemas (schemas/tables/defender/).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { huntingArtifacts } from '../../../scripts/core/hunting/artifacts.ts';
import { ipsumLevelUrl } from '../../../scripts/core/hunting/defender.ts';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import type { ParsedContent } from '../../../scripts/core/validate/validate.ts';
import { loadTableSchemas } from '../../../scripts/io/tables.ts';
import { fixture, repoTables, replaceOnce, validateFiles } from '../../support/content.ts';
import { repoContent } from '../../support/build.ts';

const defenderTables = loadTableSchemas(fileURLToPath(new URL('../../../schemas/tables/defender/', import.meta.url)));
const hunting = (parsed: ParsedContent) => huntingArtifacts({ parsed, sentinelTables: repoTables(), defenderTables: () => defenderTables });

const LEVEL_PARAMETER = `parameters:
  Level:
    type: int
    description: Level.
    minimum: 4
    maximum: 10
    watchlistScore: ipsum
`;

/** A rule over DeviceInfo/DeviceNetworkEvents that asks for the Defender form. */
function rule(query: string, watchlist = fixture.watchlist): ParsedContent {
  const text = `id: 2b3c4d5e-6f70-4819-a2b3-c4d5e6f70819
name: Hunting fixture
description: Defender form fixture.
severity: Low
requiredDataConnectors: []
queryFrequency: 1h
queryPeriod: 1h
triggerOperator: gt
triggerThreshold: 0
tactics: [InitialAccess]
relevantTechniques: [T1190]
${query.includes('let Level') ? LEVEL_PARAMETER : ''}query: |
${query
  .split('\n')
  .map((l) => `  ${l}`)
  .join('\n')}
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: FullName
        columnName: DeviceName
version: 1.0.0
kind: Scheduled
hunting:
  defender: true
`;
  const result = validateFiles({ rules: { fixture: text }, watchlists: { ipsum: watchlist } });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.parsed;
}

describe('Defender advanced-hunting artifact', () => {
  it('the detection rule: Timestamp, the IPsum level file, no watchlist; analyzes clean', () => {
    const { files, diagnostics } = hunting(repoContent());
    expect(diagnostics).toEqual([]);
    const text = files.get('hunting/ipsum-inbound-internet-facing.defender.kql')!;
    expect(text).not.toMatch(/TimeGenerated|_GetWatchlist/);
    expect(text).toContain(
      'externaldata(IPAddress: string) [@"https://raw.githubusercontent.com/stamparm/ipsum/master/levels/4.txt"] with (format="txt")',
    );
    expect(text).toContain('summarize arg_max(Timestamp, *) by DeviceId, InternetFacingLocalPort');
    // The scheduled rule's ingestion-time selection is dropped with its line and comment; the widened window stays.
    expect(text).not.toMatch(/ingestion_time|exactly one run/);
    expect(text).toContain(
      "| where Timestamp > ago(ConnectionLookback + IngestionDelayAllowance)\n| where ActionType == 'InboundConnectionAccepted'",
    );
    expect(text).toMatch(/^\/\/ Inbound connection from an IPsum-listed IP/);
    const analysis = analyzeKql(createKqlEnvironment({ tables: defenderTables, watchlists: [] }), text);
    expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(analysis.unknownTables).toEqual([]);
    expect(analysis.columns?.map((c) => c.name).slice(0, 5)).toEqual([
      'Timestamp',
      'DeviceName',
      'ThreatIntelligenceIP',
      'LocalPort',
      'InitiatingProcessFileName',
    ]);
  });

  it('the level file follows the parameter that declares watchlistScore; only column references are renamed', () => {
    const { files, diagnostics } = hunting(
      rule(
        [
          'let Level = 6;',
          "let Since = 'TimeGenerated';",
          "let Listed = _GetWatchlist('ipsum') | where toint(Score) >= Level | project IP = tostring(SearchKey);",
          'DeviceNetworkEvents',
          '| where TimeGenerated > ago(1h) and RemoteIP in (Listed)',
          '| project TimeGenerated, DeviceName, RemoteIP, Since',
        ].join('\n'),
      ),
    );
    expect(diagnostics).toEqual([]);
    const text = files.get('hunting/fixture.defender.kql')!;
    expect(text).toContain('[@"https://feed.invalid/levels/6.txt"]');
    expect(text).toContain('| extend SearchKey = IPAddress, Score = 6)');
    expect(text).toContain("let Since = 'TimeGenerated';");
    expect(text).toContain('| project Timestamp, DeviceName, RemoteIP, Since');
  });

  it('drops a where that only selects by ingestion time, and refuses ingestion_time() anywhere else', () => {
    const kept = hunting(
      rule(
        [
          'DeviceNetworkEvents',
          "| where TimeGenerated > ago(75m) | where ingestion_time() >= ago(1h) // the rule's selection",
          '| project TimeGenerated, DeviceName',
        ].join('\n'),
      ),
    );
    expect(kept.diagnostics).toEqual([]);
    expect(kept.files.get('hunting/fixture.defender.kql')).toContain(
      'DeviceNetworkEvents\n| where Timestamp > ago(75m)\n| project Timestamp, DeviceName',
    );
    const refused = hunting(
      rule(
        [
          'DeviceNetworkEvents',
          "| where ingestion_time() > ago(1h) and ActionType == 'InboundConnectionAccepted'",
          '| project TimeGenerated, DeviceName',
        ].join('\n'),
      ),
    );
    expect(refused.files.size).toBe(0);
    expect(refused.diagnostics.map((d) => [d.message, d.hint])).toEqual([
      [
        'no Defender advanced-hunting form: ingestion_time() is used other than in a `| where` of its own (offset 28); advanced hunting has no ingestion-time selection to keep: put it in a where of its own',
        'Fix the query, or remove `hunting: { defender: true }`.',
      ],
    ]);
  });

  it('AdditionalFields (a string in advanced hunting) is parsed where it is used as a value, left as is inside todynamic()', () => {
    const { files, diagnostics } = hunting(
      rule(
        [
          'DeviceInfo',
          '| extend Reason = tostring(AdditionalFields.InternetFacingReason), Parsed = todynamic(AdditionalFields), Raw = tostring(AdditionalFields)',
          "| extend Port = toint(AdditionalFields['InternetFacingLocalPort'])",
          '| project Timestamp = TimeGenerated, DeviceName, Reason, Parsed, Raw, Port',
        ].join('\n'),
      ),
    );
    expect(diagnostics).toEqual([]);
    const text = files.get('hunting/fixture.defender.kql')!;
    expect(text).toContain(
      'tostring(parse_json(tostring(AdditionalFields)).InternetFacingReason), Parsed = todynamic(AdditionalFields), Raw = tostring(AdditionalFields)',
    );
    expect(text).toContain("toint(parse_json(tostring(AdditionalFields))['InternetFacingLocalPort'])");
  });

  it.each([
    [
      'AdditionalFields projected as a column',
      'DeviceInfo\n| project DeviceName, AdditionalFields',
      'no Defender advanced-hunting form: column AdditionalFields is dynamic in Sentinel but a string in advanced hunting, and is used where it cannot be parsed (offset 33); parse it first: extend X = todynamic(AdditionalFields)',
    ],
    [
      'a watchlist without a feed',
      "_GetWatchlist('ipsum') | join kind=inner (DeviceInfo) on $left.SearchKey == $right.PublicIP | project DeviceName",
      "no Defender advanced-hunting form: watchlist 'ipsum' has no feed: advanced hunting has no watchlists and there is no public file to read it from",
    ],
  ])('refused with a diagnostic at the hunting key: %s', (_, query, message) => {
    const watchlist = message.includes('has no feed')
      ? replaceOnce(fixture.watchlist, fixture.watchlist.slice(fixture.watchlist.indexOf('feed:')), '')
      : fixture.watchlist;
    const { files, diagnostics } = hunting(rule(query, watchlist));
    expect(files.size).toBe(0);
    expect(diagnostics.map((d) => d.code)).toEqual(['hunting.defender']);
    expect(diagnostics[0]).toMatchObject({ message, hint: 'Fix the query, or remove `hunting: { defender: true }`.' });
    expect(diagnostics[0]!.line).toBe(query.split('\n').length + 21); // the `defender: true` line
  });

  it.each([
    [
      'https://raw.githubusercontent.com/stamparm/ipsum/master/ipsum.txt',
      5,
      'https://raw.githubusercontent.com/stamparm/ipsum/master/levels/5.txt',
    ],
    ['https://mirror.invalid/feeds/ipsum.txt', 4, 'https://mirror.invalid/feeds/levels/4.txt'],
    ['https://mirror.invalid/feeds/list.csv', 4, undefined],
  ])('ipsumLevelUrl(%s, %i)', (url, level, expected) => expect(ipsumLevelUrl(url, level)).toBe(expected));
});
