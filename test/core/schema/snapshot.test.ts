// Workspace snapshots, pure: what the ARM answers become (types, duplicates, functions only), the
// file's text (deterministic, and read back to the same snapshot), refusals of a malformed file, the
// change summary, and the tables the repository-wide analysis learns from all snapshots.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../scripts/core/errors.ts';
import { jsonParseError } from '../../support/json-error.ts';
import {
  buildSnapshot,
  functionsOnly,
  parseSnapshot,
  renderSnapshot,
  snapshotChanges,
  snapshotProvider,
  type LiveSchema,
} from '../../../scripts/core/schema/snapshot.ts';

const target = { name: 'ws-a', environment: 'dev', resourceGroup: 'rg', workspace: 'law-a' };
const live: LiveSchema = {
  tables: [
    {
      name: 'Syslog',
      plan: 'Basic',
      columns: [
        { name: 'TimeGenerated', type: 'dateTime' },
        { name: 'Computer', type: 'string' },
      ],
    },
    {
      name: 'MyApp_CL',
      plan: 'Analytics',
      columns: [
        { name: 'TenantId', type: 'guid' },
        { name: 'TimeGenerated', type: 'dateTime' },
        { name: 'Ok', type: 'boolean' },
        { name: 'Score', type: 'int' },
        { name: 'Score', type: 'long' },
        { name: 'Raw', type: 'weird' },
      ],
    },
    { name: 'Syslog', columns: [{ name: 'Other', type: 'string' }] },
  ],
  savedSearches: [
    { functionAlias: 'MyParser', functionParameters: ' starttime:datetime=datetime(null) ', query: 'MyApp_CL\r\n| where Ok' },
    { query: 'SigninLogs | take 1' },
    { functionAlias: 'Bare', query: 'Syslog' },
  ],
  watchlists: [
    { alias: 'vip', searchKey: 'UPN', columns: ['UPN', 'Dept'] },
    { alias: 'empty', columns: [] },
  ],
};

describe('buildSnapshot', () => {
  it('normalizes column types, keeps the first of a duplicate, keeps functions only, sorts everything', () => {
    const { snapshot, notes } = buildSnapshot(target, live);
    expect(snapshot.tables).toEqual([
      {
        name: 'MyApp_CL',
        plan: 'Analytics',
        columns: [
          { name: 'TenantId', type: 'guid' },
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Ok', type: 'bool' },
          { name: 'Score', type: 'int' },
          { name: 'Raw', type: 'dynamic' },
        ],
      },
      {
        name: 'Syslog',
        plan: 'Basic',
        columns: [
          { name: 'TimeGenerated', type: 'datetime' },
          { name: 'Computer', type: 'string' },
        ],
      },
    ]);
    expect(notes).toEqual(['MyApp_CL.Raw: column type "weird" is not a Kusto type; recorded as dynamic']);
    expect(snapshot.functions).toEqual([
      { name: 'Bare', body: 'Syslog' },
      { name: 'MyParser', parameters: 'starttime:datetime=datetime(null)', body: 'MyApp_CL\n| where Ok' },
    ]);
    expect(snapshot.watchlists.map((w) => w.alias)).toEqual(['empty', 'vip']);
  });
});

describe('the snapshot file', () => {
  it('is deterministic whatever order the service answers in, and reads back to the same snapshot', () => {
    const unique = { ...live, tables: live.tables.slice(0, 2) };
    const { snapshot } = buildSnapshot(target, unique);
    const text = renderSnapshot(snapshot);
    const shuffled = buildSnapshot(target, {
      tables: [...unique.tables].reverse(),
      savedSearches: [...unique.savedSearches].reverse(),
      watchlists: [...unique.watchlists].reverse(),
    });
    expect(renderSnapshot(shuffled.snapshot)).toBe(text);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('"TimeGenerated:datetime",\n');
    expect(parseSnapshot('schemas/workspaces/ws-a.json', text)).toEqual(snapshot);
  });

  it.each([
    ['not JSON', '{', `not valid JSON (${jsonParseError('{')})`],
    ['another format', '{"format": 2}', '"format" must be 1, got 2'],
    [
      'a column without a Kusto type',
      JSON.stringify({
        format: 1,
        workspace: 'a',
        environment: 'e',
        source: { resourceGroup: 'r', workspace: 'w' },
        tables: { T: { columns: ['A:text'] } },
        functions: {},
        watchlists: {},
      }),
      'tables.T.columns[0] "A:text" is not "Name:type" with a Kusto type',
    ],
    [
      'no tables',
      JSON.stringify({ format: 1, workspace: 'a', environment: 'e', source: { resourceGroup: 'r', workspace: 'w' } }),
      '"tables" must be an object',
    ],
  ])('%s is refused with the file named', (_, text, message) => {
    let error: unknown;
    try {
      parseSnapshot('schemas/workspaces/x.json', text);
    } catch (e) {
      error = e;
    }
    expect(error).toStrictEqual(
      new ConfigError(
        `workspace snapshot schemas/workspaces/x.json: ${message}`,
        'schemas/workspaces/x.json',
        'Snapshots are written by `npm run cli -- schema pull`: pull it again rather than editing it by hand.',
      ),
    );
  });
});

describe('snapshotChanges', () => {
  it('names what appeared, went and changed', () => {
    const before = buildSnapshot(target, live).snapshot;
    const after = buildSnapshot(target, {
      tables: [
        live.tables[0]!,
        { name: 'AuditLogs', columns: [{ name: 'TimeGenerated', type: 'dateTime' }] },
        { ...live.tables[1]!, plan: 'Basic' },
      ],
      savedSearches: [live.savedSearches[0]!],
      watchlists: [{ alias: 'vip', searchKey: 'UPN', columns: ['UPN'] }],
    }).snapshot;
    expect(snapshotChanges(before, after)).toEqual({
      tablesAdded: ['AuditLogs'],
      tablesRemoved: [],
      tablesChanged: ['MyApp_CL'],
      functionsAdded: [],
      functionsRemoved: ['Bare'],
      functionsChanged: [],
      watchlistsAdded: [],
      watchlistsRemoved: ['empty'],
      watchlistsChanged: ['vip'],
    });
    expect(snapshotChanges(undefined, after).tablesAdded).toEqual(['AuditLogs', 'MyApp_CL', 'Syslog']);
  });
});

describe('snapshotProvider and functionsOnly', () => {
  it('a table is the union of its columns over every snapshot; a function comes from the first workspace by label, its parameters in Kusto form', () => {
    const a = buildSnapshot(target, {
      tables: [
        {
          name: 'MyApp_CL',
          columns: [
            { name: 'TimeGenerated', type: 'dateTime' },
            { name: 'Score', type: 'int' },
          ],
        },
      ],
      savedSearches: [{ functionAlias: 'MyParser', functionParameters: 'minScore:int=0', query: 'MyApp_CL' }],
      watchlists: [],
    }).snapshot;
    const b = buildSnapshot(
      { ...target, name: 'ws-b' },
      {
        tables: [
          {
            name: 'MyApp_CL',
            columns: [
              { name: 'TimeGenerated', type: 'dateTime' },
              { name: 'Host', type: 'string' },
            ],
          },
        ],
        savedSearches: [
          { functionAlias: 'MyParser', query: 'MyApp_CL | take 1' },
          { functionAlias: 'Other', query: 'print 1' },
        ],
        watchlists: [],
      },
    ).snapshot;
    const provider = snapshotProvider([
      { path: 'schemas/workspaces/ws-b.json', snapshot: b },
      { path: 'schemas/workspaces/ws-a.json', snapshot: a },
    ]);
    expect(provider.table('MyApp_CL')).toEqual({
      name: 'MyApp_CL',
      columns: [
        { name: 'TimeGenerated', type: 'datetime' },
        { name: 'Score', type: 'int' },
        { name: 'Host', type: 'string' },
      ],
    });
    expect(provider.table('SigninLogs')).toBeUndefined();
    expect(provider.function('MyParser')).toEqual({
      name: 'MyParser',
      parameters: '(minScore:int=0)',
      body: 'MyApp_CL',
      origin: 'workspace function in schemas/workspaces/ws-a.json',
    });
    expect(provider.function('Other')).toMatchObject({ parameters: '()', body: 'print 1' });
    expect([...provider.functionNames()].sort()).toEqual(['MyParser', 'Other']);
    const only = functionsOnly([provider]);
    expect([only.table('MyApp_CL'), only.tableNames(), only.function('Other')?.name]).toEqual([undefined, [], 'Other']);
  });
});
