// Guards stop a workspace before its first write; the monthly tally carries across runs within a
// month, restarts in a new one, and is never silently reset by a missing or garbled line.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeProvenance } from '../../scripts/core/feed/provenance.ts';
import { syncFailed } from '../../scripts/core/sync/result.ts';
import { addresses, feedOf, type Guards, type Harness, RG, startHarness, SUB } from './sync-harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const day1 = addresses(100, (i) => (i % 10) + 1); // 70 listed (count ≥ 4)
/** day 1 with `n` listed addresses dropped to count 1 (removed) and `m` new addresses at 5 (added). */
const changed = (n: number, m = 0): Map<string, number> => {
  const feed = new Map(day1);
  [...feed]
    .filter(([, c]) => c >= 4)
    .slice(0, n)
    .forEach(([ip]) => feed.set(ip, 1));
  for (let i = 0; i < m; i++) feed.set(`11.9.0.${i}`, 5);
  return feed;
};

async function seed(): Promise<void> {
  h.reset();
  h.feed.setBody(feedOf(day1));
  expect((await h.sync()).workspaces[0]!.status).toBe('synced');
  h.emulator.clearRequests();
}

describe('guards stop the run before the first write', () => {
  beforeEach(seed);

  it.each<[keyof Guards, Partial<Guards>, Map<string, number>, RegExp]>([
    ['minItems', { minItems: 75 }, changed(0, 2), /would hold 72 items, fewer than the minimum of 75/],
    ['maxShrinkPercent', { maxShrinkPercent: 30 }, changed(40), /shrink watchlist ipsum by 57\.1% \(70 → 30 items\)/],
    // A feed that swaps every address keeps the net size: only the gross guards see it (issue 10.13).
    [
      'maxRemovePercent',
      { maxRemovePercent: 40 },
      changed(70, 70),
      /would remove 70 of watchlist ipsum's 70 items \(100%, while adding 70\), more than the 40% allowed/,
    ],
    [
      'maxChangePercent',
      { maxChangePercent: 150 },
      changed(0, 106),
      /would change 106 items \(106 adds, 0 removes, 0 score updates\), 151\.4% of watchlist ipsum's 70/,
    ],
    [
      'maxChangesPerRun',
      { maxChangesPerRun: 5 },
      changed(3, 3),
      /needs 6 item changes \(3 adds, 3 removes, 0 score updates\), more than the 5 allowed/,
    ],
    [
      'monthlyBudgetPercent',
      { monthlyBudgetPercent: 0.08 },
      changed(0, 11),
      /needs 11 item changes but only 10 of this month's budget are left: 70 used in 2026-08 of 80/,
    ],
  ])('%s', async (guard, setting, feed, message) => {
    h.writeDefinition({ guards: setting });
    h.feed.setBody(feedOf(feed));
    const result = await h.sync(); // the command with the injected clock (the tally is August's)
    expect(syncFailed(result)).toBe(true); // exit 1
    const ws = result.workspaces[0]!;
    expect(ws.status).toBe('guard');
    expect(ws.guard?.map((v) => v.guard)).toEqual([guard]);
    expect(ws.guard?.[0]?.message).toMatch(message);
    expect(ws.guard?.[0]?.message).toContain(`feed.guards.${guard} in watchlists/ipsum.yaml`);
    expect(ws.guard?.[0]?.message).toContain('Nothing was written.');
    expect(ws.writes).toBe(0);
    expect(h.writes()).toBe(0); // not one item, watchlist or metadata write reached the service
    expect(h.emulator.count({ method: 'GET', type: 'watchlistItems' })).toBe(1);
  });

  it('the text report says what to change', async () => {
    h.writeDefinition({ guards: { maxChangesPerRun: 5 } });
    h.feed.setBody(feedOf(changed(3, 3)));
    const { code, stdout } = await h.cli(['sync-watchlist', 'ipsum', '--env', 'one']);
    expect(code).toBe(1);
    expect(stdout).toContain('solo  guard (update)');
    expect(stdout).toContain(
      '→ Expected on a first sync or after a long pause. Check the plan with --dry-run, then raise feed.guards.maxChangesPerRun in watchlists/ipsum.yaml to at least 6 for one run.',
    );
    expect(h.writes()).toBe(0);
  });

  it('a first sync that would create a too-small watchlist creates nothing', async () => {
    h.reset();
    h.writeDefinition({ guards: { minItems: 71 } });
    h.feed.setBody(feedOf(day1));
    const ws = (await h.sync()).workspaces[0]!;
    expect([ws.status, ws.mode, ws.writes]).toEqual(['guard', 'upload', 0]);
    expect(h.writes()).toBe(0);
    expect(h.emulator.state.workspace(SUB, RG, 'law-solo').watchlists.size).toBe(0);
  });
});

describe('the monthly budget tally', () => {
  beforeEach(seed);

  it('carries across runs within a month and restarts in the next one', async () => {
    expect(h.state()).toMatchObject({ month: '2026-08', changes: 70 });
    h.clock.now = Date.parse('2026-08-23T02:00:00Z');
    h.feed.setBody(feedOf(changed(2, 3)));
    const second = (await h.sync()).workspaces[0]!;
    expect([second.changes, second.budget?.before, second.budget?.used]).toEqual([5, 70, 75]);
    expect(h.state()).toMatchObject({ month: '2026-08', changes: 75, items: 71 });

    h.clock.now = Date.parse('2026-09-01T02:00:00Z');
    h.feed.setBody(feedOf(changed(4, 3)));
    const third = (await h.sync()).workspaces[0]!;
    expect([third.changes, third.budget?.month, third.budget?.before, third.budget?.used]).toEqual([2, '2026-09', 0, 2]);
    expect(h.state()).toMatchObject({ month: '2026-09', changes: 2 });

    // Item changes the service saw across the two runs (item requests, plus rows of bulk uploads) = the tallies recorded.
    const uploadedRows = h.emulator.requests
      .map((r) =>
        r.method === 'PUT' && r.type === 'watchlists'
          ? (r.body as { properties: { rawContent?: string } }).properties.rawContent
          : undefined,
      )
      .reduce((rows, csv) => rows + (csv === undefined ? 0 : csv.trimEnd().split('\n').length - 1), 0);
    expect(uploadedRows).toBe(3);
    expect(
      h.emulator.count({ type: 'watchlistItems', method: 'PUT' }) +
        h.emulator.count({ type: 'watchlistItems', method: 'DELETE' }) +
        uploadedRows,
    ).toBe(5 + 2);
  });

  it('a guard verdict uses the carried tally: the run that would cross the share stops', async () => {
    h.writeDefinition({ guards: { monthlyBudgetPercent: 0.08 } }); // 80 changes a month
    h.clock.now = Date.parse('2026-08-23T02:00:00Z');
    h.feed.setBody(feedOf(changed(0, 10)));
    expect((await h.sync()).workspaces[0]!.status).toBe('synced'); // 70 + 10 = 80: allowed
    h.feed.setBody(feedOf(changed(1, 10)));
    const over = (await h.sync()).workspaces[0]!;
    expect([over.status, over.guard?.[0]?.guard, over.writes]).toEqual(['guard', 'monthlyBudgetPercent', 0]);
    expect(over.hint).toContain('Wait until the tally resets on 2026-09-01 (UTC)');
    h.clock.now = Date.parse('2026-09-01T02:00:00Z');
    expect((await h.sync()).workspaces[0]!.status).toBe('synced'); // a new month
  });

  it.each([
    ['missing', 'Someone rewrote this description by hand.'],
    [
      'garbled',
      `Kept current.\n${encodeProvenance('', { items: 70, month: '2026-08', changes: 70 }).replace('changes=70', 'changes=seventy')}`,
    ],
  ])(
    'a %s line on a non-empty watchlist is not read as 0: the tally is assumed, explained, and recorded again',
    async (_label, description) => {
      h.emulator.state.workspace(SUB, RG, 'law-solo').watchlists.get('ipsum')!.resource.properties.description = description;
      h.clock.now = Date.parse('2026-08-10T02:00:00Z'); // day 10 of 31
      h.feed.setBody(feedOf(changed(1, 1)));
      const ws = (await h.sync()).workspaces[0]!;
      const assumed = Math.ceil((80_000 * 10) / 31);
      expect([ws.status, ws.budget?.source, ws.budget?.before, ws.budget?.used]).toEqual(['synced', 'assumed', assumed, assumed + 2]);
      expect(ws.warnings.join(' ')).toContain("this month's item changes are unknown");
      expect(h.state()).toMatchObject({ month: '2026-08', changes: assumed + 2 });
      expect(h.description()?.startsWith(description.split('\n')[0]!)).toBe(true); // the human text is kept
    },
  );
});
