// A generated corpus of varied, valid rules for benchmarks: different query shapes (filters, joins,
// summarize, watchlist lookups, parameters), entity mappings, custom details and schedules. Seeded, so
// every run measures the same content.
import type { SourceFile } from '../../scripts/core/validate/validate.ts';

export interface Corpus {
  rules: SourceFile[];
  watchlists: SourceFile[];
  workspaces: SourceFile;
}

/** Mulberry32: a tiny deterministic PRNG. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ACTIONS = ['InboundConnectionAccepted', 'ConnectionSuccess', 'ConnectionFailed', 'ConnectionAttempt', 'ListeningConnectionCreated'];
const PROCESSES = ['powershell.exe', 'cmd.exe', 'rundll32.exe', 'svchost.exe', 'w3wp.exe', 'sqlservr.exe', 'java.exe'];
const SCHEDULES = [['5m', '5m'], ['15m', '1h'], ['1h', '1h'], ['1h', '1d'], ['6h', '1d'], ['1d', '1d'], ['1d', '7d'], ['1d', '14d']] as const;
const TACTICS: [string, string][] = [['InitialAccess', 'T1190'], ['CommandAndControl', 'T1071'], ['Execution', 'T1059'], ['LateralMovement', 'T1021'], ['Discovery', 'T1046'], ['Exfiltration', 'T1041']];

interface Shape {
  query: (r: () => number) => string;
  host: string;
  ip: string;
  details: Record<string, string>;
  placeholders: [string, string];
  parameters?: string;
}

const pick = <T>(r: () => number, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;
const port = (r: () => number) => pick(r, [22, 25, 80, 443, 445, 1433, 3389, 5985, 8080, 8443]);

const SHAPES: Shape[] = [
  {
    // Filter and project.
    query: (r) => `DeviceNetworkEvents\n| where ActionType == '${pick(r, ACTIONS)}'\n| where RemotePort == ${port(r)}\n| where InitiatingProcessFileName =~ '${pick(r, PROCESSES)}'\n| project TimeGenerated, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName`,
    host: 'DeviceName', ip: 'RemoteIP', details: { Port: 'RemotePort', Process: 'InitiatingProcessFileName' }, placeholders: ['RemoteIP', 'DeviceName'],
  },
  {
    // Summarize with a threshold.
    query: (r) => `DeviceNetworkEvents\n| where ActionType == '${pick(r, ACTIONS)}'\n| summarize Connections = count(), Ports = make_set(RemotePort, 20), FirstSeen = min(TimeGenerated) by DeviceName, RemoteIP\n| where Connections > ${1 + Math.floor(r() * 50)}\n| extend PortCount = array_length(Ports)`,
    host: 'DeviceName', ip: 'RemoteIP', details: { Connections: 'Connections', PortCount: 'PortCount' }, placeholders: ['DeviceName', 'Connections'],
  },
  {
    // Join with the latest device state.
    query: (r) => `let Devices = DeviceInfo\n    | summarize arg_max(TimeGenerated, *) by DeviceId\n    | project DeviceId, OSPlatform, ExposureLevel;\nDeviceNetworkEvents\n| where ActionType == '${pick(r, ACTIONS)}'\n| join kind=inner Devices on DeviceId\n| where OSPlatform startswith '${pick(r, ['Windows', 'Linux', 'macOS'])}'\n| project TimeGenerated, DeviceName, RemoteIP, LocalPort, OSPlatform, ExposureLevel`,
    host: 'DeviceName', ip: 'RemoteIP', details: { Platform: 'OSPlatform', Exposure: 'ExposureLevel' }, placeholders: ['DeviceName', 'OSPlatform'],
  },
  {
    // Watchlist lookup with parameters.
    query: (r) => `let MinScore = ${4 + Math.floor(r() * 2) * 2};\nlet Ports = dynamic([${port(r)}, ${port(r)}]);\nlet Listed = _GetWatchlist('ipsum')\n    | where toint(Score) >= MinScore\n    | project ListedIP = tostring(SearchKey), ListedScore = toint(Score);\nDeviceNetworkEvents\n| where LocalPort in (Ports)\n| join kind=inner Listed on $left.RemoteIP == $right.ListedIP\n| project TimeGenerated, DeviceName, RemoteIP, LocalPort, ListedScore`,
    host: 'DeviceName', ip: 'RemoteIP', details: { Score: 'ListedScore', LocalPort: 'LocalPort' }, placeholders: ['RemoteIP', 'ListedScore'],
    parameters: 'parameters:\n  MinScore:\n    type: int\n    description: Minimum IPsum score.\n    minimum: 4\n    maximum: 10\n    watchlistScore: ipsum\n  Ports:\n    type: int[]\n    description: Local ports to watch.\n',
  },
  {
    // Parse JSON and bin by time.
    query: (r) => `DeviceInfo\n| extend Facing = todynamic(AdditionalFields)\n| extend Reason = tostring(Facing.InternetFacingReason), FacingPort = toint(Facing.InternetFacingLocalPort)\n| where IsInternetFacing and FacingPort == ${port(r)}\n| summarize LastSeen = max(TimeGenerated) by DeviceName, PublicIP, Reason, bin(TimeGenerated, ${pick(r, ['1h', '6h', '1d'])})`,
    host: 'DeviceName', ip: 'PublicIP', details: { Reason: 'Reason' }, placeholders: ['DeviceName', 'Reason'],
  },
  {
    // Union of two filters with a computed column.
    query: (r) => `union\n    (DeviceNetworkEvents | where ActionType == '${pick(r, ACTIONS)}'),\n    (DeviceNetworkEvents | where RemotePort == ${port(r)})\n| extend Direction = iff(ActionType == 'InboundConnectionAccepted', 'in', 'out')\n| summarize Events = count() by DeviceName, RemoteIP, Direction`,
    host: 'DeviceName', ip: 'RemoteIP', details: { Direction: 'Direction', Events: 'Events' }, placeholders: ['Direction', 'RemoteIP'],
  },
];

function guid(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function indent(text: string, spaces: number): string {
  return text.split('\n').map((l) => (l ? ' '.repeat(spaces) + l : l)).join('\n');
}

function rule(index: number, r: () => number): SourceFile {
  const shape = SHAPES[index % SHAPES.length]!;
  const [frequency, period] = pick(r, SCHEDULES);
  const [tactic, technique] = pick(r, TACTICS);
  const details = Object.entries(shape.details).map(([k, v]) => `  ${k}: ${v}`).join('\n');
  const text = `# yaml-language-server: $schema=../schemas/rule.schema.json
id: ${guid(r)}
name: Generated rule ${String(index).padStart(4, '0')} (${shape.host} ${tactic})
description: |
  Generated for benchmarks: shape ${index % SHAPES.length}, tactic ${tactic}.
severity: ${pick(r, ['Informational', 'Low', 'Medium', 'High'])}
requiredDataConnectors:
  - connectorId: MicrosoftThreatProtection
    dataTypes:
      - DeviceNetworkEvents
      - DeviceInfo
queryFrequency: ${frequency}
queryPeriod: ${period}
triggerOperator: gt
triggerThreshold: ${Math.floor(r() * 3)}
tactics:
  - ${tactic}
relevantTechniques:
  - ${technique}
${shape.parameters ?? ''}query: |
${indent(shape.query(r), 2)}
entityMappings:
  - entityType: Host
    fieldMappings:
      - identifier: FullName
        columnName: ${shape.host}
  - entityType: IP
    fieldMappings:
      - identifier: Address
        columnName: ${shape.ip}
customDetails:
${details}
alertDetailsOverride:
  alertDisplayNameFormat: Generated {{${shape.placeholders[0]}}} on {{${shape.placeholders[1]}}}
eventGroupingSettings:
  aggregationKind: ${pick(r, ['SingleAlert', 'AlertPerResult'])}
version: 1.0.${index % 10}
kind: Scheduled
`;
  return { path: `rules/generated-${String(index).padStart(4, '0')}.yaml`, text };
}

const WATCHLIST = `# yaml-language-server: $schema=../schemas/watchlist.schema.json
alias: ipsum
displayName: IPsum
description: Generated corpus watchlist.
provider: bench
itemsSearchKey: IPAddress
columns:
  - name: IPAddress
    type: string
  - name: Score
    type: int
feed:
  format: ipsum
  url: https://feed.invalid/ipsum.txt
  minScore: 4
  exitScore: 3
  scoreThresholds: [6]
`;

export function generateCorpus(count: number, seed = 20261128): Corpus {
  const r = random(seed);
  const rules = Array.from({ length: count }, (_, i) => rule(i, r));
  const overrides = rules
    .filter((_, i) => i % SHAPES.length === 3 && i % 2 === 1)
    .map((f) => `        ${f.path.slice(6, -5)}:\n          severity: High\n          parameters:\n            MinScore: 6\n`)
    .join('');
  const workspaces = `# yaml-language-server: $schema=./schemas/workspaces.schema.json
repository: bench-org/corpus\nenvironments:\n  bench:\n    - name: bench-1\n      subscriptionId: 22222222-2222-2222-2222-222222222222\n      resourceGroup: rg-bench\n      workspace: law-bench\n${overrides ? `      rules:\n${overrides}` : ''}`;
  return { rules, watchlists: [{ path: 'watchlists/ipsum.yaml', text: WATCHLIST }], workspaces: { path: 'workspaces.yaml', text: workspaces } };
}
