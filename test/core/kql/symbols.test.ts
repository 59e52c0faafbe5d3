import { describe, expect, it } from 'vitest';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
import { listProvider } from '../../../scripts/core/catalog/provider.ts';
import { toArray, type KTableSymbol, type KustoCode } from '../../../scripts/core/kql/kusto.ts';
import { createKqlEnvironment } from '../../../scripts/core/kql/symbols.ts';
import type { ColumnSchema, KqlType } from '../../../scripts/core/kql/types.ts';
import { KQL_TYPES } from '../../../scripts/core/kql/types.ts';

describe('createKqlEnvironment', () => {
  it('lists its tables and watchlists sorted', () => {
    const env = createKqlEnvironment({
      tables: [
        { name: 'Zeta', columns: [{ name: 'A', type: 'string' }] },
        { name: 'Alpha', columns: [{ name: 'A', type: 'string' }] },
      ],
      watchlists: [
        { alias: 'vip', columns: [] },
        { alias: 'assets', columns: [] },
      ],
    });
    expect(env.tables).toEqual(['Alpha', 'Zeta']);
    expect(env.watchlists).toEqual(['assets', 'vip']);
  });

  it.each([
    {
      what: 'table',
      input: {
        tables: [
          { name: 'T', columns: [] },
          { name: 'T', columns: [] },
        ],
        watchlists: [],
      },
      message: /table T is declared twice/,
    },
    {
      what: 'watchlist',
      input: {
        tables: [],
        watchlists: [
          { alias: 'w', columns: [] },
          { alias: 'w', columns: [] },
        ],
      },
      message: /watchlist w is declared twice/,
    },
  ])('refuses a $what declared twice', ({ input, message }) => {
    expect(() => createKqlEnvironment(input)).toThrow(message);
  });

  it('gives every column the declared Kusto type', () => {
    const columns: ColumnSchema[] = KQL_TYPES.map((type: KqlType) => ({ name: `C_${type}`, type }));
    const env = createKqlEnvironment({ tables: [{ name: 'AllTypes', columns }], watchlists: [] });
    expect(analyzeKql(env, 'AllTypes').columns).toEqual(columns);
  });

  it('keeps the metadata columns when a watchlist declares one of the same name', () => {
    const env = createKqlEnvironment({
      tables: [],
      watchlists: [
        {
          alias: 'w',
          columns: [
            { name: 'SearchKey', type: 'int' },
            { name: 'Owner', type: 'string' },
          ],
        },
      ],
    });
    expect(analyzeKql(env, "_GetWatchlist('w')").columns?.map((c) => `${c.name}:${c.type}`)).toEqual([
      '_DTItemId:string',
      'LastUpdatedTimeUTC:datetime',
      'SearchKey:string',
      'Owner:string',
    ]);
  });

  it('reuses one environment across queries without leaking placeholder tables', () => {
    const env = createKqlEnvironment({ tables: [{ name: 'Known', columns: [{ name: 'A', type: 'long' }] }], watchlists: [] });
    expect(analyzeKql(env, 'Missing | take 1').unknownTables.map((t) => t.name)).toEqual(['Missing']);
    // The second query must not see Missing as declared by the first one's re-analysis.
    expect(analyzeKql(env, 'Missing | take 1').unknownTables.map((t) => t.name)).toEqual(['Missing']);
    expect(analyzeKql(env, 'Known | where A > 1').diagnostics).toEqual([]);
  });

  describe('analyze (names guessed from the text, checked against the tree)', () => {
    const column = (name: string): ColumnSchema => ({ name, type: 'string' });
    const env = createKqlEnvironment({
      tables: [{ name: 'Own', columns: [column('A')] }],
      watchlists: [],
      providers: [
        listProvider(
          [
            { name: 'SecurityEvent', columns: [column('Account'), column('Computer')] },
            { name: 'Syslog', columns: [column('Computer'), column('SyslogMessage')] },
          ],
          [{ name: 'imThing', origin: 'test', moreNamed: true, parameters: '(starttime:datetime=datetime(null))', columns: [column('B')] }],
        ),
      ],
    });
    const outcome = (code: KustoCode) => ({
      diagnostics: toArray(code.GetDiagnostics()).map((d) => `${d.Code}@${d.Start}+${d.Length} ${d.Message}`),
      columns: toArray((code.ResultType as KTableSymbol | null)?.Columns).map((c) => c.Name),
    });

    it.each([
      { query: 'SecurityEvent | project Account', guessed: true },
      { query: "Syslog | where Computer == 'SecurityEvent' // SecurityEvent", guessed: true },
      { query: 'imThing(starttime=ago(1d), extra=1) | project B', guessed: true },
      { query: 'Nope | take 1', guessed: true },
      // The guess takes a string in brackets for a name, and leaves `union *` out: analyzed again.
      { query: "print x = dynamic(['SecurityEvent'])", guessed: false },
      { query: 'union * | project Computer', guessed: false },
    ])('$query: what prepare() then Analyze() gives (guess right: $guessed)', ({ query, guessed }) => {
      const fast = env.analyze(query);
      const exact = env.prepare(query);
      expect(fast.prepared.globals).toBe(exact.globals);
      expect(outcome(fast.code)).toEqual(outcome(exact.parsed.Analyze(exact.globals)));
      // Right guess: one parse, bound once; wrong: the first analysis is analyzed again.
      expect(fast.code === fast.prepared.parsed).toBe(guessed);
    });
  });
  it('gives each query the same answer whatever ran before it on the same globals (their cache)', () => {
    const input = {
      // Every globals with Kusto.Language's cache from the first request (by default only after 16).
      globalsBeforeCache: 0,
      tables: [{ name: 'T', columns: [{ name: 'A', type: 'string' as const }] }],
      watchlists: [
        { alias: 'a', columns: [{ name: 'X', type: 'string' as const }] },
        { alias: 'b', columns: [{ name: 'Y', type: 'long' as const }] },
      ],
      functions: [{ name: 'Pick', origin: 'test', parameters: '(n:long)', body: 'T | extend N = n | take n' }],
    };
    const queries = [
      "_GetWatchlist('a') | project X",
      "_GetWatchlist('b') | project Y",
      "_GetWatchlist('b') | project X",
      'Pick(1) | project A, N',
      'Pick(2) | project B',
      "workspace('w').T | project A",
    ];
    const answer = (query: string, env = createKqlEnvironment(input)) => {
      const a = analyzeKql(env, query);
      return { diagnostics: a.diagnostics, columns: a.columns };
    };
    const alone = queries.map((q) => answer(q));
    const shared = createKqlEnvironment(input);
    expect(queries.map((q) => answer(q, shared))).toEqual(alone);
    expect([...queries].reverse().map((q) => answer(q, shared))).toEqual([...alone].reverse());
  });
});

describe('table symbols shared across environments', () => {
  const snapshot = (columns: ColumnSchema[]) => listProvider([{ name: 'Custom_CL', columns }]);
  const columnsOf = (env: ReturnType<typeof createKqlEnvironment>) => analyzeKql(env, 'Custom_CL').columns;

  it('gives two workspaces their own custom table of the same name, in any order', () => {
    const a = createKqlEnvironment({ tables: [], watchlists: [], providers: [snapshot([{ name: 'A', type: 'string' }])] });
    const b = createKqlEnvironment({ tables: [], watchlists: [], providers: [snapshot([{ name: 'B', type: 'long' }])] });
    expect(columnsOf(a)).toStrictEqual([{ name: 'A', type: 'string' }]);
    expect(columnsOf(b)).toStrictEqual([{ name: 'B', type: 'long' }]);
    expect(columnsOf(a)).toStrictEqual([{ name: 'A', type: 'string' }]);
    expect(analyzeKql(b, 'Custom_CL | project A').diagnostics.map((d) => d.kustoCode)).toStrictEqual(['KS142']);
  });

  it('shares the symbol of one schema object, and each environment counts it as its own table', () => {
    const provider = snapshot([{ name: 'A', type: 'string' }]);
    const first = createKqlEnvironment({ tables: [], watchlists: [], providers: [provider] });
    const second = createKqlEnvironment({ tables: [], watchlists: [], providers: [provider] });
    const symbolOf = (env: ReturnType<typeof createKqlEnvironment>) =>
      toArray(
        (env.prepare('Custom_CL').globals as unknown as { Database: { Members: { Count: number; getItem(i: number): unknown } } }).Database
          .Members,
      ).find((m) => (m as { Name: string }).Name === 'Custom_CL');
    expect(symbolOf(first)).toBe(symbolOf(second));
    expect(first.isTable(symbolOf(second) as KTableSymbol)).toBe(true);
    expect(analyzeKql(second, 'Custom_CL').tables).toStrictEqual(['Custom_CL']);
  });

  it('keeps an open table open and a closed one closed for the same name in two environments', () => {
    const open = createKqlEnvironment({
      tables: [],
      watchlists: [],
      providers: [listProvider([{ name: 'Custom_CL', columns: [], open: true }])],
    });
    const closed = createKqlEnvironment({ tables: [], watchlists: [], providers: [snapshot([])] });
    expect(analyzeKql(open, 'Custom_CL | project X').diagnostics).toStrictEqual([]);
    expect(analyzeKql(closed, 'Custom_CL | project X').diagnostics.map((d) => d.kustoCode)).toStrictEqual(['KS142']);
  });
});
