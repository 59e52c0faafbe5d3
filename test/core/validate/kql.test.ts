// The KQL layer (scripts/core/validate/kql.ts) on its own: Kusto.Language's diagnostics with their
// cascades collapsed, unknown names with their suggestions, the result-column checks, parameter
// defaults and workspace overrides, each with the exact message, hint and place a reviewer reads.
// Documents hold only the keys the layer reads (no kind: the schedule lints stay out of the way).
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../scripts/core/diagnostics.ts';
import { createKqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import type { ParameterValue } from '../../../scripts/core/model/yaml-types.ts';
import { checkResultColumns, kqlDiagnostics, type KqlLayerInput, type OverrideValues } from '../../../scripts/core/validate/kql.ts';
import { Reporter } from '../../../scripts/core/validate/report.ts';
import { parseYaml, type YamlDocument } from '../../../scripts/core/yaml/document.ts';
import { repoTables } from '../../support/content.ts';

const FILE = 'rules/r.yaml';
const WATCHLISTS = [
  { alias: 'ipsum', columns: [{ name: 'Score', type: 'string' as const }] },
  { alias: 'allowed', columns: [{ name: 'Address', type: 'string' as const }] },
];
const env = createKqlEnvironment({
  tables: repoTables(),
  watchlists: WATCHLISTS,
  functions: [
    { name: 'MyParser', origin: 'schemas/functions/MyParser.yaml' },
    { name: 'MyTyped', columns: [{ name: 'Account', type: 'string' }], origin: 'schemas/functions/MyTyped.yaml' },
  ],
});

function parse(text: string, file = FILE): YamlDocument {
  const parsed = parseYaml(file, text);
  if (!parsed.ok) throw new Error(`test YAML does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.document;
}
/** A rule document: a name, the query as a block scalar, then `rest` (further top-level keys). */
function ruleText(query: string, rest = ''): string {
  return `name: r\nquery: |\n${query
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')}\n${rest}`;
}
function check(text: string, input: Partial<KqlLayerInput> = {}, slug = 'r'): Diagnostic[] {
  return kqlDiagnostics({ rules: [{ slug, doc: parse(text) }], env, ...input }).diagnostics;
}
/** 1-based line and column of `marker` (the `nth` occurrence, from 1) in `text`, plus `offset`. */
function at(text: string, marker: string, offset = 0, nth = 1): { line: number; column: number } {
  let index = -1;
  for (let i = 0; i < nth; i++) index = text.indexOf(marker, index + 1);
  if (index < 0) throw new Error(`marker '${marker}' not in text`);
  index += offset;
  const before = text.slice(0, index);
  return { line: before.split('\n').length, column: index - before.lastIndexOf('\n') };
}
function diagnostic(
  severity: 'error' | 'warning',
  code: string,
  position: { line: number; column: number },
  message: string,
  hint?: string,
): Diagnostic {
  return { code, severity, message, file: FILE, ...position, ...(hint === undefined ? {} : { hint }) };
}
const UNKNOWN_NAME_HINT = 'Check the spelling and case against the table schema in schemas/tables/.';
const unknownName = (name: string) => `The name '${name}' does not refer to any known column, table, variable or function.`;

describe('the layer over several rules', () => {
  it('keeps the lets of each rule with a query, by slug, and reports every rule in order', () => {
    const a = ruleText('let N = 3;\nlet Port = 443;\nDeviceInfo | take N');
    const c = ruleText('DeviceInfo | where Nope == 1');
    const result = kqlDiagnostics({
      rules: [
        { slug: 'a', doc: parse(a, 'rules/a.yaml') },
        { slug: 'b', doc: parse('name: no query\n', 'rules/b.yaml') },
        { slug: 'c', doc: parse(c, 'rules/c.yaml') },
        { slug: 'd', doc: parse('query: 5\n', 'rules/d.yaml') },
        { slug: 'e', doc: parse("query: ''\n", 'rules/e.yaml') },
      ],
      env,
    });
    expect([...result.lets.keys()]).toStrictEqual(['a', 'c']);
    expect(result.lets.get('a')!.map((l) => [l.name, l.valueText])).toStrictEqual([
      ['N', '3'],
      ['Port', '443'],
    ]);
    expect(result.lets.get('c')).toStrictEqual([]);
    expect(result.diagnostics).toStrictEqual([
      { ...diagnostic('error', 'kql.KS142', at(c, 'Nope'), unknownName('Nope'), UNKNOWN_NAME_HINT), file: 'rules/c.yaml' },
    ]);
  });
});

describe("Kusto.Language's diagnostics", () => {
  it('a clean query has none', () => {
    expect(check(ruleText('DeviceInfo\n| where DeviceName == "x"\n| project DeviceId'))).toStrictEqual([]);
  });

  it('every unknown name of a query that parses, each with the spelling hint', () => {
    const text = ruleText('DeviceInfo | where Foo == 1 and Bar == 2');
    expect(check(text)).toStrictEqual([
      diagnostic('error', 'kql.KS142', at(text, 'Foo'), unknownName('Foo'), UNKNOWN_NAME_HINT),
      diagnostic('error', 'kql.KS142', at(text, 'Bar'), unknownName('Bar'), UNKNOWN_NAME_HINT),
    ]);
  });

  it('only the first syntax error of a line, and none of the names the binder cannot resolve past the first', () => {
    const text = ruleText('DeviceInfo\n| whre DeviceId == 1\n| extend Foo = \n| project Bar');
    expect(check(text)).toStrictEqual([
      diagnostic('error', 'kql.KS176', at(text, 'whre'), 'Query operator expected.'),
      diagnostic('error', 'kql.KS006', at(text, 'Foo =', 5), 'Missing expression'),
    ]);
  });

  it('a name the binder cannot resolve before the first syntax error, and at its very place, is reported', () => {
    const text = ruleText('DeviceInfo | project Foo Bar');
    expect(check(text)).toStrictEqual([
      diagnostic('error', 'kql.KS142', at(text, 'Foo'), unknownName('Foo'), UNKNOWN_NAME_HINT),
      diagnostic('error', 'kql.KS005', at(text, 'Bar'), 'Expected: ,'),
      diagnostic('error', 'kql.KS142', at(text, 'Bar'), unknownName('Bar'), UNKNOWN_NAME_HINT),
    ]);
  });

  it('syntax errors on a line with a non-ASCII character in the code are left to rule.query-ascii; one in a comment or string is not their cause', () => {
    const text = ruleText('DeviceInfo\n| where DeviceName == "\u00e9" // caf\u00e9\n| extend X = \n| project DeviceId, Y = \u00e9');
    expect(check(text)).toStrictEqual([diagnostic('error', 'kql.KS006', at(text, 'X =', 3), 'Missing expression')]);
  });

  it('a syntax error on the line of a non-ASCII space at the very start of the query is left to rule.query-ascii', () => {
    expect(check(ruleText('\u00a0DeviceInfo | extend X = '))).toStrictEqual([]);
    expect(check(ruleText('DeviceInfo | extend X = ')).map((d) => d.code)).toStrictEqual(['kql.KS006']);
  });

  it('a syntax error on a line whose only non-ASCII character is in a string is reported', () => {
    const text = ruleText("DeviceInfo\n| where DeviceName == '\u00e9' and\n| project DeviceId");
    expect(check(text)).toStrictEqual([diagnostic('error', 'kql.KS006', at(text, 'and', 3), 'Missing expression')]);
  });

  it('a query that starts with an empty line counts its lines from there', () => {
    const text = 'name: r\nquery: |\n\n  print x = 1 +\n  ) 1\n';
    expect(check(text)).toStrictEqual([
      diagnostic('error', 'kql.KS006', at(text, '+', 1), 'Missing expression'),
      diagnostic('error', 'kql.KS198', at(text, ') 1'), 'The incomplete fragment is unexpected.'),
    ]);
  });

  it("a binder warning is reported as a warning, and leaves the query clean (Kusto.Language's KS207 for another cluster)", () => {
    const text = ruleText("cluster('other').database('db').Foo\n| project X");
    expect(check(text)).toStrictEqual([
      diagnostic(
        'warning',
        'kql.KS207',
        at(text, "'other'"),
        "The name 'other' either does not refer to a reachable cluster or no schema from it is currently available.",
      ),
    ]);
  });

  it('a syntax error at the very start of a line is on that line, not the one before', () => {
    const text = ruleText('print x = 1 +\n) 1');
    expect(check(text)).toStrictEqual([
      diagnostic('error', 'kql.KS006', at(text, '+', 1), 'Missing expression'),
      diagnostic('error', 'kql.KS198', at(text, ') 1'), 'The incomplete fragment is unexpected.'),
    ]);
  });

  it('a query whose result is no table has no result columns to check', () => {
    expect(check(ruleText('1 + 1', 'customDetails:\n  Port: LocalPort\n'))).toStrictEqual([]);
  });

  it('a query that does not parse has its result columns unchecked', () => {
    const text = ruleText('DeviceInfo\n| extend X = ', 'customDetails:\n  Port: LocalPort\n');
    expect(check(text).map((d) => d.code)).toStrictEqual(['kql.KS006']);
  });
});

describe('names no schema declares', () => {
  const FUNCTION_HINT = (name: string) =>
    `If your workspaces have it, declare it in schemas/functions/${name}.yaml (see docs/tables-and-functions.md).`;
  const functionMessage = (name: string) =>
    `function '${name}' is not a built-in, ASIM or solution function, nor declared in schemas/functions/`;

  it.each([
    ["_GetWatchlst('ipsum')", '_GetWatchlst', "Did you mean '_GetWatchlist'?"],
    ["workspac('other').DeviceInfo", 'workspac', "Did you mean 'workspace'?"],
    ["ap('other').requests", 'ap', "Did you mean 'app'?"],
    ['MyParsr()', 'MyParsr', "Did you mean 'MyParser'?"],
    ['apx()', 'apx', FUNCTION_HINT('apx')],
    ['Wrkspace()', 'Wrkspace', FUNCTION_HINT('Wrkspace')],
  ])('an unknown function %s: kql.unknown-function with a suggestion among functions of the same first letters', (call, name, hint) => {
    const text = ruleText(`${call}\n| take 1`);
    expect(check(text)).toStrictEqual([diagnostic('error', 'kql.unknown-function', at(text, name), functionMessage(name), hint)]);
  });

  it('an unknown table: kql.unknown-table with the nearest table, or how to declare one', () => {
    const near = ruleText('DeviceInfos | take 1');
    expect(check(near)).toStrictEqual([
      diagnostic(
        'error',
        'kql.unknown-table',
        at(near, 'DeviceInfos'),
        "'DeviceInfos' is not a table or function of the catalog, schemas/tables/ or schemas/functions/",
        "Did you mean 'DeviceInfo'?",
      ),
    ]);
    const custom = ruleText('Firewall_CL | take 1');
    expect(check(custom)).toStrictEqual([
      diagnostic(
        'error',
        'kql.unknown-table',
        at(custom, 'Firewall_CL'),
        "'Firewall_CL' is not a table or function of the catalog, schemas/tables/ or schemas/functions/",
        'A custom table (_CL) or one the catalog lacks: add schemas/tables/Firewall_CL.json; a workspace function: schemas/functions/Firewall_CL.yaml (see docs/tables-and-functions.md).',
      ),
    ]);
  });

  it('an unknown watchlist: kql.unknown-watchlist at its alias, with the nearest alias or the list of them', () => {
    const near = ruleText("_GetWatchlist('ipsun') | take 1");
    const message = (alias: string) => `_GetWatchlist('${alias}'): no watchlist with that alias in watchlists/`;
    expect(check(near)).toStrictEqual([
      diagnostic('error', 'kql.unknown-watchlist', at(near, "'ipsun'"), message('ipsun'), "Did you mean 'ipsum'?"),
    ]);
    const far = ruleText("_GetWatchlist('blocked') | take 1");
    expect(check(far)).toStrictEqual([
      diagnostic(
        'error',
        'kql.unknown-watchlist',
        at(far, "'blocked'"),
        message('blocked'),
        'Define watchlists/blocked.yaml, or use one of: allowed, ipsum.',
      ),
    ]);
    const none = createKqlEnvironment({ tables: repoTables(), watchlists: [] });
    expect(check(far, { env: none })).toStrictEqual([
      diagnostic(
        'error',
        'kql.unknown-watchlist',
        at(far, "'blocked'"),
        message('blocked'),
        'Define watchlists/blocked.yaml, or use one of: (none defined).',
      ),
    ]);
  });
});

describe('result columns that cannot be checked', () => {
  const HINT =
    'Declare the missing table in schemas/tables/ or the function with its columns in schemas/functions/ (docs/tables-and-functions.md).';
  const message = (columns: string, why: string) =>
    `column(s) ${columns} named by the rule cannot be checked: the query's result columns depend on ${why}`;

  it('union isfuzzy=true over an unknown table: every named column, even one the query outputs, at the first skipped table, each table once', () => {
    const text = ruleText(
      'union isfuzzy=true DeviceInfo, (Missing_CL), (Missing_CL)\n| union isfuzzy=true (Other_CL)\n| project DeviceId',
      'customDetails:\n  Id: DeviceId\n  Again: DeviceId\n  Name: DeviceName\n',
    );
    expect(check(text)).toStrictEqual([
      diagnostic(
        'warning',
        'kql.unchecked-columns',
        at(text, 'Missing_CL'),
        message(
          'DeviceId, DeviceName',
          "table 'Missing_CL' (unknown; union isfuzzy=true skips it), table 'Other_CL' (unknown; union isfuzzy=true skips it)",
        ),
        HINT,
      ),
    ]);
  });

  it('a function without declared columns: only the columns the query is not known to output, at the query key', () => {
    const text = ruleText('MyParser()\n| extend Known = 1', 'customDetails:\n  Known: Known\n  Other: Other\n');
    expect(check(text)).toStrictEqual([
      diagnostic(
        'warning',
        'kql.unchecked-columns',
        at(text, 'query:'),
        message('Other', "function 'MyParser' (its result columns are not declared)"),
        HINT,
      ),
    ]);
    const known = ruleText('MyParser()\n| extend Known = 1', 'customDetails:\n  Known: Known\n');
    expect(check(known)).toStrictEqual([]);
  });

  it('an unknown watchlist: its error, then the warning naming it', () => {
    const text = ruleText("_GetWatchlist('blocked')\n| project X", 'customDetails:\n  X: X\n  Y: Y\n');
    expect(check(text)).toStrictEqual([
      diagnostic(
        'error',
        'kql.unknown-watchlist',
        at(text, "'blocked'"),
        "_GetWatchlist('blocked'): no watchlist with that alias in watchlists/",
        'Define watchlists/blocked.yaml, or use one of: allowed, ipsum.',
      ),
      diagnostic('warning', 'kql.unchecked-columns', at(text, 'query:'), message('Y', "watchlist 'blocked'"), HINT),
    ]);
  });

  it('a known watchlist the query also reads is no reason', () => {
    const text = ruleText(
      "MyParser()\n| where Account in ((_GetWatchlist('ipsum') | project SearchKey))",
      'customDetails:\n  Other: Other\n',
    );
    expect(check(text).map((d) => d.message)).toStrictEqual([
      message('Other', "function 'MyParser' (its result columns are not declared)"),
    ]);
  });

  it('an open result with no name to blame (bag_unpack)', () => {
    const text = ruleText(
      'DeviceInfo\n| evaluate bag_unpack(AdditionalFields)\n| extend Known = 1',
      'customDetails:\n  Known: Known\n  Port: InternetFacingLocalPort\n',
    );
    expect(check(text)).toStrictEqual([
      diagnostic(
        'warning',
        'kql.unchecked-columns',
        at(text, 'query:'),
        message('InternetFacingLocalPort', 'names without a schema'),
        HINT,
      ),
    ]);
  });

  it('an unknown table already fails the rule: no warning besides its error', () => {
    const text = ruleText('Missing_CL\n| project X', 'customDetails:\n  Y: Y\n');
    expect(check(text).map((d) => d.code)).toStrictEqual(['kql.unknown-table']);
  });

  it('a query that does not parse: no warning either', () => {
    const text = ruleText('MyParser()\n| extend Z = ', 'customDetails:\n  Y: Y\n');
    expect(check(text).map((d) => d.code)).toStrictEqual(['kql.KS006']);
  });

  it('five columns are listed; past five, the first five and the count', () => {
    const details = (names: string[]) => `customDetails:\n${names.map((n) => `  ${n}: ${n}`).join('\n')}\n`;
    const five = ['A1', 'A2', 'A3', 'A4', 'A5'];
    const why = "function 'MyParser' (its result columns are not declared)";
    expect(check(ruleText('MyParser()', details(five))).map((d) => d.message)).toStrictEqual([message('A1, A2, A3, A4, A5', why)]);
    expect(check(ruleText('MyParser()', details([...five, 'A6']))).map((d) => d.message)).toStrictEqual([
      message('A1, A2, A3, A4, A5 … (6)', why),
    ]);
  });

  // Each place a rule names a result column, alone.
  it.each([
    ['entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: Col\n'],
    ['sentinelEntitiesMappings:\n  - columnName: Col\n'],
    ['customDetails:\n  Detail: Col\n'],
    ['alertDetailsOverride:\n  alertTacticsColumnName: Col\n'],
    ['alertDetailsOverride:\n  alertSeverityColumnName: Col\n'],
    ['alertDetailsOverride:\n  alertDynamicProperties:\n    - alertProperty: AlertLink\n      value: Col\n'],
    ['alertDetailsOverride:\n  alertDisplayNameFormat: Seen {{ Col }} twice\n'],
    ['alertDetailsOverride:\n  alertDescriptionFormat: Seen {{Col}}\n'],
  ])('names the column of %j', (rest) => {
    expect(check(ruleText('MyParser()', rest)).map((d) => d.message)).toStrictEqual([
      message('Col', "function 'MyParser' (its result columns are not declared)"),
    ]);
  });

  it('values that are not column names name nothing', () => {
    const rest =
      'entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: 5\n      - 6\n  - 7\n' +
      'sentinelEntitiesMappings:\n  - columnName: [x]\n  - 8\ncustomDetails:\n  Detail: 7\n' +
      'alertDetailsOverride:\n  alertTacticsColumnName: true\n  alertDynamicProperties:\n    - alertProperty: AlertLink\n    - 9\n  alertDisplayNameFormat: 3\n';
    expect(check(ruleText('MyParser()', rest))).toStrictEqual([]);
  });
});

describe('checkResultColumns: every named column is in the query output', () => {
  const COLUMNS = ['TimeGenerated', 'DeviceName', 'RemoteIP', 'LocalPort'];
  function columns(text: string, output: readonly string[] = COLUMNS): Diagnostic[] {
    const doc = parse(text);
    const report = new Reporter(doc);
    checkResultColumns(report, doc.value as Record<string, unknown>, output);
    return report.diagnostics;
  }
  const missing = (what: string, column: string) => `${what} names column '${column}', which the query does not output`;
  const OUTPUTS = 'TimeGenerated, DeviceName, RemoteIP, LocalPort';

  it('columns the query outputs are fine, wherever they are named', () => {
    const text =
      'entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: DeviceName\n' +
      'sentinelEntitiesMappings:\n  - columnName: RemoteIP\ncustomDetails:\n  Port: LocalPort\n' +
      'alertDetailsOverride:\n  alertTacticsColumnName: DeviceName\n  alertSeverityColumnName: LocalPort\n' +
      '  alertDynamicProperties:\n    - alertProperty: AlertLink\n      value: RemoteIP\n' +
      '  alertDisplayNameFormat: From {{RemoteIP}} to {{ DeviceName }}\n  alertDescriptionFormat: Port {{LocalPort}}\n';
    expect(columns(text)).toStrictEqual([]);
  });

  it('each place a column is named, with what names it, at its value', () => {
    const text =
      'entityMappings:\n  - entityType: Host\n    fieldMappings:\n      - identifier: HostName\n        columnName: Host1\n' +
      '  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: DeviceName\n      - identifier: AddressScope\n        columnName: Ip2\n' +
      'sentinelEntitiesMappings:\n  - columnName: RemoteIP\n  - columnName: Ents3\ncustomDetails:\n  Port: LocalPort\n  Proc: Proc4\n' +
      'alertDetailsOverride:\n  alertTacticsColumnName: Tac5\n  alertSeverityColumnName: Sev6\n' +
      '  alertDynamicProperties:\n    - alertProperty: AlertLink\n      value: RemoteIP\n    - alertProperty: ProductName\n      value: Prod7\n';
    const hint = `Project it in the query, or map one of: ${OUTPUTS}.`;
    expect(columns(text)).toStrictEqual([
      diagnostic('error', 'kql.missing-column', at(text, 'Host1'), missing('entity mapping Host', 'Host1'), hint),
      diagnostic('error', 'kql.missing-column', at(text, 'Ip2'), missing('entity mapping IP', 'Ip2'), hint),
      diagnostic('error', 'kql.missing-column', at(text, 'Ents3'), missing('sentinel entities mapping', 'Ents3'), hint),
      diagnostic('error', 'kql.missing-column', at(text, 'Proc4'), missing('custom detail Proc', 'Proc4'), hint),
      diagnostic('error', 'kql.missing-column', at(text, 'Tac5'), missing('alertTacticsColumnName', 'Tac5'), hint),
      diagnostic('error', 'kql.missing-column', at(text, 'Sev6'), missing('alertSeverityColumnName', 'Sev6'), hint),
      diagnostic('error', 'kql.missing-column', at(text, 'Prod7'), missing('alert property ProductName', 'Prod7'), hint),
    ]);
  });

  it('a column in the wrong case, and a near miss with the suggestion', () => {
    const text = 'customDetails:\n  Name: devicename\n  Ip: RemoteIp\n  Port: LocalPrt\n';
    expect(columns(text)).toStrictEqual([
      diagnostic(
        'error',
        'kql.column-case',
        at(text, 'devicename'),
        "custom detail Name names column 'devicename', but the query outputs 'DeviceName' (column names are case-sensitive)",
        "Write 'DeviceName'.",
      ),
      diagnostic(
        'error',
        'kql.column-case',
        at(text, 'RemoteIp'),
        "custom detail Ip names column 'RemoteIp', but the query outputs 'RemoteIP' (column names are case-sensitive)",
        "Write 'RemoteIP'.",
      ),
      diagnostic(
        'error',
        'kql.missing-column',
        at(text, 'LocalPrt'),
        missing('custom detail Port', 'LocalPrt'),
        `Did you mean 'LocalPort'? The query outputs: ${OUTPUTS}.`,
      ),
    ]);
  });

  it('placeholders: each missing one at its braces, in both formats; a column the query outputs, spaces trimmed, is fine', () => {
    const text =
      'alertDetailsOverride:\n  alertDisplayNameFormat: From {{RemoteIP}} to {{ Target }}\n  alertDescriptionFormat: Port {{LocalPort}} on {{devicename}}\n';
    expect(columns(text)).toStrictEqual([
      diagnostic(
        'error',
        'kql.missing-column',
        at(text, '{{ Target'),
        missing('placeholder {{Target}} in alertDisplayNameFormat', 'Target'),
        `Project it in the query, or map one of: ${OUTPUTS}.`,
      ),
      diagnostic(
        'error',
        'kql.column-case',
        at(text, '{{devicename'),
        "placeholder {{devicename}} in alertDescriptionFormat names column 'devicename', but the query outputs 'DeviceName' (column names are case-sensitive)",
        "Write 'DeviceName'.",
      ),
    ]);
  });

  it('the output is listed whole up to twelve columns, then the first twelve and the count', () => {
    const twelve = Array.from({ length: 12 }, (_, i) => `Out${i + 1}`);
    const text = 'customDetails:\n  X: Missing\n';
    expect(columns(text, twelve).map((d) => d.hint)).toStrictEqual([`Project it in the query, or map one of: ${twelve.join(', ')}.`]);
    expect(columns(text, [...twelve, 'Out13']).map((d) => d.hint)).toStrictEqual([
      `Project it in the query, or map one of: ${twelve.join(', ')} … (13 columns)`.concat('.'),
    ]);
  });

  it('values that are not column names, and missing sections, are left to the schema', () => {
    const text =
      'entityMappings:\n  - entityType: IP\n    fieldMappings:\n      - identifier: Address\n        columnName: 5\n      - 6\n  - 7\n' +
      "sentinelEntitiesMappings:\n  - columnName: ''\n  - 8\ncustomDetails:\n  Detail: [x]\n" +
      'alertDetailsOverride:\n  alertTacticsColumnName: 1\n  alertDynamicProperties:\n    - alertProperty: AlertLink\n    - 9\n  alertDisplayNameFormat: 3\n';
    expect(columns(text)).toStrictEqual([]);
    expect(columns('name: nothing named\n')).toStrictEqual([]);
  });

  it('through the layer: the result columns of a query that analyzes', () => {
    const text = ruleText('DeviceInfo\n| project DeviceId, DeviceName', 'customDetails:\n  Id: DeviceID\n');
    expect(check(text)).toStrictEqual([
      diagnostic(
        'error',
        'kql.column-case',
        at(text, 'DeviceID'),
        "custom detail Id names column 'DeviceID', but the query outputs 'DeviceId' (column names are case-sensitive)",
        "Write 'DeviceId'.",
      ),
    ]);
  });
});

describe('parameters: a top-level let with a default the declaration accepts', () => {
  const params = (decls: string) => `parameters:\n${decls}`;

  it('a declared parameter without its let: rule.parameter-let at the declaration key', () => {
    const text = ruleText('let Other = 1;\nDeviceInfo | take Other', params('  MinScore:\n    type: int\n    description: x\n'));
    expect(check(text)).toStrictEqual([
      diagnostic(
        'error',
        'rule.parameter-let',
        at(text, 'MinScore:'),
        'parameter MinScore has no top-level `let MinScore = <default>;` in the query',
        'Add `let MinScore = <default>;` at the top of the query: the literal is the default, workspaces.yaml overrides it.',
      ),
    ]);
  });

  it('a default that is no literal of the type, or one the declaration refuses: rule.parameter-default at the value', () => {
    const text = ruleText(
      "let MinScore = toint('4');\nlet Ports = dynamic(['a']);\nlet Low = 2;\nlet Name = 'x';\nDeviceInfo | where DeviceName != Name | take MinScore + Low | where DeviceId !in (Ports)",
      params(
        '  MinScore:\n    type: int\n    description: x\n  Ports:\n    type: int[]\n    description: x\n' +
          '  Low:\n    type: int\n    description: x\n    minimum: 4\n  Name:\n    type: string\n    description: x\n',
      ),
    );
    expect(check(text)).toStrictEqual([
      diagnostic(
        'error',
        'rule.parameter-default',
        at(text, "toint('4')"),
        "the default of parameter MinScore (toint('4')) is not a literal of type int",
        'Write a int literal that satisfies the declaration under parameters.MinScore.',
      ),
      diagnostic(
        'error',
        'rule.parameter-default',
        at(text, "dynamic(['a'])"),
        "the default of parameter Ports (dynamic(['a'])) is not a literal of type int[]",
        'Write a int[] literal such as dynamic([]) that satisfies the declaration under parameters.Ports.',
      ),
      diagnostic(
        'error',
        'rule.parameter-default',
        at(text, '2;'),
        'the default of parameter Low: 2 is below the minimum 4',
        'Write a int literal that satisfies the declaration under parameters.Low.',
      ),
    ]);
  });

  it('a declaration without a type is left to the schema', () => {
    const text = ruleText('DeviceInfo | take 1', params('  MinScore:\n    description: x\n  Other: 5\n  Third:\n'));
    expect(check(text)).toStrictEqual([]);
  });
});

describe('layer (g): the query with each workspace override must still analyze', () => {
  const RULE = ruleText(
    "let Source = 'DeviceInfo';\nlet Name = 'x';\nlet Port = 1;\ntable(Source)\n| where DeviceName != Name\n| project DeviceId, DeviceName",
    'parameters:\n  Source:\n    type: string\n    description: x\n  Name:\n    type: string\n    description: x\n  Port:\n    type: int\n    description: x\n',
  );
  const WORKSPACES =
    'environments:\n  test:\n    - name: ws-one\n      rules:\n        r:\n          parameters: {}\n    - rules:\n        r:\n          parameters: {}\n';
  const workspaces = parse(WORKSPACES, 'workspaces.yaml');
  const entry = (index: number, values: Record<string, ParameterValue>, name?: string): OverrideValues => ({
    entry: { name, index, path: ['environments', 'test', index] },
    values: new Map(Object.entries(values)),
  });
  function overrides(rule: string, entries: OverrideValues[], full = false): Diagnostic[] {
    const doc = { slug: 'r', doc: parse(rule) };
    return kqlDiagnostics({ rules: [doc], env, workspaces, overrides: new Map([[doc, entries]]), fullOverrideAnalysis: full }).diagnostics;
  }
  const HINT = 'Fix the override value, or the query so that it accepts it.';
  const override = (index: number, message: string): Diagnostic => ({
    code: 'kql.override',
    severity: 'error',
    message,
    file: 'workspaces.yaml',
    ...at(WORKSPACES, 'parameters:', 0, index + 1),
    hint: HINT,
  });

  it('an override that breaks the query: the first error, its query line after substitution, at the workspace entry', () => {
    expect(overrides(RULE, [entry(0, { Source: 'Nope' }, 'ws-one'), entry(1, { Source: 'Nope' })])).toStrictEqual([
      override(
        0,
        "with workspace ws-one's parameters, the query of rules/r.yaml fails: table or name 'Source' is unknown (unknown-table, query line 4 after substitution)",
      ),
      override(
        1,
        "with workspace #1's parameters, the query of rules/r.yaml fails: table or name 'Source' is unknown (unknown-table, query line 4 after substitution)",
      ),
    ]);
  });

  it('one error per workspace, saying how many follow from it; the first in the query, whatever found it', () => {
    const rule = (query: string) => RULE.replace(/name: r\nquery: \|\n[\s\S]*?parameters:/, `${ruleText(query)}parameters:`);
    const lets = "let Source = 'DeviceInfo';\nlet Name = 'x';\nlet Port = 1;\n";
    const two = rule(`${lets}union (table(Source)), (table(Source))\n| project DeviceId`);
    const three = rule(`${lets}union (table(Source)), (table(Source)), (table(Source))\n| project DeviceId`);
    const message = (more: string) =>
      `with workspace ws-one's parameters, the query of rules/r.yaml fails: table or name 'Source' is unknown (unknown-table, query line 4 after substitution)${more}`;
    expect(overrides(two, [entry(0, { Source: 'Nope' }, 'ws-one')])).toStrictEqual([
      override(0, message('; 1 more error follows from it')),
    ]);
    expect(overrides(three, [entry(0, { Source: 'Nope' }, 'ws-one')])).toStrictEqual([
      override(0, message('; 2 more errors follow from it')),
    ]);
    // A column the other table lacks comes before the unknown table: it is the first error.
    const mixed = rule(
      `${lets}let Other = 'DeviceInfo';\nunion (table(Source)\n  | where OSPlatform == Name), (table(Other))\n| project DeviceId`,
    ).replace('parameters:\n', 'parameters:\n  Other:\n    type: string\n    description: x\n');
    expect(overrides(mixed, [entry(0, { Source: 'DeviceNetworkEvents', Other: 'Nope' }, 'ws-one')])).toStrictEqual([
      override(
        0,
        "with workspace ws-one's parameters, the query of rules/r.yaml fails: The name 'OSPlatform' does not refer to any known column, table, variable or function. (KS142, query line 6 after substitution); 1 more error follows from it",
      ),
    ]);
  });

  it('overrides that keep the query clean, the same with and without re-analysing each', () => {
    const entries = [entry(0, { Source: 'DeviceInfo', Name: 'y', Port: 5 }, 'ws-one'), entry(1, { Name: "it's" })];
    expect(overrides(RULE, entries)).toStrictEqual([]);
    expect(overrides(RULE, entries, true)).toStrictEqual([]);
  });

  it('values of parameters the rule does not declare, or whose default is refused, are not applied', () => {
    expect(overrides(RULE, [entry(0, { Unknown: 'Nope' }, 'ws-one')])).toStrictEqual([]);
    const refused = RULE.replace('  Source:\n    type: string\n', '  Source:\n    type: string\n    allowed: [DeviceNetworkEvents]\n');
    expect(overrides(refused, [entry(0, { Source: 'Nope' }, 'ws-one')]).map((d) => d.code)).toStrictEqual(['rule.parameter-default']);
  });

  it('no override check when the default query already fails, or without workspaces.yaml', () => {
    const broken = RULE.replace('| where DeviceName != Name', '| where DeviceNam != Name');
    expect(overrides(broken, [entry(0, { Source: 'Nope' }, 'ws-one')]).map((d) => d.code)).toStrictEqual(['kql.KS142']);
    const unknown = RULE.replace('  table(Source)\n', '  table(Source)\n  | join kind=inner (Missing_CL) on DeviceId\n');
    expect(overrides(unknown, [entry(0, { Source: 'Nope' }, 'ws-one')]).map((d) => d.code)).toStrictEqual(['kql.unknown-table']);
    const doc = { slug: 'r', doc: parse(RULE) };
    const result = kqlDiagnostics({ rules: [doc], env, overrides: new Map([[doc, [entry(0, { Source: 'Nope' }, 'ws-one')]]]) });
    expect(result.diagnostics).toStrictEqual([]);
  });

  it('a warning in the query is no error of the override, and the default with only a warning is clean', () => {
    const warned = RULE.replace('  table(Source)\n', "  union (table(Source)), (cluster('other').database('db').Foo)\n");
    const diagnostics = overrides(warned, [entry(0, { Source: 'Nope' }, 'ws-one')]);
    expect(diagnostics.map((d) => [d.code, d.severity, d.message])).toStrictEqual([
      [
        'kql.KS207',
        'warning',
        "The name 'other' either does not refer to a reachable cluster or no schema from it is currently available.",
      ],
      [
        'kql.override',
        'error',
        "with workspace ws-one's parameters, the query of rules/r.yaml fails: table or name 'Source' is unknown (unknown-table, query line 4 after substitution)",
      ],
    ]);
  });

  it('an override that applies no value is not analyzed (here the default would fail it: union isfuzzy=true over an unknown table)', () => {
    const rule = RULE.replace('  table(Source)\n', '  union isfuzzy=true (table(Source)), (Missing_CL)\n').replace(
      '  Port:\n    type: int\n',
      '  Port:\n    type: int\n    minimum: 2\n',
    );
    expect(overrides(rule, [entry(0, { Port: 5 }, 'ws-one')]).map((d) => d.code)).toStrictEqual(['rule.parameter-default']);
  });

  it('a rule without overrides in workspaces.yaml', () => {
    const doc = { slug: 'r', doc: parse(RULE) };
    const other = { slug: 'other', doc: parse(RULE) };
    const result = kqlDiagnostics({
      rules: [doc],
      env,
      workspaces,
      overrides: new Map([[other, [entry(0, { Source: 'Nope' }, 'ws-one')]]]),
    });
    expect(result.diagnostics).toStrictEqual([]);
    expect(kqlDiagnostics({ rules: [doc], env, workspaces }).diagnostics).toStrictEqual([]);
  });
});
