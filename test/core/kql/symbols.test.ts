import { describe, expect, it } from 'vitest';
import { analyzeKql } from '../../../scripts/core/kql/analyze.ts';
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
});
