// validate with the override shortcut (scripts/core/kql/overrides.ts) reports exactly what it reports
// when every workspace override is analyzed again: parameters of every type, in positions the shortcut
// accepts and in positions it refuses, with overrides that keep the query clean and one that breaks it.
import { describe, expect, it } from 'vitest';
import { validateContent, type ContentSet } from '../../../scripts/core/validate/validate.ts';
import { fixture, repoTables } from '../../support/content.ts';

const PARAMETERS = `parameters:
  MinScore:
    type: int
    description: Minimum IPsum score.
    minimum: 4
    maximum: 10
    watchlistScore: ipsum
  SkipPorts:
    type: int[]
    description: Local ports to ignore.
  Action:
    type: string
    description: The action to look for.
  Ratio:
    type: real
    description: A ratio.
  Accepted:
    type: bool
    description: Whether the connection was accepted.
  MaxAge:
    type: timespan
    description: Newest events only.
  Lookback:
    type: timespan
    description: Look-back window.
  Hosts:
    type: string[]
    description: Devices to ignore.
  Bucket:
    type: long
    description: Port bucket size.
  Source:
    type: string
    description: The table to read.
query: |
  let MinScore = 4;
  let SkipPorts = dynamic([]);
  let Action = 'InboundConnectionAccepted';
  let Ratio = 0.5;
  let Accepted = true;
  let MaxAge = 1h;
  let Lookback = 1d;
  let Hosts = dynamic(['x']);
  let Bucket = 100;
  let Source = 'DeviceNetworkEvents';
  let Listed = _GetWatchlist('ipsum')
      | where toint(Score) >= MinScore
      | project ListedIP = tostring(SearchKey);
  table(Source)
  | where TimeGenerated > ago(Lookback) and now() - TimeGenerated < MaxAge
  | where ActionType == Action and (ActionType == 'InboundConnectionAccepted') == Accepted
  | where todouble(LocalPort) > Ratio
  | where LocalPort !in (SkipPorts) and DeviceName !in~ (Hosts)
  | where RemoteIP in (Listed)
  | extend PortBucket = bin(LocalPort, Bucket)
  | project TimeGenerated, DeviceName, RemoteIP, LocalPort
`;

function workspace(name: string, overrides: string): string {
  return `    - name: ${name}
      subscriptionId: 11111111-1111-1111-1111-111111111111
      resourceGroup: rg-${name}
      workspace: law-${name}
      rules:
        rule:
          parameters:
${overrides
  .trim()
  .split('\n')
  .map((l) => `            ${l.trim()}`)
  .join('\n')}
`;
}

const WORKSPACES = `# yaml-language-server: $schema=../../../schemas/workspaces.schema.json
environments:
  test:
${workspace('only-shortcut', 'MinScore: 6\nSkipPorts: [25, 443]\nAction: ConnectionSuccess\nRatio: 1.5\nAccepted: false\nMaxAge: 30m\nHosts: [a, "b\'c"]')}${workspace('needs-analysis', 'Lookback: 7d\nBucket: 10\nRatio: 2')}${workspace('breaks-query', 'Source: NoSuchTable\nMinScore: 8')}${workspace('same-as-default', 'MinScore: 4\nSkipPorts: []')}    - name: fuzzy-override
      subscriptionId: 11111111-1111-1111-1111-111111111111
      resourceGroup: rg-fuzzy
      workspace: law-fuzzy
      rules:
        fuzzy:
          parameters:
            MinPort: 1024
`;

// A rule whose default reads a table no schema has, skipped by union isfuzzy=true: the rule itself is
// clean, but an override's analysis reports the table, so the shortcut must not apply.
const FUZZY = `parameters:
  MinPort:
    type: int
    description: Lowest port.
query: |
  let MinPort = 1;
  union isfuzzy=true (NoSuchTable_CL), (DeviceNetworkEvents)
  | where LocalPort >= MinPort
  | project TimeGenerated, DeviceName, RemoteIP, LocalPort
`;

function content(): ContentSet {
  const start = fixture.rule.indexOf('parameters:\n');
  const end = fixture.rule.indexOf('entityMappings:\n');
  const fuzzy = (fixture.rule.slice(0, start) + FUZZY + fixture.rule.slice(end))
    .replace(/^id: .*$/m, 'id: 7e0d2c51-9c4b-4f5e-8a3d-1b2c3d4e5f60')
    .replace(/^name: .*$/m, 'name: Fuzzy union');
  return {
    rules: [
      { path: 'rules/rule.yaml', text: fixture.rule.slice(0, start) + PARAMETERS + fixture.rule.slice(end) },
      { path: 'rules/fuzzy.yaml', text: fuzzy },
    ],
    watchlists: [{ path: 'watchlists/ipsum.yaml', text: fixture.watchlist }],
    workspaces: { path: 'workspaces.yaml', text: WORKSPACES },
    tables: repoTables(),
  };
}

describe('override shortcut in validate', () => {
  it('reports the same diagnostics as analyzing every override', () => {
    const full = validateContent(content(), { fullOverrideAnalysis: true }).diagnostics;
    const shortcut = validateContent(content()).diagnostics;
    expect(shortcut).toEqual(full);
    // Not vacuous: the rule itself is clean and the breaking workspace is reported, at its parameters.
    expect(full.filter((d) => d.file === 'rules/rule.yaml' && d.severity === 'error')).toEqual([]);
    const overrides = full.filter((d) => d.code === 'kql.override');
    expect(overrides.length).toBeGreaterThan(0);
    expect(
      overrides
        .filter((d) => d.message.includes('rules/rule.yaml'))
        .every((d) => d.message.includes("workspace breaks-query's parameters")),
    ).toBe(true);
    expect(overrides.some((d) => d.message.includes("workspace fuzzy-override's parameters") && d.message.includes('NoSuchTable_CL'))).toBe(
      true,
    );
  });
});
