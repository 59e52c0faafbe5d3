import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import type { WatchlistSchema } from '../../../scripts/core/kql/types.ts';
import { loadTableSchemas } from '../../../scripts/io/tables.ts';

const tablesDir = fileURLToPath(new URL('../../../schemas/tables/', import.meta.url));
const ipsum: WatchlistSchema = {
  alias: 'ipsum',
  columns: [
    { name: 'IPAddress', type: 'string' },
    { name: 'Score', type: 'int' },
  ],
};

let env: KqlEnvironment;
beforeAll(() => {
  env = createKqlEnvironment({ tables: loadTableSchemas(tablesDir), watchlists: [ipsum] });
});

// The shape of rules/ipsum-inbound-internet-facing.yaml's query (written out here so that the test
// does not change when the rule is tuned).
const detection = `// Parameters
let MinIpsumLevel = 4;
let ExcludedLocalPorts = dynamic([]);
let ConnectionLookback = 1h;
let IpsumIPs = _GetWatchlist('ipsum')
    | where toint(Score) >= MinIpsumLevel
    | project IpsumIP = tostring(SearchKey), IpsumScore = toint(Score);
let InternetFacingPorts = DeviceInfo
    | extend Facing = todynamic(AdditionalFields)
    | extend InternetFacingReason = tostring(Facing.InternetFacingReason),
        InternetFacingLocalIp = tostring(Facing.InternetFacingLocalIp),
        InternetFacingLocalPort = toint(Facing.InternetFacingLocalPort)
    | summarize arg_max(TimeGenerated, *) by DeviceId, InternetFacingLocalPort
    | where IsInternetFacing
    | project DeviceId, InternetFacingLocalIp, InternetFacingLocalPort, InternetFacingReason;
DeviceNetworkEvents
| where TimeGenerated > ago(ConnectionLookback)
| where ActionType == 'InboundConnectionAccepted'
| where LocalPort !in (ExcludedLocalPorts)
| join kind=inner InternetFacingPorts on $left.DeviceId == $right.DeviceId
| where LocalPort == InternetFacingLocalPort
| where RemoteIP in ((IpsumIPs | project IpsumIP))
| lookup kind=leftouter IpsumIPs on $left.RemoteIP == $right.IpsumIP
| project-rename ThreatIntelligenceIP = RemoteIP
| project-reorder TimeGenerated, DeviceName, ThreatIntelligenceIP, LocalPort, InitiatingProcessFileName
`;

describe('analyzeKql: the detection query', () => {
  it('analyzes clean, with the columns the rule maps and their types', () => {
    const analysis = analyzeKql(env, detection);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.unknownTables).toEqual([]);
    expect(analysis.columnsOpen).toBe(false);
    const columns = new Map(analysis.columns?.map((c) => [c.name, c.type]));
    expect(
      Object.fromEntries(
        [
          'TimeGenerated',
          'DeviceName',
          'ThreatIntelligenceIP',
          'LocalPort',
          'InitiatingProcessFileName',
          'InternetFacingLocalIp',
          'InternetFacingReason',
          'IpsumScore',
        ].map((name) => [name, columns.get(name)]),
      ),
    ).toEqual({
      TimeGenerated: 'datetime',
      DeviceName: 'string',
      ThreatIntelligenceIP: 'string',
      LocalPort: 'int',
      InitiatingProcessFileName: 'string',
      InternetFacingLocalIp: 'string',
      InternetFacingReason: 'string',
      IpsumScore: 'int',
    });
    // project-reorder puts these first, in this order; RemoteIP was renamed away.
    expect(analysis.columns?.slice(0, 5).map((c) => c.name)).toEqual([
      'TimeGenerated',
      'DeviceName',
      'ThreatIntelligenceIP',
      'LocalPort',
      'InitiatingProcessFileName',
    ]);
    expect(columns.has('RemoteIP')).toBe(false);
  });

  it('lists the tables it reads and the watchlist alias with its position', () => {
    const analysis = analyzeKql(env, detection);
    expect(analysis.tables).toEqual(['DeviceInfo', 'DeviceNetworkEvents']);
    expect(analysis.watchlists).toEqual([{ alias: 'ipsum', start: detection.indexOf("'ipsum'"), length: 7, known: true }]);
  });

  it('lists the top-level lets with the spans of their names and values', () => {
    const lets = analyzeKql(env, detection).lets;
    expect(lets.map((l) => [l.name, l.valueText, l.literal])).toEqual([
      ['MinIpsumLevel', '4', true],
      ['ExcludedLocalPorts', 'dynamic([])', true],
      ['ConnectionLookback', '1h', true],
      ['IpsumIPs', expect.stringMatching(/^_GetWatchlist\('ipsum'\)\n[^]*toint\(Score\)$/), false],
      ['InternetFacingPorts', expect.stringMatching(/^DeviceInfo\n[^]*InternetFacingReason$/), false],
    ]);
    for (const l of lets) {
      expect(detection.slice(l.start, l.start + l.length)).toBe(l.name);
      expect(detection.slice(l.valueStart, l.valueStart + l.valueLength)).toBe(l.valueText);
    }
    expect(lets[0]!.valueStart).toBe(detection.indexOf('= 4;') + 2);
  });
});

describe('analyzeKql: diagnostics and their offsets', () => {
  const unknownColumn =
    'DeviceNetworkEvents\n| where ActionType == "InboundConnectionAccepted"\n| where LocalPrt == 443\n| project DeviceName';
  const cases: { name: string; query: string; code: string; start: number; length: number }[] = [
    { name: 'an unknown column on line 3', query: unknownColumn, code: 'KS142', start: unknownColumn.indexOf('LocalPrt'), length: 8 },
    {
      name: 'a missing expression (syntax error) at the end of line 2',
      query: 'DeviceInfo\n| where DeviceName ==\n| take 1',
      code: 'KS006',
      start: 'DeviceInfo\n| where DeviceName =='.length,
      length: 0,
    },
    {
      name: 'a column read from a watchlist that does not declare it',
      query: "_GetWatchlist('ipsum')\n| project Scor",
      code: 'KS142',
      start: "_GetWatchlist('ipsum')\n| project ".length,
      length: 4,
    },
  ];
  it.each(cases)('$name: $code at the exact offset', ({ query, code, start, length }) => {
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics.map((d) => [d.kustoCode, d.severity, d.start, d.length])).toEqual([[code, 'error', start, length]]);
    expect(analysis.diagnostics[0]!.message).not.toBe('');
  });

  it('a fuzzy union member that does not exist (KS205) is one fuzzy unknown table, and the result is open', () => {
    const query = 'union isfuzzy=true (MissingTable), DeviceInfo';
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics).toEqual([]);
    // isfuzzy tolerates missing tables on purpose: not an error, but the result columns are unknown.
    expect(analysis.unknownTables).toEqual([
      { name: 'MissingTable', start: query.indexOf('MissingTable'), length: 'MissingTable'.length, fuzzy: true },
    ]);
    expect(analysis.columnsOpen).toBe(true);
  });
});

describe('analyzeKql: unknown tables', () => {
  const cases: { name: string; query: string; table: string; at: string; columns: string[] }[] = [
    {
      name: 'pipe source, then its columns',
      query: 'CommonSecurityLog\n| where DeviceVendor == "Fortinet"\n| project SourceIP, Activity',
      table: 'CommonSecurityLog',
      at: 'CommonSecurityLog',
      columns: ['SourceIP', 'Activity'],
    },
    {
      name: 'bare let value used as a table',
      query: 'let logs = SigninLogs;\nlogs\n| where ResultType == "0"\n| project UserPrincipalName',
      table: 'SigninLogs',
      at: 'SigninLogs',
      columns: ['UserPrincipalName'],
    },
    {
      name: 'join operand',
      query: 'DeviceInfo\n| join kind=inner (AuditLogs | project DeviceId, Operation) on DeviceId\n| project DeviceName, Operation',
      table: 'AuditLogs',
      at: 'AuditLogs',
      columns: ['DeviceName', 'Operation'],
    },
    { name: "table('…')", query: "table('Syslog')\n| project Computer", table: 'Syslog', at: "'Syslog'", columns: ['Computer'] },
    { name: 'bracketed name', query: "['Custom_CL']\n| project Value_s", table: 'Custom_CL', at: "['Custom_CL']", columns: ['Value_s'] },
  ];
  it.each(cases)('$name: reported once with its offset, no follow-on errors', ({ query, table, at, columns }) => {
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.unknownTables).toEqual([{ name: table, start: query.indexOf(at), length: at.length }]);
    expect(analysis.columns?.map((c) => c.name)).toEqual(columns);
    expect(analysis.columnsOpen).toBe(true);
    expect(analysis.tables).not.toContain(table);
  });

  it('keeps a real error next to an unknown table', () => {
    const query = 'SecurityEvent\n| join (DeviceInfo | where DeviceNme == "x" | project DeviceId) on DeviceId';
    const analysis = analyzeKql(env, query);
    expect(analysis.unknownTables.map((t) => [t.name, t.start])).toEqual([['SecurityEvent', 0]]);
    expect(analysis.diagnostics.map((d) => [d.kustoCode, d.start])).toEqual([['KS142', query.indexOf('DeviceNme')]]);
    expect(analysis.tables).toEqual(['DeviceInfo']);
  });

  it('reports each occurrence', () => {
    const query = 'union (Nope1 | take 1), (Nope2 | take 1), (Nope1 | take 2)';
    expect(analyzeKql(env, query).unknownTables.map((t) => [t.name, t.start])).toEqual([
      ['Nope1', query.indexOf('Nope1')],
      ['Nope2', query.indexOf('Nope2')],
      ['Nope1', query.lastIndexOf('Nope1')],
    ]);
  });

  it('leaves a misspelt scalar let alone: KS142, not an unknown table', () => {
    const query = 'let threshold = Treshold;\nDeviceInfo\n| where OSBuild > threshold';
    const analysis = analyzeKql(env, query);
    expect(analysis.unknownTables).toEqual([]);
    expect(analysis.diagnostics.map((d) => [d.kustoCode, d.start])).toEqual([['KS142', query.indexOf('Treshold')]]);
  });
});

describe('analyzeKql: watchlists', () => {
  it('types a known watchlist: metadata columns, SearchKey, its own columns as declared', () => {
    const query = "_GetWatchlist('ipsum')\n| where Score >= 5 and toint(Score) < 11\n| extend Level = toint(Score)";
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.columns).toEqual([
      { name: '_DTItemId', type: 'string' },
      { name: 'LastUpdatedTimeUTC', type: 'datetime' },
      { name: 'SearchKey', type: 'string' },
      { name: 'IPAddress', type: 'string' },
      { name: 'Score', type: 'int' },
      { name: 'Level', type: 'int' },
    ]);
    expect(analysis.columnsOpen).toBe(false);
  });

  it('reports an unknown alias once, at its literal, without follow-on errors', () => {
    const query =
      "let Bad = _GetWatchlist('ipsun')\n    | where toint(Score) >= 4\n    | project IP = tostring(SearchKey), Level = Score;\nDeviceNetworkEvents\n| where RemoteIP in ((Bad | project IP))";
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.watchlists).toEqual([{ alias: 'ipsun', start: query.indexOf("'ipsun'"), length: 7, known: false }]);
    expect(analysis.unknownTables).toEqual([]);
  });

  it('lists every call in order, known or not', () => {
    const query = "_GetWatchlist('ipsum') | join (_GetWatchlist('other')) on SearchKey";
    expect(analyzeKql(env, query).watchlists.map((w) => [w.alias, w.start, w.known])).toEqual([
      ['ipsum', 14, true],
      ['other', query.indexOf("'other'"), false],
    ]);
  });
});

describe('analyzeKql: result shape', () => {
  const cases: { query: string; columns: string[] | undefined }[] = [
    { query: 'let x = 1;\nx', columns: undefined },
    { query: 'print Answer = 42', columns: ['Answer'] },
    { query: 'DeviceInfo | summarize Devices = dcount(DeviceId) by OSPlatform', columns: ['OSPlatform', 'Devices'] },
  ];
  it.each(cases)('$query → $columns', ({ query, columns }) => {
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.columns?.map((c) => c.name)).toEqual(columns);
  });
});

describe('analyzeKql: Defender advanced-hunting tables', () => {
  const hunting = `let Listed = externaldata(IP: string)[@"https://example.invalid/levels/4.txt"] with (format="txt");
let Exposed = DeviceInfo
    | extend Fields = parse_json(AdditionalFields)
    | extend LocalIp = tostring(Fields.InternetFacingLocalIp), LocalPortOpen = toint(Fields.InternetFacingLocalPort)
    | summarize arg_max(Timestamp, *) by DeviceId, LocalPortOpen
    | where IsInternetFacing
    | project DeviceId, LocalIp, LocalPortOpen;
DeviceNetworkEvents
| where Timestamp > ago(1h) and ActionType == "InboundConnectionAccepted"
| join kind=inner Exposed on DeviceId
| where LocalPort == LocalPortOpen and RemoteIP in (Listed)
| project Timestamp, DeviceName, RemoteIP, LocalPort, AdditionalFields`;

  it('analyzes a Timestamp-based query clean, with AdditionalFields a string', () => {
    const defender = createKqlEnvironment({ tables: loadTableSchemas(`${tablesDir}defender`), watchlists: [] });
    const analysis = analyzeKql(defender, hunting);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.tables).toEqual(['DeviceInfo', 'DeviceNetworkEvents']);
    expect(analysis.columns).toEqual([
      { name: 'Timestamp', type: 'datetime' },
      { name: 'DeviceName', type: 'string' },
      { name: 'RemoteIP', type: 'string' },
      { name: 'LocalPort', type: 'int' },
      { name: 'AdditionalFields', type: 'string' },
    ]);
  });

  it('the same query against the Sentinel tables fails on Timestamp', () => {
    const analysis = analyzeKql(env, hunting);
    expect(analysis.diagnostics.map((d) => [d.kustoCode, hunting.slice(d.start, d.start + d.length)])).toEqual([
      ['KS142', 'Timestamp'],
      ['KS142', 'Timestamp'],
      ['KS142', 'Timestamp'],
    ]);
  });
});
