import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../scripts/core/errors.ts';
import type { Workspace } from '../../../scripts/core/model/workspaces.ts';
import { parseShard, selectWorkspaces } from '../../../scripts/core/plan/select.ts';

const ws = (name: string): Workspace => ({ environment: 'e', name, subscriptionId: 's', resourceGroup: 'r', workspace: name, armEndpoint: 'https://x', apiVersion: 'v', rules: {}, watchlists: {} });
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
    expect(() => selectWorkspaces(all, ['nope'])).toThrow(/no workspace of this environment matches/);
  });
});
