// planWorkspace decisions, table by table: what is created, updated, left alone, deleted, refused.
import { describe, expect, it } from 'vitest';
import { sentinelScope, type Workspace } from '../../../scripts/core/model/workspaces.ts';
import type { DesiredRule, DesiredState, DesiredWatchlist } from '../../../scripts/core/plan/desired.ts';
import { planWorkspace } from '../../../scripts/core/plan/plan.ts';
import { ownershipOf, type LiveState, type Ownership } from '../../../scripts/core/plan/types.ts';

const REPO = 'test-org/plan';
/** The lock this repository committed: 'a' is current; the rest were retired (so prune may delete them). */
const OWNER: Ownership = ownershipOf(REPO, {
  rules: { a: {} },
  retired: ['gone', 'mark-only', 'theirs', 'elsewhere', 'foreign', 'by-hand', 'wrong-content'].map((id) => ({ id })),
});
const ws: Workspace = {
  environment: 'e',
  name: 'ws',
  subscriptionId: 'sub',
  resourceGroup: 'rg',
  workspace: 'law',
  armEndpoint: 'https://x',
  apiVersion: '2025-09-01',
  rules: {},
  watchlists: {},
};
const scope = sentinelScope(ws);
const source = (name = REPO) => ({ kind: 'SourceRepository', name, sourceId: name });

const props = {
  displayName: 'Rule',
  severity: 'Low',
  enabled: true,
  query: 'T',
  queryFrequency: 'PT1H',
  queryPeriod: 'PT1H',
  triggerOperator: 'GreaterThan',
  triggerThreshold: 0,
  suppressionEnabled: false,
  suppressionDuration: 'PT5H',
};
const markProps = (id: string, repo = REPO) => ({
  kind: 'AnalyticsRule',
  contentId: id,
  parentId: `${scope}/alertRules/${id}`,
  version: '1.0.0',
  source: source(repo),
});

function rule(id: string, over: Record<string, unknown> = {}): DesiredRule {
  return {
    id,
    file: `rules/${id}.yaml`,
    displayName: 'Rule',
    body: { kind: 'Scheduled', properties: { ...props, ...over } },
    markName: `analyticsrule-${id}`,
    mark: { properties: markProps(id) },
  };
}
const liveRule = (id: string, over: Record<string, unknown> = {}) => ({
  name: id,
  kind: 'Scheduled',
  properties: { ...props, lastModifiedUtc: 'now', alertRuleTemplateName: null, ...over },
});
const liveMark = (id: string, repo = REPO, over: Record<string, unknown> = {}) => ({
  name: `analyticsrule-${id}`,
  properties: { ...markProps(id, repo), ...over },
});

function plan(desired: Partial<DesiredState>, live: Partial<LiveState>, owner: Ownership = OWNER) {
  return planWorkspace(
    ws,
    { rules: [], watchlists: [], diagnostics: [], ...desired },
    { alertRules: [], metadata: [], watchlists: [], ...live },
    owner,
  ).changes;
}
const summary = (changes: ReturnType<typeof plan>) =>
  changes.map((c) => ({
    id: c.change.id,
    action: c.change.action,
    mark: c.change.mark,
    conflict: c.change.conflict?.reason,
    writes: c.writes.map((w) => w.op),
  }));

describe('planWorkspace: alert rules', () => {
  it.each([
    ['absent → create rule then mark', [rule('a')], {}, { action: 'create', mark: 'create', writes: ['putRule', 'putMark'] }],
    [
      'equal and ours → noop, no writes',
      [rule('a')],
      { alertRules: [liveRule('a')], metadata: [liveMark('a')] },
      { action: 'noop', mark: 'noop', writes: [] },
    ],
    [
      'changed and ours → update the rule only',
      [rule('a', { severity: 'High' })],
      { alertRules: [liveRule('a')], metadata: [liveMark('a')] },
      { action: 'update', mark: 'noop', writes: ['putRule'] },
    ],
    [
      'mark changed only → update the mark only (no rule PUT)',
      [rule('a')],
      { alertRules: [liveRule('a')], metadata: [liveMark('a', REPO, { version: '0.9.0' })] },
      { action: 'update', mark: 'update', writes: ['putMark'] },
    ],
    [
      'our mark, rule deleted in the portal → create the rule, keep the mark',
      [rule('a')],
      { metadata: [liveMark('a')] },
      { action: 'create', mark: 'noop', writes: ['putRule'] },
    ],
    [
      'unmarked and different → conflict unmanaged (writes as --adopt would)',
      [rule('a', { severity: 'High' })],
      { alertRules: [liveRule('a')] },
      { action: 'update', mark: 'create', conflict: 'unmanaged', writes: ['putRule', 'putMark'] },
    ],
    [
      'our name on a mark written by hand under another name → not ours: conflict',
      [rule('a', { severity: 'High' })],
      { alertRules: [liveRule('a')], metadata: [{ name: 'my-own-mark', properties: markProps('a') }] },
      { action: 'update', mark: 'create', conflict: 'unmanaged', writes: ['putRule', 'putMark'] },
    ],
    [
      'our mark with another contentId → not ours: conflict',
      [rule('a', { severity: 'High' })],
      { alertRules: [liveRule('a')], metadata: [liveMark('a', REPO, { contentId: 'b' })] },
      { action: 'update', mark: 'create', conflict: 'unmanaged', writes: ['putRule', 'putMark'] },
    ],
    [
      'unmarked and identical → conflict unmanaged: equal content is no proof, only --adopt writes the mark (and nothing else)',
      [rule('a')],
      { alertRules: [liveRule('a')] },
      { action: 'update', mark: 'create', conflict: 'unmanaged', writes: ['putMark'] },
    ],
    [
      'marked by another repository → conflict, never written',
      [rule('a', { severity: 'High' })],
      { alertRules: [liveRule('a')], metadata: [liveMark('a', 'other-repo')] },
      { action: 'update', mark: 'create', conflict: 'owned-elsewhere', writes: [] },
    ],
  ] as const)('%s', (_label, desired, live, expected) => {
    expect(summary(plan({ rules: [...desired] }, live as Partial<LiveState>))).toEqual([{ id: 'a', conflict: undefined, ...expected }]);
  });

  it('deletes only rules carrying our mark for this workspace; a foreign rule is never listed', () => {
    const changes = plan(
      {},
      {
        alertRules: [liveRule('gone'), liveRule('foreign'), liveRule('theirs'), liveRule('elsewhere')],
        metadata: [
          liveMark('gone'),
          liveMark('mark-only'),
          liveMark('theirs', 'other-repo'),
          {
            name: 'analyticsrule-elsewhere',
            properties: {
              ...markProps('elsewhere'),
              parentId:
                '/subscriptions/sub/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/OTHER/providers/Microsoft.SecurityInsights/alertRules/elsewhere',
            },
          },
          {
            name: 'solution-x',
            properties: { kind: 'AnalyticsRule', parentId: `${scope}/alertRules/foreign`, source: { kind: 'Solution', name: 'X' } },
          },
        ],
      },
    );
    expect(summary(changes)).toEqual([
      { id: 'gone', action: 'delete', mark: 'delete', conflict: undefined, writes: ['deleteRule', 'deleteMark'] },
      { id: 'mark-only', action: 'delete', mark: 'delete', conflict: undefined, writes: ['deleteMark'] },
    ]);
  });

  it('prunes only what the lock and an exact mark prove: not a hand-written mark, not an id the lock never had', () => {
    const changes = plan(
      {},
      {
        alertRules: [liveRule('by-hand'), liveRule('wrong-content'), liveRule('unlocked'), liveRule('gone')],
        metadata: [
          // our repository's name, but under a name deploy never writes
          { name: 'custom-name', properties: markProps('by-hand') },
          // the right name, but contentId names another rule
          liveMark('wrong-content', REPO, { contentId: 'something-else' }),
          // an exact mark, for an id the lock has never recorded (a second copy of the repository, a forgery)
          liveMark('unlocked'),
          liveMark('gone'),
        ],
      },
    );
    expect(summary(changes)).toEqual([
      { id: 'gone', action: 'delete', mark: 'delete', conflict: undefined, writes: ['deleteRule', 'deleteMark'] },
    ]);
    // Without a lock nothing is provably ours: nothing is deleted.
    expect(plan({}, { alertRules: [liveRule('gone')], metadata: [liveMark('gone')] }, ownershipOf(REPO, undefined))).toEqual([]);
  });

  it('--adopt may take over only a rule whose id the lock records', () => {
    const [locked] = plan({ rules: [rule('a', { severity: 'High' })] }, { alertRules: [liveRule('a')] });
    expect(locked!.change.conflict).toMatchObject({ reason: 'unmanaged', adoptable: true });
    const [unlocked] = plan({ rules: [rule('a', { severity: 'High' })] }, { alertRules: [liveRule('a')] }, ownershipOf(REPO, undefined));
    expect(unlocked!.change.conflict).toMatchObject({ reason: 'unmanaged', adoptable: false });
    expect(unlocked!.change.conflict!.message).toBe(
      "alert rule a in workspace ws exists without this repository's ownership mark, and rules/rules.lock.json does not record the id: deploy refuses it, --adopt too",
    );
    // Equal content changes nothing about who may take it over.
    const [identical] = plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')] }, ownershipOf(REPO, undefined));
    expect(identical!.change.conflict).toMatchObject({ reason: 'unmanaged', adoptable: false });
  });

  it("a rule claimed by our mark and another repository's is not deleted", () => {
    const changes = plan(
      {},
      { alertRules: [liveRule('a')], metadata: [liveMark('a'), { name: 'other-mark', properties: markProps('a', 'other-repo') }] },
    );
    expect(changes).toEqual([]);
  });

  it('update lists the changed fields; the body sent is the compiled one, untouched', () => {
    const desired = rule('a', { severity: 'High', query: 'T\n| where x' });
    const [change] = plan({ rules: [desired] }, { alertRules: [liveRule('a', { queryFrequency: 'PT60M' })], metadata: [liveMark('a')] });
    expect(change!.change.changedFields).toEqual([
      { field: 'query', old: 'T', new: 'T\n| where x' },
      { field: 'severity', old: 'Low', new: 'High' },
    ]);
    expect(change!.writes[0]).toEqual({ op: 'putRule', id: 'a', body: desired.body });
  });
});

describe('planWatchlist', () => {
  const w: DesiredWatchlist = {
    alias: 'ipsum',
    file: 'watchlists/ipsum.yaml',
    header: 'IP,Score\n',
    markName: 'watchlist-ipsum',
    body: { properties: { displayName: 'IPsum', provider: 'p', source: 'ipsum.csv', description: 'New text.', itemsSearchKey: 'IP' } },
    mark: { properties: { kind: 'Watchlist', contentId: 'ipsum', parentId: `${scope}/watchlists/ipsum`, source: source() } },
  };
  const mark = { name: 'watchlist-ipsum', properties: w.mark.properties };

  it('absent → created with its header (deploy adds rawContent), then marked', () => {
    const [c] = plan({ watchlists: [w] }, {});
    expect(c!.writes).toEqual([
      { op: 'putWatchlist', alias: 'ipsum', body: w.body, create: { header: 'IP,Score\n' } },
      { op: 'putMark', name: 'watchlist-ipsum', body: w.mark },
    ]);
  });

  it('absent while our mark differs → created, and the mark update shows its fields (as for a rule)', () => {
    const [c] = plan({ watchlists: [w] }, { metadata: [{ ...mark, properties: { ...mark.properties, version: '0.9.0' } }] });
    expect(c!.change).toMatchObject({ action: 'create', mark: 'update', markFields: [{ field: 'version', old: '0.9.0' }] });
    expect(c!.writes.map((write) => write.op)).toEqual(['putWatchlist', 'putMark']);
  });

  it("a description change keeps the sync's provenance block at the end", () => {
    const block = '[sync v1 items=5 month=2026-08 changes=7]';
    const live = {
      alias: 'ipsum',
      properties: { ...w.body.properties, description: `Old text.\n${block}`, watchlistId: 'id', provisioningState: 'Succeeded' },
    };
    const [c] = plan({ watchlists: [w] }, { watchlists: [live], metadata: [mark] });
    expect(c!.change.changedFields).toEqual([{ field: 'description', old: 'Old text.', new: 'New text.' }]);
    expect(c!.writes).toEqual([
      { op: 'putWatchlist', alias: 'ipsum', body: { properties: { ...w.body.properties, description: `New text.\n${block}` } } },
    ]);
  });

  it('a long description shortened to make room for the block is not a perpetual change', () => {
    const long = { ...w, body: { properties: { ...w.body.properties, description: 'x'.repeat(990) } } };
    const block = '[sync v1 items=5 month=2026-08 changes=7]';
    const [first] = plan(
      { watchlists: [long] },
      { watchlists: [{ alias: 'ipsum', properties: { ...w.body.properties, description: `short\n${block}` } }], metadata: [mark] },
    );
    const stored = (first!.writes[0] as { body: { properties: { description: string } } }).body.properties.description;
    expect(stored.length).toBeLessThanOrEqual(1000);
    expect(stored.endsWith(block)).toBe(true);
    const [second] = plan(
      { watchlists: [long] },
      { watchlists: [{ alias: 'ipsum', properties: { ...w.body.properties, description: stored } }], metadata: [mark] },
    );
    expect(second!.change.action).toBe('noop');
  });

  it('only the provenance block differs → noop', () => {
    const live = {
      alias: 'ipsum',
      properties: { ...w.body.properties, description: 'New text.\n[sync v1 items=9 month=2026-09 changes=1]' },
    };
    expect(summary(plan({ watchlists: [w] }, { watchlists: [live], metadata: [mark] }))).toEqual([
      { id: 'ipsum', action: 'noop', mark: 'noop', conflict: undefined, writes: [] },
    ]);
  });
});

describe('planWorkspace: the change itself', () => {
  it('changes are ordered by type, then id, deletes among them', () => {
    const changes = plan({ rules: [rule('c'), rule('a')] }, { metadata: [liveMark('by-hand')] });
    expect(changes.map((c) => `${c.change.type}:${c.change.id}:${c.change.action}`)).toEqual([
      'alertRule:a:create',
      'alertRule:by-hand:delete',
      'alertRule:c:create',
    ]);
  });

  it('a created rule is exactly its id, name, file and the mark to create', () => {
    const [c] = plan({ rules: [rule('a')] }, {});
    expect(c!.change).toStrictEqual({
      type: 'alertRule',
      id: 'a',
      displayName: 'Rule',
      file: 'rules/a.yaml',
      action: 'create',
      mark: 'create',
    });
  });

  it("a delete names the live rule's display name, or none without a live rule", () => {
    const [gone, markOnly] = plan(
      {},
      { alertRules: [liveRule('gone', { displayName: 'Old rule' })], metadata: [liveMark('gone'), liveMark('mark-only')] },
    );
    expect(gone!.change).toStrictEqual({ type: 'alertRule', id: 'gone', action: 'delete', displayName: 'Old rule', mark: 'delete' });
    expect(gone!.writes).toStrictEqual([
      { op: 'deleteRule', id: 'gone' },
      { op: 'deleteMark', name: 'analyticsrule-gone' },
    ]);
    expect(markOnly!.change).toStrictEqual({ type: 'alertRule', id: 'mark-only', action: 'delete', mark: 'delete' });
  });

  it('conflict messages say whose it is and what deploy does, --adopt only for a locked id', () => {
    const [adoptable] = plan({ rules: [rule('a', { severity: 'High' })] }, { alertRules: [liveRule('a')] });
    expect(adoptable!.change.conflict).toStrictEqual({
      reason: 'unmanaged',
      adoptable: true,
      message: "alert rule a in workspace ws exists without this repository's ownership mark: deploy refuses it unless run with --adopt",
    });
    const [identical] = plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')] });
    expect(identical!.change.conflict).toStrictEqual({
      reason: 'unmanaged',
      adoptable: true,
      message:
        "alert rule a in workspace ws exists without this repository's ownership mark and equals this repository's version: deploy does not mark it as ours; review it, then run deploy --adopt to take it over (only the mark is written)",
    });
    const [unlocked] = plan({ rules: [rule('new', { severity: 'High' })] }, { alertRules: [liveRule('new')] });
    expect(unlocked!.change.conflict).toStrictEqual({
      reason: 'unmanaged',
      adoptable: false,
      message:
        "alert rule new in workspace ws exists without this repository's ownership mark, and rules/rules.lock.json does not record the id: deploy refuses it, --adopt too",
    });
    const [unlockedIdentical] = plan({ rules: [rule('new')] }, { alertRules: [liveRule('new')] });
    expect(unlockedIdentical!.change.conflict).toStrictEqual(unlocked!.change.conflict);
    const [elsewhere] = plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')], metadata: [liveMark('a', 'other-repo')] });
    expect(elsewhere!.change.conflict).toStrictEqual({
      reason: 'owned-elsewhere',
      owner: 'other-repo',
      message: "alert rule a in workspace ws is marked as owned by repository 'other-repo': not touched",
    });
  });

  it('an unmarked identical watchlist carries the note (its definition proves it ours); a rule never: it is a conflict', () => {
    const note = "exists without an ownership mark and equals this repository's version: only the mark is written";
    const w: DesiredWatchlist = {
      alias: 'ipsum',
      file: 'watchlists/ipsum.yaml',
      header: 'IP\n',
      markName: 'watchlist-ipsum',
      body: { properties: { displayName: 'IPsum', provider: 'p', source: 'ipsum.csv', description: 'Text.', itemsSearchKey: 'IP' } },
      mark: { properties: { kind: 'Watchlist', contentId: 'ipsum', parentId: `${scope}/watchlists/ipsum`, source: source() } },
    };
    const [watchlist] = plan({ watchlists: [w] }, { watchlists: [{ alias: 'ipsum', properties: w.body.properties }] });
    expect(watchlist!.change).toStrictEqual({
      type: 'watchlist',
      id: 'ipsum',
      action: 'update',
      displayName: 'IPsum',
      file: 'watchlists/ipsum.yaml',
      mark: 'create',
      note,
    });
    expect(watchlist!.writes.map((write) => write.op)).toEqual(['putMark']);
    expect(plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')] })[0]!.change).not.toHaveProperty('note');
    expect(plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')], metadata: [liveMark('a')] })[0]!.change).not.toHaveProperty('note');
    expect(plan({ rules: [rule('a', { severity: 'High' })] }, { alertRules: [liveRule('a')] })[0]!.change).not.toHaveProperty('note');
    expect(
      plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')], metadata: [liveMark('a', 'other-repo')] })[0]!.change,
    ).not.toHaveProperty('note');
    expect(plan({ rules: [rule('a')] }, {})[0]!.change).not.toHaveProperty('note');
  });
});

describe('planWorkspace: finding our mark', () => {
  it('by its exact name (in any case) when its parentId is missing or points elsewhere', () => {
    const { parentId: _dropped, ...noParent } = markProps('a');
    for (const properties of [noParent, { ...markProps('a'), parentId: `${scope}/alertRules/moved` }]) {
      const [c] = plan({ rules: [rule('a')] }, { alertRules: [liveRule('a')], metadata: [{ name: 'AnalyticsRule-A', properties }] });
      expect(c!.change.mark).toBe('update');
      expect(c!.writes).toStrictEqual([{ op: 'putMark', name: 'AnalyticsRule-A', body: { properties: markProps('a') } }]);
    }
  });

  it('with our mark and a hand-written one on the same rule, ours is the exact one', () => {
    const [both] = plan(
      { rules: [rule('a')] },
      {
        alertRules: [liveRule('a')],
        metadata: [{ name: 'legacy-name', properties: markProps('a') }, liveMark('a', REPO, { version: '0.9.0' })],
      },
    );
    expect(both!.change.mark).toBe('update');
    expect(both!.writes).toStrictEqual([{ op: 'putMark', name: 'analyticsrule-a', body: { properties: markProps('a') } }]);
  });

  it("a solution's mark or a mark without a source on the same rule is no claim", () => {
    for (const properties of [
      { kind: 'AnalyticsRule', parentId: `${scope}/alertRules/a`, source: { kind: 'Solution', name: 'X' } },
      { kind: 'AnalyticsRule', parentId: `${scope}/alertRules/a` },
    ]) {
      const [c] = plan(
        { rules: [rule('a')] },
        { alertRules: [liveRule('a')], metadata: [liveMark('a'), { name: 'solution-a', properties }] },
      );
      expect(c!.change).toStrictEqual({
        type: 'alertRule',
        id: 'a',
        displayName: 'Rule',
        file: 'rules/a.yaml',
        action: 'noop',
        mark: 'noop',
      });
    }
  });

  it('only our exact AnalyticsRule marks with a parentId in this workspace lead to a delete', () => {
    const { parentId: _dropped, ...noParent } = markProps('gone');
    const changes = plan(
      {},
      {
        metadata: [
          { name: 'analyticsrule-gone', properties: { ...markProps('gone'), kind: 'Watchlist' } },
          { name: 'analyticsrule-gone', properties: noParent },
          { name: 'analyticsrule-by-hand', properties: { ...markProps('by-hand'), parentId: `${scope}/alertRules/by-hand/extra` } },
        ],
      },
    );
    expect(changes).toStrictEqual([]);
  });
});

describe('planWatchlist: bodies', () => {
  const w: DesiredWatchlist = {
    alias: 'ipsum',
    file: 'watchlists/ipsum.yaml',
    header: 'IP,Score\n',
    markName: 'watchlist-ipsum',
    bootstrapCsv: 'IP,Score\n192.0.2.1,5\n',
    body: { properties: { displayName: 'IPsum', provider: 'p', source: 'ipsum.csv', itemsSearchKey: 'IP' } },
    mark: { properties: { kind: 'Watchlist', contentId: 'ipsum', parentId: `${scope}/watchlists/ipsum`, source: source() } },
  };
  const mark = { name: 'watchlist-ipsum', properties: w.mark.properties };

  it('created with its bootstrap CSV; the change is exact', () => {
    const [c] = plan({ watchlists: [w] }, {});
    expect(c!.change).toStrictEqual({
      type: 'watchlist',
      id: 'ipsum',
      displayName: 'IPsum',
      file: 'watchlists/ipsum.yaml',
      action: 'create',
      mark: 'create',
    });
    expect(c!.writes[0]).toStrictEqual({
      op: 'putWatchlist',
      alias: 'ipsum',
      body: w.body,
      create: { header: 'IP,Score\n', bootstrapCsv: 'IP,Score\n192.0.2.1,5\n' },
    });
  });

  it('no description on either side → noop; a live description that is not text reads as none', () => {
    expect(
      plan({ watchlists: [w] }, { watchlists: [{ alias: 'IPSUM', properties: { ...w.body.properties } }], metadata: [mark] })[0]!.change
        .action,
    ).toBe('noop');
    expect(
      plan(
        { watchlists: [w] },
        { watchlists: [{ alias: 'ipsum', properties: { ...w.body.properties, description: 7 } }], metadata: [mark] },
      )[0]!.change.action,
    ).toBe('noop');
  });

  it('an update is sent with the live etag', () => {
    const live = { alias: 'ipsum', etag: '"e1"', properties: { ...w.body.properties, displayName: 'Old' } };
    const [c] = plan({ watchlists: [w] }, { watchlists: [live], metadata: [mark] });
    expect(c!.writes).toStrictEqual([
      { op: 'putWatchlist', alias: 'ipsum', body: { etag: '"e1"', properties: { ...w.body.properties, description: '' } } },
    ]);
  });
});
