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
const SCHEDULES = [
  ['5m', '5m'],
  ['15m', '1h'],
  ['1h', '1h'],
  ['1h', '1d'],
  ['6h', '1d'],
  ['1d', '1d'],
  ['1d', '7d'],
  ['1d', '14d'],
] as const;
const TACTICS: [string, string][] = [
  ['InitialAccess', 'T1190'],
  ['CommandAndControl', 'T1071'],
  ['Execution', 'T1059'],
  ['LateralMovement', 'T1021'],
  ['Discovery', 'T1046'],
  ['Exfiltration', 'T1041'],
];

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
    query: (r) =>
      `DeviceNetworkEvents\n| where ActionType == '${pick(r, ACTIONS)}'\n| where RemotePort == ${port(r)}\n| where InitiatingProcessFileName =~ '${pick(r, PROCESSES)}'\n| project TimeGenerated, DeviceName, RemoteIP, RemotePort, InitiatingProcessFileName`,
    host: 'DeviceName',
    ip: 'RemoteIP',
    details: { Port: 'RemotePort', Process: 'InitiatingProcessFileName' },
    placeholders: ['RemoteIP', 'DeviceName'],
  },
  {
    // Summarize with a threshold.
    query: (r) =>
      `DeviceNetworkEvents\n| where ActionType == '${pick(r, ACTIONS)}'\n| summarize Connections = count(), Ports = make_set(RemotePort, 20), FirstSeen = min(TimeGenerated) by DeviceName, RemoteIP\n| where Connections > ${1 + Math.floor(r() * 50)}\n| extend PortCount = array_length(Ports)`,
    host: 'DeviceName',
    ip: 'RemoteIP',
    details: { Connections: 'Connections', PortCount: 'PortCount' },
    placeholders: ['DeviceName', 'Connections'],
  },
  {
    // Join with the latest device state.
    query: (r) =>
      `let Devices = DeviceInfo\n    | summarize arg_max(TimeGenerated, *) by DeviceId\n    | project DeviceId, OSPlatform, ExposureLevel;\nDeviceNetworkEvents\n| where ActionType == '${pick(r, ACTIONS)}'\n| join kind=inner Devices on DeviceId\n| where OSPlatform startswith '${pick(r, ['Windows', 'Linux', 'macOS'])}'\n| project TimeGenerated, DeviceName, RemoteIP, LocalPort, OSPlatform, ExposureLevel`,
    host: 'DeviceName',
    ip: 'RemoteIP',
    details: { Platform: 'OSPlatform', Exposure: 'ExposureLevel' },
    placeholders: ['DeviceName', 'OSPlatform'],
  },
  {
    // Watchlist lookup with parameters.
    query: (r) =>
      `let MinScore = ${4 + Math.floor(r() * 2) * 2};\nlet Ports = dynamic([${port(r)}, ${port(r)}]);\nlet Listed = _GetWatchlist('ipsum')\n    | where toint(Score) >= MinScore\n    | project ListedIP = tostring(SearchKey), ListedScore = toint(Score);\nDeviceNetworkEvents\n| where LocalPort in (Ports)\n| join kind=inner Listed on $left.RemoteIP == $right.ListedIP\n| project TimeGenerated, DeviceName, RemoteIP, LocalPort, ListedScore`,
    host: 'DeviceName',
    ip: 'RemoteIP',
    details: { Score: 'ListedScore', LocalPort: 'LocalPort' },
    placeholders: ['RemoteIP', 'ListedScore'],
    parameters:
      'parameters:\n  MinScore:\n    type: int\n    description: Minimum IPsum score.\n    minimum: 4\n    maximum: 10\n    watchlistScore: ipsum\n  Ports:\n    type: int[]\n    description: Local ports to watch.\n',
  },
  {
    // Parse JSON and bin by time.
    query: (r) =>
      `DeviceInfo\n| extend Facing = todynamic(AdditionalFields)\n| extend Reason = tostring(Facing.InternetFacingReason), FacingPort = toint(Facing.InternetFacingLocalPort)\n| where IsInternetFacing and FacingPort == ${port(r)}\n| summarize LastSeen = max(TimeGenerated) by DeviceName, PublicIP, Reason, bin(TimeGenerated, ${pick(r, ['1h', '6h', '1d'])})`,
    host: 'DeviceName',
    ip: 'PublicIP',
    details: { Reason: 'Reason' },
    placeholders: ['DeviceName', 'Reason'],
  },
  {
    // Union of two filters with a computed column.
    query: (r) =>
      `union\n    (DeviceNetworkEvents | where ActionType == '${pick(r, ACTIONS)}'),\n    (DeviceNetworkEvents | where RemotePort == ${port(r)})\n| extend Direction = iff(ActionType == 'InboundConnectionAccepted', 'in', 'out')\n| summarize Events = count() by DeviceName, RemoteIP, Direction`,
    host: 'DeviceName',
    ip: 'RemoteIP',
    details: { Direction: 'Direction', Events: 'Events' },
    placeholders: ['Direction', 'RemoteIP'],
  },
];

function guid(r: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(r() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function indent(text: string, spaces: number): string {
  return text
    .split('\n')
    .map((l) => (l ? ' '.repeat(spaces) + l : l))
    .join('\n');
}

/**
 * Two parameters per shape for the override corpus, as rules tune themselves: thresholds compared with
 * a column, exclusion lists in `in`/`!in`, and a few used where only a new analysis can tell (a prefix
 * with startswith, a look-back in ago()). `override` is the YAML value a workspace gives each one.
 */
interface Tuning {
  parameters: { name: string; type: string; value: string; override: string }[];
  /** Lines added at the end of the query, and a replacement inside it. */
  append: string;
  replace?: [RegExp, string];
}

const TUNINGS: Tuning[] = [
  {
    parameters: [
      { name: 'MinPort', type: 'int', value: '1', override: '1024' },
      { name: 'ExcludedHosts', type: 'string[]', value: 'dynamic([])', override: '[jump-01, jump-02]' },
    ],
    append: '| where RemotePort >= MinPort\n| where DeviceName !in (ExcludedHosts)',
  },
  {
    parameters: [
      { name: 'MinConnections', type: 'int', value: '10', override: '25' },
      { name: 'ExcludedHosts', type: 'string[]', value: "dynamic(['scanner-01'])", override: '[scanner-01, scanner-02]' },
    ],
    append: '| where Connections >= MinConnections\n| where DeviceName !in (ExcludedHosts)',
  },
  {
    parameters: [
      { name: 'PlatformPrefix', type: 'string', value: "'Windows'", override: 'Linux' },
      { name: 'ExcludedPorts', type: 'int[]', value: 'dynamic([])', override: '[25]' },
    ],
    append: '| where LocalPort !in (ExcludedPorts)',
    replace: [/startswith '[^']*'/, 'startswith PlatformPrefix'],
  },
  {
    parameters: [
      { name: 'MinScore', type: 'int', value: '', override: '6' },
      { name: 'Ports', type: 'int[]', value: '', override: '[22, 3389]' },
    ],
    append: '',
  },
  {
    parameters: [
      { name: 'Lookback', type: 'timespan', value: '1d', override: '7d' },
      { name: 'ExcludedReasons', type: 'string[]', value: 'dynamic([])', override: '[PublicScan]' },
    ],
    append: '| where LastSeen > ago(Lookback)\n| where Reason !in (ExcludedReasons)',
  },
  {
    parameters: [
      { name: 'MinEvents', type: 'int', value: '5', override: '50' },
      { name: 'Directions', type: 'string[]', value: "dynamic(['in', 'out'])", override: '[in]' },
    ],
    append: '| where Events >= MinEvents\n| where Direction in (Directions)',
  },
];

function tuned(index: number, query: string): { query: string; parameters: string } {
  const tuning = TUNINGS[index % TUNINGS.length]!;
  const fresh = tuning.parameters.filter((p) => p.value);
  if (fresh.length === 0) return { query, parameters: SHAPES[index % SHAPES.length]!.parameters ?? '' };
  const lets = fresh.map((p) => `let ${p.name} = ${p.value};\n`).join('');
  const body = tuning.replace ? query.replace(tuning.replace[0], tuning.replace[1]) : query;
  const parameters = `parameters:\n${fresh.map((p) => `  ${p.name}:\n    type: ${p.type}\n    description: Generated ${p.type} parameter.\n`).join('')}`;
  return { query: `${lets}${body}\n${tuning.append}`, parameters };
}

function rule(index: number, r: () => number, tune = false): SourceFile {
  const shape = SHAPES[index % SHAPES.length]!;
  const [frequency, period] = pick(r, SCHEDULES);
  const [tactic, technique] = pick(r, TACTICS);
  const plain = shape.query(r);
  const body = tune ? tuned(index, plain) : { query: plain, parameters: shape.parameters ?? '' };
  const details = Object.entries(shape.details)
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n');
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
${body.parameters}query: |
${indent(body.query, 2)}
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
  return {
    rules,
    watchlists: [{ path: 'watchlists/ipsum.yaml', text: WATCHLIST }],
    workspaces: { path: 'workspaces.yaml', text: workspaces },
  };
}

/**
 * `count` rules that each workspace overrides: the repository's own rule (its two production
 * overrides) and generated rules with two parameters each (TUNINGS), in an environment of two
 * workspaces, the first overriding each rule's first parameter, the second its second. Every rule is
 * analysed three times without the override shortcut.
 */
export function overrideCorpus(count: number, repositoryRule: SourceFile, seed = 20261206): Corpus {
  const r = random(seed);
  const generated = Array.from({ length: count - 1 }, (_, i) => rule(i, r, true));
  const slug = (f: SourceFile) => f.path.slice('rules/'.length, -'.yaml'.length);
  const overrides = (which: 0 | 1) =>
    [
      `        ${slug(repositoryRule)}:\n          parameters:\n            ${which === 0 ? 'ExcludedLocalPorts: [25]' : 'MinIpsumLevel: 6'}\n`,
      ...generated.map((f, i) => {
        const p = TUNINGS[i % TUNINGS.length]!.parameters[which]!;
        return `        ${slug(f)}:\n          parameters:\n            ${p.name}: ${p.override}\n`;
      }),
    ].join('');
  const ws = (n: 1 | 2) =>
    `    - name: bench-${n}\n      subscriptionId: 22222222-2222-2222-2222-22222222222${n}\n      resourceGroup: rg-bench\n      workspace: law-bench-${n}\n      rules:\n${overrides(n === 1 ? 0 : 1)}`;
  return {
    rules: [repositoryRule, ...generated],
    watchlists: [{ path: 'watchlists/ipsum.yaml', text: WATCHLIST }],
    workspaces: {
      path: 'workspaces.yaml',
      text: `# yaml-language-server: $schema=./schemas/workspaces.schema.json\nenvironments:\n  bench:\n${ws(1)}${ws(2)}`,
    },
  };
}
