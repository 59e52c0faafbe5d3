import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../../../scripts/core/kql/symbols.ts';

let env: KqlEnvironment;
beforeAll(() => {
  env = createKqlEnvironment({
    tables: [
      {
        name: 'Events',
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Port', type: 'int' },
        ],
      },
    ],
    watchlists: [],
  });
});

describe('top-level lets: which values are literals (rule parameters)', () => {
  const cases: { value: string; literal: boolean }[] = [
    { value: '4', literal: true },
    { value: '-1', literal: true },
    { value: '2.5', literal: true },
    { value: "'smtp'", literal: true },
    { value: '@"C:\\temp"', literal: true },
    { value: 'true', literal: true },
    { value: '1h', literal: true },
    { value: 'timespan(2d)', literal: true },
    { value: 'datetime(2024-05-01)', literal: true },
    { value: 'dynamic([])', literal: true },
    { value: 'dynamic([25, 587])', literal: true },
    { value: 'dynamic({"ports": [25], "name": "mail"})', literal: true },
    { value: 'ago(1h)', literal: false },
    { value: '1 + 1', literal: false },
    { value: 'pack_array(25, 587)', literal: false },
    { value: 'Events | where Port == 25', literal: false },
    { value: 'toscalar(Events | count)', literal: false },
  ];
  it.each(cases)('let V = $value; → literal $literal, value span exact', ({ value, literal }) => {
    const query = `// header\nlet  V =  ${value} ;\nEvents | take 1`;
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics).toEqual([]);
    expect(analysis.lets).toEqual([
      {
        name: 'V',
        start: query.indexOf('V'),
        length: 1,
        valueStart: query.indexOf(value),
        valueLength: value.length,
        valueText: value,
        literal,
      },
    ]);
  });

  it('skips lets inside function bodies and keeps order', () => {
    const query = 'let A = 1;\nlet f = (x: int) { let Inner = 2; x + Inner };\nlet B = "b";\nprint f(A), B';
    expect(analyzeKql(env, query).lets.map((l) => [l.name, l.literal])).toEqual([
      ['A', true],
      ['f', false],
      ['B', true],
    ]);
  });

  it('finds lets after a syntax error elsewhere', () => {
    const query = 'let Level = 5;\nEvents | where Port >';
    const analysis = analyzeKql(env, query);
    expect(analysis.diagnostics.map((d) => d.kustoCode)).toEqual(['KS006']);
    expect(analysis.lets.map((l) => [l.name, l.valueText, l.literal])).toEqual([['Level', '5', true]]);
  });
});

describe('tables read by a query', () => {
  const cases: { query: string; tables: string[] }[] = [
    { query: 'print 1', tables: [] },
    { query: 'Events | take 1', tables: ['Events'] },
    { query: "table('Events') | take 1", tables: ['Events'] },
    { query: 'let E = Events; E | join (Events) on Port', tables: ['Events'] },
    // A let variable shadowing nothing: its name is not a table.
    { query: 'let Recent = Events | where TimeGenerated > ago(1h); Recent', tables: ['Events'] },
  ];
  it.each(cases)('$query → $tables', ({ query, tables }) => {
    expect(analyzeKql(env, query).tables).toEqual(tables);
  });
});
