import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/core/errors.ts';
import type { Workspace } from '../../../scripts/core/model/workspaces.ts';
import { parseShard, selectWorkspaces } from '../../../scripts/core/plan/select.ts';

const ws = (name: string): Workspace => ({
  environment: 'e',
  name,
  subscriptionId: 's',
  resourceGroup: 'r',
  workspace: name,
  armEndpoint: 'https://x',
  apiVersion: 'v',
  rules: {},
  watchlists: {},
});
const all = ['eu-2', 'us-1', 'eu-1', 'asia-1', 'us-2'].map(ws);
const names = (list: Workspace[]) => list.map((w) => w.name);

describe('selectWorkspaces', () => {
  it.each([
    [[], undefined, ['asia-1', 'eu-1', 'eu-2', 'us-1', 'us-2']],
    [['eu-*'], undefined, ['eu-1', 'eu-2']],
    [['EU-1,us-?'], undefined, ['eu-1', 'us-1', 'us-2']],
    [[], '1/2', ['asia-1', 'eu-2', 'us-2']],
    [[], '2/2', ['eu-1', 'us-1']],
    [['us-*', 'asia-1'], '1/3', ['asia-1']],
    [[], '5/5', ['us-2']],
  ] as [string[], string | undefined, string[]][])('filters %j shard %s', (filters, shard, expected) => {
    expect(names(selectWorkspaces(all, filters, shard ? parseShard(shard) : undefined))).toEqual(expected);
  });

  it('shards partition the selection: every workspace in exactly one shard', () => {
    const n = 3;
    const seen = [1, 2, 3].flatMap((i) => names(selectWorkspaces(all, [], parseShard(`${i}/${n}`))));
    expect(seen.sort()).toEqual(names(all).sort());
  });

  it.each(['0/2', '3/2', '1/0', 'a/b', '1-2', ''])('refuses --shard %j (usage error)', (text) => {
    expect(() => parseShard(text)).toThrow(UsageError);
  });

  it('a filter that matches nothing is a usage error naming the workspaces', () => {
    expect(() => selectWorkspaces(all, ['nope'])).toThrow(
      new UsageError('--workspace nope: no workspace of this environment matches', 'Workspaces: eu-2, us-1, eu-1, asia-1, us-2.'),
    );
  });
});

describe('parseShard and selectWorkspaces: exact refusals', () => {
  const shardHint = 'In a GitHub Actions matrix: --shard ${{ matrix.shard }}/${{ strategy.job-total }} with shard: [1, 2, …].';

  it.each(['0/2', '3/2', '1/0', 'a/b', '1-2', '', 'x1/2', '1/2x', '12/3', '1/23x'])(
    'refuses --shard %j with the form and the matrix hint',
    (text) => {
      expect(() => parseShard(text)).toThrow(new UsageError(`--shard ${text}: expected i/n with 1 ≤ i ≤ n, e.g. --shard 2/4`, shardHint));
    },
  );

  it.each([
    [' 2/4 ', { index: 2, count: 4 }],
    ['1/1', { index: 1, count: 1 }],
    ['10/12', { index: 10, count: 12 }],
  ])('reads --shard %j', (text, expected) => {
    expect(parseShard(text)).toStrictEqual(expected);
  });

  it('a filter that matches nothing names the filters and the workspaces', () => {
    expect(() => selectWorkspaces(all, ['nope', ' x* '])).toThrow(
      new UsageError('--workspace nope,x*: no workspace of this environment matches', 'Workspaces: eu-2, us-1, eu-1, asia-1, us-2.'),
    );
    expect(() => selectWorkspaces([], ['nope'])).toThrow(
      new UsageError('--workspace nope: no workspace of this environment matches', 'Workspaces: (none).'),
    );
  });

  it('empty and blank filters select everything; regex characters in a name are literal', () => {
    expect(names(selectWorkspaces(all, ['', ' , ']))).toEqual(['asia-1', 'eu-1', 'eu-2', 'us-1', 'us-2']);
    const dotted = ['a.b', 'axb', 'a+b'].map(ws);
    expect(names(selectWorkspaces(dotted, ['a.b']))).toEqual(['a.b']);
    expect(names(selectWorkspaces(dotted, ['a+b']))).toEqual(['a+b']);
    expect(names(selectWorkspaces(dotted, ['a?b']))).toEqual(['a+b', 'a.b', 'axb']);
  });
});
