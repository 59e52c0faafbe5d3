// The text's guess at a query's names (namesInText): what it takes and what it leaves out. Whether the
// guess is right never changes an analysis (symbols.test.ts): it only saves a parse when it is.
import { describe, expect, it } from 'vitest';
import { namesInText } from '../../../scripts/core/kql/names.ts';

describe('namesInText', () => {
  it.each([
    {
      what: 'identifiers of the code',
      query: 'SecurityEvent | where EventID == 4688',
      has: ['SecurityEvent', 'where', 'EventID'],
      not: ['4688'],
    },
    { what: 'nothing from comments', query: 'Heartbeat // then Syslog\n| take 1', has: ['Heartbeat'], not: ['Syslog', 'then'] },
    { what: 'nothing from plain strings', query: "Heartbeat | where Computer == 'Syslog'", has: ['Computer'], not: ['Syslog'] },
    { what: "table('…')", query: "table('Syslog') | take 1", has: ['table', 'Syslog'], not: [] },
    { what: "a bracketed name ['…']", query: "['My Table'] | take 1", has: ['My Table'], not: [] },
    {
      what: 'no declared name',
      query: 'T | extend Heartbeat = 1 | summarize Count = count() by Computer',
      has: ['T', 'count', 'Computer'],
      not: ['Heartbeat', 'Count'],
    },
    { what: 'both sides of a comparison', query: "T | where A == B and C =~ 'x' and D != E", has: ['A', 'B', 'C', 'D', 'E'], not: [] },
    { what: 'no numbers or timespans', query: 'T | where TimeGenerated > ago(1d) and X > 1e5', has: ['ago', 'X'], not: ['1d', '1e5'] },
  ])('takes $what', ({ query, has, not }) => {
    const { names } = namesInText(query);
    expect([...names]).toEqual(expect.arrayContaining(has));
    expect(not.filter((n) => names.has(n))).toEqual([]);
  });

  it('takes the named arguments directly inside a call, per function', () => {
    const { names, namedArguments } = namesInText("_Im_Dns(starttime=ago(1d), responsecodename='NXDOMAIN') | where x == 1");
    expect(Object.fromEntries([...namedArguments].map(([f, a]) => [f, [...a].sort()]))).toEqual({
      _Im_Dns: ['responsecodename', 'starttime'],
    });
    expect([...names]).toEqual(expect.arrayContaining(['_Im_Dns', 'ago', 'x']));
    expect(names.has('starttime')).toBe(false);
  });

  it('takes a name holding * as a wildcard, not a lone * (a product, or union *)', () => {
    const { names, wildcards } = namesInText('union Device*, *Events | extend y = a * b');
    expect(wildcards.map((w) => ['DeviceInfo', 'SecurityEvents', 'Syslog'].filter((t) => w.test(t)))).toEqual([
      ['DeviceInfo'],
      ['SecurityEvents'],
    ]);
    expect(names.has('Device')).toBe(false);
  });
});
