// The override shortcut (scripts/core/kql/overrides.ts) against the full analysis it replaces: for every
// parameter type and the positions a parameter can take, the verdict is the expected one, and whenever
// it says "unchanged", analyzing the substituted query reports nothing (as the default query does).
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeKql, type KqlAnalysis } from '../../../scripts/core/kql/analyze.ts';
import { literalType, overridesKeepAnalysis, parameterUses } from '../../../scripts/core/kql/overrides.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import { renderKqlLiteral, substituteLets } from '../../../scripts/core/model/parameters.ts';
import { repoTables } from '../../support/content.ts';

let env: KqlEnvironment;
beforeAll(() => {
  env = createKqlEnvironment({
    tables: repoTables(),
    watchlists: [
      {
        alias: 'ipsum',
        columns: [
          { name: 'IPAddress', type: 'string' },
          { name: 'Score', type: 'int' },
        ],
      },
    ],
  });
});

const failed = (a: KqlAnalysis) => a.unknownTables.length > 0 || a.diagnostics.some((d) => d.severity === 'error');

/** The shortcut's verdict for `values` (name → KQL literal) and whether the full analysis of the substituted query fails. */
function judge(query: string, values: Record<string, string>): { keep: boolean; fullFails: boolean } {
  const names = Object.keys(values);
  const analysis = analyzeKql(env, query);
  const map = new Map(Object.entries(values));
  const keep = overridesKeepAnalysis(query, !failed(analysis), parameterUses(analysis.syntax, names), map);
  const full = analyzeKql(env, substituteLets(query, analysis.lets, map));
  return { keep, fullFails: failed(full) };
}

const net = 'DeviceNetworkEvents';
const render = renderKqlLiteral;

describe('override shortcut', () => {
  // [what, query, overrides (name → literal), expected verdict, whether the substituted query fails]
  const cases: [string, string, Record<string, string>, boolean, boolean][] = [
    ['int compared', `let MinPort = 1024;\n${net} | where RemotePort >= MinPort`, { MinPort: render('int', 443) }, true, false],
    [
      'int compared, negative override',
      `let MinPort = 1024;\n${net} | where RemotePort >= MinPort`,
      { MinPort: render('int', -5) },
      true,
      false,
    ],
    ['long on either side of ==', `let Pid = 4;\n${net} | where Pid == InitiatingProcessId`, { Pid: render('long', 8) }, true, false],
    [
      'long too large to print as an integer becomes real',
      `let MinPort = 1024;\n${net} | where RemotePort >= MinPort`,
      { MinPort: render('long', 1e21) },
      false,
      false,
    ],
    [
      'int as a function argument',
      `let Size = 100;\n${net} | summarize by Bucket = bin(RemotePort, Size)`,
      { Size: render('int', 50) },
      false,
      false,
    ],
    ['int as take count', `let Limit = 10;\n${net} | take Limit`, { Limit: render('int', 20) }, false, false],
    ['int in parentheses', `let MinPort = 1024;\n${net} | where RemotePort >= (MinPort)`, { MinPort: render('int', 443) }, false, false],
    ['int projected', `let Level = 4;\n${net} | extend Level`, { Level: render('int', 6) }, false, false],
    ['real compared', `let Ratio = 0.5;\n${net} | where todouble(RemotePort) > Ratio`, { Ratio: render('real', 2.5) }, true, false],
    [
      'real overridden with a whole number (prints as long)',
      `let Ratio = 0.5;\n${net} | where todouble(RemotePort) > Ratio`,
      { Ratio: render('real', 2) },
      false,
      false,
    ],
    [
      'bool compared',
      `let Accepted = true;\n${net} | where (ActionType == 'InboundConnectionAccepted') == Accepted`,
      { Accepted: render('bool', false) },
      true,
      false,
    ],
    [
      'timespan compared',
      `let MaxAge = 1h;\n${net} | where now() - TimeGenerated < MaxAge`,
      { MaxAge: render('timespan', '30m') },
      true,
      false,
    ],
    [
      'timespan in ago()',
      `let Lookback = 1h;\n${net} | where TimeGenerated > ago(Lookback)`,
      { Lookback: render('timespan', '1d') },
      false,
      false,
    ],
    [
      'string compared',
      `let Action = 'ConnectionSuccess';\n${net} | where ActionType == Action`,
      { Action: render('string', "it's \\ quoted") },
      true,
      false,
    ],
    ['string compared with =~', `let Host = "web01";\n${net} | where DeviceName =~ Host`, { Host: render('string', 'db02') }, true, false],
    [
      'string with a line break (not one literal)',
      `let Action = 'x';\n${net} | where ActionType == Action`,
      { Action: render('string', 'a\nb') },
      false,
      true,
    ],
    ['string with has', `let Word = 'web';\n${net} | where DeviceName has Word`, { Word: render('string', 'db') }, false, false],
    [
      'string as a column name',
      `let Column = 'DeviceName';\n${net} | extend Value = column_ifexists(Column, '')`,
      { Column: render('string', 'RemoteIP') },
      false,
      false,
    ],
    [
      'string as a table name',
      `let Table = 'DeviceNetworkEvents';\ntable(Table) | take 1`,
      { Table: render('string', 'DeviceInfo') },
      false,
      false,
    ],
    [
      'int[] empty by default, in a !in list',
      `let Ports = dynamic([]);\n${net} | where LocalPort !in (Ports)`,
      { Ports: render('int[]', [25]) },
      true,
      false,
    ],
    [
      'int[] in an in list with other values',
      `let Ports = dynamic([22]);\n${net} | where LocalPort in (Ports, 3389)`,
      { Ports: render('int[]', [25, 443]) },
      true,
      false,
    ],
    [
      'int[] measured',
      `let Ports = dynamic([22]);\n${net} | where array_length(Ports) > 0`,
      { Ports: render('int[]', [25, 443]) },
      false,
      false,
    ],
    [
      'int[] in a list and measured',
      `let Ports = dynamic([22]);\n${net} | where LocalPort in (Ports) and array_length(Ports) > 0`,
      { Ports: render('int[]', [25]) },
      false,
      false,
    ],
    [
      'int[] with another element type, compared',
      `let Ports = dynamic([22]);\n${net} | where Ports == dynamic([1])`,
      { Ports: render('string[]', ['a']) },
      false,
      false,
    ],
    [
      'string[] in an in~ list',
      `let Hosts = dynamic(['a']);\n${net} | where DeviceName in~ (Hosts)`,
      { Hosts: render('string[]', ['b', 'c']) },
      true,
      false,
    ],
    [
      'string[] with has_any',
      `let Hosts = dynamic(['a']);\n${net} | where DeviceName has_any (Hosts)`,
      { Hosts: render('string[]', ['b']) },
      false,
      false,
    ],
    [
      "a column with the parameter's name",
      `let RemotePort = 5;\n${net} | where RemotePort > 3`,
      { RemotePort: render('int', 6) },
      false,
      false,
    ],
    [
      'declared twice (an error already)',
      `let MinPort = 1;\nlet MinPort = 2;\n${net} | where RemotePort > MinPort`,
      { MinPort: render('int', 3) },
      false,
      true,
    ],
    [
      'used in a nested let and a function body',
      `let MinPort = 1024;\nlet High = ${net} | where RemotePort > MinPort;\nlet f = (p: int) { p >= MinPort };\nHigh | where f(LocalPort)`,
      { MinPort: render('int', 443) },
      true,
      false,
    ],
    ['not used at all', `let Unused = 1;\n${net} | take 1`, { Unused: render('int', 2) }, true, false],
    [
      'default followed by a comment without a space',
      `let MinPort = 1024// default\n;\n${net} | where RemotePort >= MinPort`,
      { MinPort: render('int', 443) },
      false,
      false,
    ],
    [
      'two parameters at once',
      `let MinPort = 1024;\nlet Hosts = dynamic([]);\n${net} | where RemotePort >= MinPort and DeviceName !in (Hosts)`,
      { MinPort: render('int', 1), Hosts: render('string[]', ['x']) },
      true,
      false,
    ],
    [
      'a type change that breaks the query',
      `let Threshold = 5;\n${net} | where RemotePort > Threshold`,
      { Threshold: render('string', 'five') },
      false,
      true,
    ],
    [
      'a default query with an error',
      `let MinPort = 1024;\n${net} | where RemotePort >= MinPort | where NoSuchColumn > 1`,
      { MinPort: render('int', 443) },
      false,
      true,
    ],
    [
      'a default query with an unknown table',
      `let MinPort = 1024;\nNoSuchTable | where RemotePort >= MinPort`,
      { MinPort: render('int', 443) },
      false,
      true,
    ],
  ];

  it.each(cases)('%s', (_, query, values, keep, fullFails) => {
    const verdict = judge(query, values);
    expect(verdict).toEqual({ keep, fullFails });
    if (verdict.keep) expect(verdict.fullFails).toBe(false); // soundness, stated on its own
  });

  it('types literals as Kusto.Language does, and only whole, clean literals', () => {
    expect(
      [
        render('int', 4),
        render('int', -4),
        render('real', 1.5),
        render('bool', true),
        render('timespan', '1.5d'),
        render('string', 'x'),
      ].map(literalType),
    ).toEqual(['long', 'long', 'real', 'bool', 'timespan', 'string']);
    expect([render('int[]', [1, 2]), render('string[]', ['a']), 'dynamic([])'].map(literalType)).toEqual([
      'dynamic[long]',
      'dynamic[string]',
      expect.stringMatching(/^dynamic\[/),
    ]);
    expect(['1 + 1', "'a' | take 1", "'unterminated", 'x', ''].map(literalType)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
