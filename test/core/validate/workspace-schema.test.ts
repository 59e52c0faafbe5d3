// Rules against each workspace's snapshot, pure: nothing to say where a workspace defines what a rule
// reads as the repository does; a difference is reported once per workspace, naming it, with the same
// position for every workspace that shares the difference.
//
// Each case validates the content as `validate` does (the snapshots' tables and functions known
// repository-wide), then runs the per-workspace layer over the same input, as checkContent does.
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Position } from '../../../scripts/core/diagnostics.ts';
import { listProvider, type FunctionSchema, type SchemaProvider } from '../../../scripts/core/catalog/provider.ts';
import type { ColumnSchema } from '../../../scripts/core/kql/types.ts';
import { workspacesOf } from '../../../scripts/core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../../scripts/core/model/yaml-types.ts';
import type { SnapshotFunction, WorkspaceSnapshot } from '../../../scripts/core/schema/snapshot.ts';
import { checkResultColumns } from '../../../scripts/core/validate/kql.ts';
import { Reporter } from '../../../scripts/core/validate/report.ts';
import { validateContent } from '../../../scripts/core/validate/validate.ts';
import { workspaceSchemaDiagnostics, type LoadedSnapshot } from '../../../scripts/core/validate/workspace-schema.ts';
import { fixture, positionOf, repoTables, replaceOnce } from '../../support/content.ts';

const workspaces = replaceOnce(
  fixture.workspaces,
  '    - name: ws-one\n',
  `    - name: ws-two
      subscriptionId: 22222222-2222-2222-2222-222222222222
      resourceGroup: rg-two
      workspace: law-two
    - name: ws-three
      subscriptionId: 33333333-3333-3333-3333-333333333333
      resourceGroup: rg-three
      workspace: law-three
    - name: ws-one\n`,
);
const NAMES = ['ws-two', 'ws-three', 'ws-one'] as const;
type Name = (typeof NAMES)[number];

/** What `schema pull` would write for a workspace that has exactly the repository's tables. */
function pulled(name: string): WorkspaceSnapshot {
  const n = name.replace('ws-', '');
  return {
    workspace: name,
    environment: 'test',
    source: { resourceGroup: `rg-${n}`, workspace: `law-${n}` },
    tables: repoTables().map((t) => ({ name: t.name, columns: [...t.columns] })),
    functions: [],
    watchlists: [],
  };
}
const loaded = (name: string, snapshot: WorkspaceSnapshot): LoadedSnapshot => ({ path: `schemas/workspaces/${name}.json`, name, snapshot });

type Edit = (s: WorkspaceSnapshot) => WorkspaceSnapshot;
interface Case {
  rule?: string;
  /** Per workspace, an edit of the snapshot `pulled` gives it (the repository's tables); null: the workspace has no snapshot. */
  edits?: Partial<Record<Name, Edit | null>>;
  /** Snapshots of workspaces workspaces.yaml does not list. */
  more?: LoadedSnapshot[];
  /** More watchlist definitions (watchlists/<i>.yaml) beside the fixture's. */
  watchlists?: string[];
  functions?: FunctionSchema[];
  everywhere?: SchemaProvider[];
  reportOrphans?: boolean;
  /** What the other layers found, in place of what they find. */
  diagnostics?: (found: Diagnostic[]) => Diagnostic[];
}

function check(c: Case = {}): Diagnostic[] {
  const snapshots = NAMES.flatMap((name) => {
    const edit = c.edits?.[name];
    return edit === null ? [] : [loaded(name, (edit ?? ((s) => s))(pulled(name)))];
  }).concat(c.more ?? []);
  const result = validateContent({
    rules: [{ path: 'rules/rule.yaml', text: c.rule ?? fixture.rule }],
    watchlists: [fixture.watchlist, ...(c.watchlists ?? [])].map((text, i) => ({ path: `watchlists/${i ? i : 'ipsum'}.yaml`, text })),
    workspaces: { path: 'workspaces.yaml', text: workspaces },
    tables: repoTables(),
    functions: c.functions,
    snapshots,
    providers: c.everywhere,
  });
  const found = result.diagnostics;
  if (!c.diagnostics) expect(found.filter((d) => d.severity === 'error' && d.file.startsWith('rules/'))).toStrictEqual([]);
  return workspaceSchemaDiagnostics({
    parsed: result.parsed,
    diagnostics: c.diagnostics ? c.diagnostics(found) : found,
    workspaces: workspacesOf(result.parsed.workspaces!.value as WorkspacesYaml, 'test'),
    snapshots,
    reportOrphans: c.reportOrphans,
    everywhere: c.everywhere,
    repoTables: repoTables(),
    repoFunctions: c.functions ?? [],
  });
}

// Snapshot edits.
const mapTable =
  (table: string, f: (t: WorkspaceSnapshot['tables'][number]) => WorkspaceSnapshot['tables'][number]): Edit =>
  (s) => ({ ...s, tables: s.tables.map((t) => (t.name === table ? f(t) : t)) });
const withoutColumn = (table: string, column: string): Edit =>
  mapTable(table, (t) => ({ ...t, columns: t.columns.filter((c) => c.name !== column) }));
const withColumn = (table: string, column: string): Edit =>
  mapTable(table, (t) => ({ ...t, columns: [...t.columns, { name: column, type: 'string' }] }));
const onPlan = (table: string, plan: string): Edit => mapTable(table, (t) => ({ ...t, plan }));
const withoutTable =
  (table: string): Edit =>
  (s) => ({ ...s, tables: s.tables.filter((t) => t.name !== table) });
const withFunctions =
  (...functions: SnapshotFunction[]): Edit =>
  (s) => ({ ...s, functions });
const both =
  (a: Edit, b: Edit): Edit =>
  (s) =>
    b(a(s));
const everyWorkspace = (edit: Edit): Record<Name, Edit> => ({ 'ws-two': edit, 'ws-three': edit, 'ws-one': edit });

// The diagnostics, as users read them.
const pull = (ws: string) => `npm run cli -- schema pull --env test --workspace ${ws}`;
const inRule = (code: string, at: Position, message: string, hint: string): Diagnostic => ({
  code,
  severity: 'error',
  file: 'rules/rule.yaml',
  line: at.line,
  column: at.column,
  message,
  hint,
});
const kqlError = (ws: string, at: Position, message: string) =>
  inRule(
    'kql.workspace',
    at,
    `in workspace ${ws} (test) (schemas/workspaces/${ws}.json): ${message}`,
    `The workspace's schema differs from the repository's: fix the query, or pull the schema again if it changed: ${pull(ws)}.`,
  );
const unknownName = (ws: string, at: Position, name: string) =>
  kqlError(ws, at, `The name '${name}' does not refer to any known column, table, variable or function.`);
const noTable = (ws: string, at: Position, table: string) =>
  inRule(
    'kql.workspace-table',
    at,
    `workspace ${ws} (test) has no table '${table}' (schemas/workspaces/${ws}.json): deploying this rule there fails`,
    `Connect the data source in that workspace, or pull its schema again if the table was added since: ${pull(ws)}.`,
  );

const rule = fixture.rule;
const at = {
  table: positionOf(rule, '  DeviceNetworkEvents\n', 2),
  localPortWhere: positionOf(rule, 'LocalPort !in'),
  localPortProject: positionOf(rule, 'RemoteIP, LocalPort', 'RemoteIP, '.length),
  remoteIpWhere: positionOf(rule, 'RemoteIP in (Listed)'),
  remoteIpProject: positionOf(rule, 'RemoteIP, LocalPort'),
  query: positionOf(rule, '  let MinScore'),
};
const localPortMissing = (ws: string) => [
  unknownName(ws, at.localPortWhere, 'LocalPort'),
  unknownName(ws, at.localPortProject, 'LocalPort'),
];

describe('workspaceSchemaDiagnostics: tables and columns', () => {
  it('workspaces that define every table as the repository does: nothing', () => {
    expect(check()).toStrictEqual([]);
  });

  it('two workspaces whose DeviceNetworkEvents lacks LocalPort: the same error in each, naming it; the third is clean', () => {
    const lacking = withoutColumn('DeviceNetworkEvents', 'LocalPort');
    expect(check({ edits: { 'ws-two': lacking, 'ws-three': lacking } })).toStrictEqual([
      ...localPortMissing('ws-two'),
      ...localPortMissing('ws-three'),
    ]);
  });

  it('workspaces differing in different ways: each gets its own analysis and its own errors', () => {
    expect(
      check({ edits: { 'ws-two': withoutTable('DeviceNetworkEvents'), 'ws-three': withoutColumn('DeviceNetworkEvents', 'RemoteIP') } }),
    ).toStrictEqual([
      noTable('ws-two', at.table, 'DeviceNetworkEvents'),
      unknownName('ws-three', at.remoteIpWhere, 'RemoteIP'),
      unknownName('ws-three', at.remoteIpProject, 'RemoteIP'),
    ]);
  });

  it('two alike tables, each workspace lacking a different one: each names its own', () => {
    const twin = (name: string) => ({ name, columns: [...repoTables().find((t) => t.name === 'DeviceNetworkEvents')!.columns] });
    const twins = replaceOnce(rule, '  DeviceNetworkEvents\n', '  union InboundA_CL, InboundB_CL\n');
    const only =
      (name: string): Edit =>
      (s) => ({ ...s, tables: [...s.tables, twin(name)] });
    expect(
      check({
        rule: twins,
        edits: { 'ws-two': only('InboundA_CL'), 'ws-three': only('InboundB_CL'), 'ws-one': both(only('InboundA_CL'), only('InboundB_CL')) },
      }),
    ).toStrictEqual([
      noTable('ws-two', positionOf(twins, 'InboundB_CL'), 'InboundB_CL'),
      noTable('ws-three', positionOf(twins, 'InboundA_CL'), 'InboundA_CL'),
    ]);
  });

  it('a column every workspace lacks but the repository declares: the repository-wide analysis used the declaration, each workspace reports it', () => {
    expect(check({ edits: everyWorkspace(withoutColumn('DeviceNetworkEvents', 'LocalPort')) })).toStrictEqual([
      ...localPortMissing('ws-two'),
      ...localPortMissing('ws-three'),
      ...localPortMissing('ws-one'),
    ]);
  });

  it('a table read through a wildcard: always analyzed again', () => {
    const wild = replaceOnce(rule, '  DeviceNetworkEvents\n', '  union DeviceNetworkEv*\n');
    expect(check({ rule: wild, edits: { 'ws-two': withoutColumn('DeviceNetworkEvents', 'LocalPort') } })).toStrictEqual(
      localPortMissing('ws-two'),
    );
  });

  it('a table missing from a fuzzy union is no error (the service skips it too)', () => {
    const fuzzy = replaceOnce(rule, '  DeviceNetworkEvents\n', '  union isfuzzy=true DeviceInfo, DeviceNetworkEvents\n');
    expect(check({ rule: fuzzy, edits: { 'ws-two': withoutTable('DeviceInfo') } })).toStrictEqual([]);
  });

  it('a table only a provider every workspace shares declares (the catalog): each workspace without it in its snapshot lacks it', () => {
    const columns: ColumnSchema[] = [
      { name: 'TimeGenerated', type: 'datetime' },
      { name: 'Computer', type: 'string' },
    ];
    const joined = replaceOnce(
      rule,
      '  | where RemoteIP in (Listed)\n',
      '  | where RemoteIP in (Listed)\n  | join kind=leftanti (Heartbeat_X | project DeviceName = Computer) on DeviceName\n',
    );
    const where = positionOf(joined, 'Heartbeat_X');
    const everywhere = [listProvider([]), listProvider([{ name: 'Heartbeat_X', columns }])];
    expect(check({ rule: joined, everywhere })).toStrictEqual([
      noTable('ws-two', where, 'Heartbeat_X'),
      noTable('ws-three', where, 'Heartbeat_X'),
      noTable('ws-one', where, 'Heartbeat_X'),
    ]);
    expect(
      check({ rule: joined, everywhere, edits: { 'ws-two': (s) => ({ ...s, tables: [...s.tables, { name: 'Heartbeat_X', columns }] }) } }),
    ).toStrictEqual([noTable('ws-three', where, 'Heartbeat_X'), noTable('ws-one', where, 'Heartbeat_X')]);
  });

  it('a table on the Basic or Auxiliary plan (any case) cannot be queried; on Analytics it can', () => {
    const plan = (ws: string, name: string) =>
      inRule(
        'kql.workspace-table-plan',
        at.query,
        `table 'DeviceNetworkEvents' is on the ${name} plan in workspace ${ws} (test): scheduled analytics rules query Analytics tables only`,
        'Move the table to the Analytics plan in that workspace, or read another table.',
      );
    expect(
      check({
        edits: {
          'ws-two': onPlan('DeviceNetworkEvents', 'basic'),
          'ws-three': onPlan('DeviceNetworkEvents', 'Auxiliary'),
          'ws-one': onPlan('DeviceNetworkEvents', 'Analytics'),
        },
      }),
    ).toStrictEqual([plan('ws-two', 'basic'), plan('ws-three', 'Auxiliary')]);
  });

  it('a result that derives from a missing table may have any column: only the table is reported', () => {
    const unprojected = replaceOnce(rule, '  | project TimeGenerated, DeviceName, RemoteIP, LocalPort\n', '');
    expect(check({ rule: unprojected, edits: { 'ws-two': withoutTable('DeviceNetworkEvents') } })).toStrictEqual([
      noTable('ws-two', positionOf(unprojected, '  DeviceNetworkEvents\n', 2), 'DeviceNetworkEvents'),
    ]);
  });

  it("a mapped column the workspace's table lacks: the result-column errors, naming the workspace", () => {
    const unprojected = replaceOnce(rule, '  | project TimeGenerated, DeviceName, RemoteIP, LocalPort\n', '');
    const result = validateContent({ rules: [{ path: 'rules/rule.yaml', text: unprojected }], watchlists: [], tables: repoTables() });
    const expected = new Reporter(result.parsed.rules[0]!.doc);
    const columns = repoTables()
      .find((t) => t.name === 'DeviceNetworkEvents')!
      .columns.map((c) => c.name)
      .filter((c) => c !== 'DeviceName');
    checkResultColumns(expected, result.parsed.rules[0]!.doc.value as Record<string, unknown>, columns);
    const mapped = positionOf(unprojected, 'columnName: DeviceName', 'columnName: '.length);
    const placeholder = positionOf(unprojected, '{{DeviceName}}');
    expect(expected.diagnostics.map((d) => [d.line, d.column])).toStrictEqual([
      [mapped.line, mapped.column],
      [placeholder.line, placeholder.column],
    ]);
    expect(check({ rule: unprojected, edits: { 'ws-two': withoutColumn('DeviceNetworkEvents', 'DeviceName') } })).toStrictEqual(
      expected.diagnostics.map((d) => ({
        ...d,
        code: 'kql.workspace-column',
        message: `in workspace ws-two (test) (schemas/workspaces/ws-two.json): ${d.message}`,
      })),
    );
  });
});

describe('workspaceSchemaDiagnostics: functions', () => {
  const viaFunction = replaceOnce(rule, '  DeviceNetworkEvents\n', '  Inbound(minPort=0)\n');
  const call = positionOf(viaFunction, 'Inbound(');
  const inbound: SnapshotFunction = {
    name: 'Inbound',
    parameters: 'minPort:int=0',
    body: 'DeviceNetworkEvents | where LocalPort >= minPort',
  };
  const localPort = (ws: string) => [
    unknownName(ws, positionOf(viaFunction, 'LocalPort !in'), 'LocalPort'),
    unknownName(ws, positionOf(viaFunction, 'RemoteIP, LocalPort', 'RemoteIP, '.length), 'LocalPort'),
  ];

  it('a function (parser) a workspace lacks', () => {
    expect(check({ rule: viaFunction, edits: { 'ws-two': withFunctions(inbound), 'ws-one': withFunctions(inbound) } })).toStrictEqual([
      inRule(
        'kql.workspace-function',
        call,
        "workspace ws-three (test) has no function 'Inbound' (schemas/workspaces/ws-three.json), and it is not one every workspace has: deploying this rule there fails",
        `Install the solution or save the function (parser) in that workspace, then pull its schema again: ${pull('ws-three')}.`,
      ),
    ]);
  });

  it('a function whose parameters differ in one workspace', () => {
    const other = { ...inbound, parameters: 'other:int=0', body: 'DeviceNetworkEvents | where LocalPort >= other' };
    expect(
      check({
        rule: viaFunction,
        edits: { 'ws-two': withFunctions(inbound), 'ws-three': withFunctions(other), 'ws-one': withFunctions(inbound) },
      }),
    ).toStrictEqual([
      kqlError('ws-three', positionOf(viaFunction, 'minPort=0'), 'The argument name does not refer to a declared parameter.'),
    ]);
  });

  it('a function every workspace saves alike, reading a table one workspace defines differently', () => {
    const lacking = both(withFunctions(inbound), withoutColumn('DeviceNetworkEvents', 'LocalPort'));
    expect(
      check({ rule: viaFunction, edits: { 'ws-two': withFunctions(inbound), 'ws-three': lacking, 'ws-one': withFunctions(inbound) } }),
    ).toStrictEqual(localPort('ws-three'));
  });

  it('functions calling functions: the table at the end of the chain counts', () => {
    const accepted: SnapshotFunction = { name: 'Accepted', body: "DeviceNetworkEvents | where ActionType == 'InboundConnectionAccepted'" };
    const chained: SnapshotFunction = { ...inbound, body: "Accepted | where LocalPort >= minPort and RemoteIP != ''" };
    const functions = withFunctions(chained, accepted);
    expect(
      check({
        rule: viaFunction,
        edits: { 'ws-two': functions, 'ws-three': both(functions, withoutColumn('DeviceNetworkEvents', 'LocalPort')), 'ws-one': functions },
      }),
    ).toStrictEqual(localPort('ws-three'));
  });

  it('a function saved differently in one workspace: the tables its own body reads count there, not those of the others', () => {
    const twin = { name: 'Inbound_CL', columns: [...repoTables().find((t) => t.name === 'DeviceNetworkEvents')!.columns] };
    const custom: SnapshotFunction = { ...inbound, body: 'Inbound_CL | where LocalPort >= minPort' };
    const withTwin: Edit = (s) => ({ ...s, tables: [...s.tables, twin] });
    expect(
      check({
        rule: viaFunction,
        edits: {
          'ws-two': both(withTwin, withFunctions(custom)),
          'ws-three': both(both(withTwin, withoutColumn('Inbound_CL', 'LocalPort')), withFunctions(custom)),
          'ws-one': withFunctions(inbound),
        },
      }),
    ).toStrictEqual(localPort('ws-three'));
  });

  it('saved functions that call each other in a cycle: the check ends', () => {
    const cycle = withFunctions(
      { ...inbound, body: 'Loop1 | where LocalPort >= minPort' },
      { name: 'Loop1', body: 'Loop2' },
      { name: 'Loop2', body: 'Loop1 | union DeviceNetworkEvents' },
    );
    expect(
      check({
        rule: viaFunction,
        edits: { 'ws-two': both(cycle, withColumn('DeviceNetworkEvents', 'Extra')), 'ws-three': cycle, 'ws-one': cycle },
      }),
    ).toStrictEqual([]);
  });

  it("a function every workspace has (the catalog's) is no difference: only a workspace whose table differs is analyzed again", () => {
    const catalog = listProvider([], [{ ...inbound, parameters: `(${inbound.parameters})`, origin: 'catalog' }]);
    const planted = replaceOnce(
      viaFunction,
      '  | where LocalPort !in (SkipPorts)\n',
      '  | where LocalPort !in (SkipPorts)\n  | where NoSuchColumn == 1\n',
    );
    expect(
      check({
        rule: planted,
        everywhere: [catalog],
        diagnostics: () => [],
        edits: { 'ws-two': withColumn('DeviceNetworkEvents', 'Extra') },
      }),
    ).toStrictEqual([unknownName('ws-two', positionOf(planted, 'NoSuchColumn'), 'NoSuchColumn')]);
  });

  it('a function the repository declares (schemas/functions/) and every workspace saves differently: each workspace reports it', () => {
    const declared: FunctionSchema = {
      name: 'Inbound',
      parameters: '(minPort:int=0)',
      body: 'DeviceNetworkEvents | where LocalPort >= minPort',
      origin: 'schemas/functions/Inbound.yaml',
    };
    const saved = withFunctions({ ...inbound, body: `${inbound.body} | project-away RemoteIP` });
    const remoteIp = (ws: string) => [
      unknownName(ws, positionOf(viaFunction, 'RemoteIP in (Listed)'), 'RemoteIP'),
      unknownName(ws, positionOf(viaFunction, 'RemoteIP, LocalPort'), 'RemoteIP'),
    ];
    expect(check({ rule: viaFunction, functions: [declared], edits: everyWorkspace(saved) })).toStrictEqual([
      ...remoteIp('ws-two'),
      ...remoteIp('ws-three'),
      ...remoteIp('ws-one'),
    ]);
  });
});

describe('workspaceSchemaDiagnostics: watchlists', () => {
  const vip = replaceOnce(
    rule,
    '  DeviceNetworkEvents\n',
    "  DeviceNetworkEvents\n  | where DeviceName !in ((_GetWatchlist('vip') | project Host))\n",
  );
  const extra = withColumn('DeviceNetworkEvents', 'Extra');

  // watchlists/ defines no 'vip': the repository-wide layer reports that; here it is as if it had not.
  it("a watchlist neither watchlists/ nor the workspace has; one the workspace has (its columns); the repository's own, also live", () => {
    const live = (s: WorkspaceSnapshot) => ({
      ...extra(s),
      watchlists: [
        { alias: 'vip', columns: ['Host'] },
        { alias: 'ipsum', columns: ['IPAddress'] },
      ],
    });
    const missing = (text: string) =>
      inRule(
        'kql.workspace-watchlist',
        positionOf(text, "'vip'"),
        "workspace ws-three (test) has no watchlist 'vip' (schemas/workspaces/ws-three.json), and watchlists/ does not define it",
        `Define it in watchlists/ so that deploy creates it, or create it in that workspace and pull again: ${pull('ws-three')}.`,
      );
    // a definition without an alias (a schema error of its own) defines nothing
    const noAlias = fixture.watchlist.replace('alias: ipsum\n', '');
    expect(check({ rule: vip, diagnostics: () => [], watchlists: [noAlias], edits: { 'ws-two': live, 'ws-three': extra } })).toStrictEqual([
      missing(vip),
    ]);
    // the workspace's own watchlist columns are strings, as the service delivers CSV values
    const compared = replaceOnce(vip, '| project Host))', '| where Host > 1 | project Host))');
    expect(check({ rule: compared, diagnostics: () => [], edits: { 'ws-two': live, 'ws-three': extra } })).toStrictEqual([
      kqlError('ws-two', positionOf(compared, '> 1'), "The operator '>' is not defined for the operand types string and long."),
      missing(compared),
    ]);
  });
});

describe('workspaceSchemaDiagnostics: what is checked at all', () => {
  const bad = replaceOnce(
    rule,
    '  | where LocalPort !in (SkipPorts)\n',
    '  | where LocalPort !in (SkipPorts)\n  | where NoSuchColumn == 1\n',
  );
  const noSuchColumn = positionOf(bad, 'NoSuchColumn');

  it('a rule that reads only what every workspace defines as the repository does is not analyzed again: its own errors are the repository-wide layer’s to report', () => {
    expect(check({ rule: bad, diagnostics: () => [] })).toStrictEqual([]);
    expect(check({ rule: bad, diagnostics: () => [], edits: { 'ws-two': withColumn('DeviceNetworkEvents', 'Extra') } })).toStrictEqual([
      unknownName('ws-two', noSuchColumn, 'NoSuchColumn'),
    ]);
  });

  it('a rule with errors from the other layers is not checked again; warnings, or errors in other files, do not stop it', () => {
    const lacking = { 'ws-two': withoutTable('DeviceNetworkEvents') };
    const reported = (file: string, severity: 'error' | 'warning'): Diagnostic => ({
      code: 'x.y',
      severity,
      file,
      line: 1,
      column: 1,
      message: 'reported',
    });
    expect(check({ edits: lacking, diagnostics: () => [reported('rules/rule.yaml', 'error')] })).toStrictEqual([]);
    const found = [noTable('ws-two', at.table, 'DeviceNetworkEvents')];
    expect(check({ edits: lacking, diagnostics: () => [reported('rules/rule.yaml', 'warning')] })).toStrictEqual(found);
    expect(check({ edits: lacking, diagnostics: () => [reported('watchlists/ipsum.yaml', 'error')] })).toStrictEqual(found);
  });

  it('a workspace without a snapshot is skipped', () => {
    expect(check({ edits: { 'ws-two': null, 'ws-three': withoutTable('DeviceNetworkEvents') } })).toStrictEqual([
      noTable('ws-three', at.table, 'DeviceNetworkEvents'),
    ]);
  });

  it('a rule without a query has nothing to check', () => {
    const queryless = rule.slice(0, rule.indexOf('query: |')) + rule.slice(rule.indexOf('entityMappings:'));
    expect(check({ rule: queryless, edits: { 'ws-two': withoutTable('DeviceNetworkEvents') }, diagnostics: () => [] })).toStrictEqual([]);
  });
});

describe('workspaceSchemaDiagnostics: the snapshots themselves', () => {
  const warning = (ws: string, code: string, message: string, hint: string): Diagnostic => ({
    code,
    severity: 'warning',
    file: `schemas/workspaces/${ws}.json`,
    line: 1,
    column: 1,
    message,
    hint,
  });
  const gone = loaded('ws-gone', pulled('ws-gone'));
  const renamed = loaded('WS-Two', pulled('ws-two'));

  it('a snapshot of a workspace workspaces.yaml does not list (names compared in any case): a warning when asked for', () => {
    const orphan = warning(
      'ws-gone',
      'workspaces.unknown-snapshot',
      "snapshot of workspace 'ws-gone', which workspaces.yaml does not list: nothing is checked against it",
      "Delete it if the workspace is gone, or rename it after the workspace's new label.",
    );
    expect(check({ edits: { 'ws-two': null }, more: [gone, renamed], reportOrphans: true })).toStrictEqual([orphan]);
    expect(check({ more: [gone] })).toStrictEqual([]);
  });

  it('a snapshot pulled from another workspace or resource group (in any case the same is not): stale, and still checked', () => {
    const stale = (ws: string, message: string) =>
      warning(ws, 'workspaces.stale-snapshot', message, `Pull it again: npm run cli -- schema pull --env test --workspace ${ws}.`);
    expect(
      check({
        edits: {
          'ws-two': both((s) => ({ ...s, source: { ...s.source, workspace: 'law-old' } }), withoutTable('DeviceNetworkEvents')),
          'ws-three': (s) => ({ ...s, source: { resourceGroup: 'RG-Three', workspace: 'LAW-THREE' } }),
          'ws-one': (s) => ({ ...s, source: { ...s.source, resourceGroup: 'rg-moved' } }),
        },
      }),
    ).toStrictEqual([
      stale('ws-two', "pulled from law-old in rg-two, but workspace 'ws-two' now points at law-two in rg-two"),
      noTable('ws-two', at.table, 'DeviceNetworkEvents'),
      stale('ws-one', "pulled from law-one in rg-moved, but workspace 'ws-one' now points at law-one in rg-one"),
    ]);
  });
});
