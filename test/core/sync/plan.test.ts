import { describe, expect, it } from 'vitest';
import { watchlistItemId } from '../../../scripts/core/feed/item-id.ts';
import { compileAllowList } from '../../../scripts/core/feed/desired.ts';
import { decodeProvenance, encodeProvenance } from '../../../scripts/core/feed/provenance.ts';
import type { FeedSettings } from '../../../scripts/core/feed/settings.ts';
import { RAW_CONTENT_MAX_BYTES } from '../../../scripts/core/csv/csv.ts';
import { itemsCsv, type StoredItem } from '../../../scripts/core/sync/items.ts';
import { liveShapeProblem, planSync, type SyncPlanInput } from '../../../scripts/core/sync/plan.ts';
import type { ItemShape } from '../../../scripts/core/sync/settings.ts';

const shape: ItemShape = { searchKey: 'IPAddress', scoreColumn: 'Score', columns: ['IPAddress', 'Score'] };
const header = 'IPAddress,Score\n';
const settings: FeedSettings = {
  format: 'ipsum',
  url: 'https://example.test/ipsum.txt',
  minScore: 4,
  exitScore: 3,
  scoreThresholds: [6],
  allowList: ['10.9.0.0/16'],
  fetch: { timeoutSeconds: 60, retries: 3, maxBytes: 1e7, minIps: 1, deadlineSeconds: 120 },
  dropReserved: true,
  guards: {
    minItems: 1,
    maxShrinkPercent: 50,
    maxRemovePercent: 100,
    maxChangePercent: 1000,
    maxChangesPerRun: 100,
    monthlyBudgetPercent: 80,
  },
};
const now = new Date('2026-08-22T02:00:00Z');
const item = (ip: string, score: number | string, id = watchlistItemId('ipsum', ip)): StoredItem => ({
  id,
  itemsKeyValue: { IPAddress: ip, Score: String(score) },
});
const input = (feed: Record<string, number>, live?: StoredItem[], description = 'human'): SyncPlanInput => ({
  alias: 'ipsum',
  shape,
  header,
  settings,
  allowList: compileAllowList(settings.allowList),
  now,
  feed: { entries: new Map(Object.entries(feed)), sha256: 'a'.repeat(64) },
  live: live === undefined ? undefined : { provenance: decodeProvenance(description), items: live },
});

describe('planSync', () => {
  it('first run: every desired IP is added through one upload; scores floored at minScore; allow-list and low counts left out', () => {
    const p = planSync(input({ '1.1.1.1': 4, '2.2.2.2': 9, '3.3.3.3': 3, '10.9.1.1': 8 }));
    expect(p.mode).toBe('upload');
    expect(p.plan.add.map((a) => [a.ip, a.score, a.id])).toEqual([
      ['1.1.1.1', 4, watchlistItemId('ipsum', '1.1.1.1')],
      ['2.2.2.2', 9, watchlistItemId('ipsum', '2.2.2.2')],
    ]);
    expect(p.uploads).toEqual(['IPAddress,Score\n1.1.1.1,4\n2.2.2.2,9\n']);
    expect([p.liveCount, p.itemsAfter, p.changes, p.budget.source, p.budget.used, p.guard.ok]).toEqual([0, 2, 2, 'new', 0, true]);
    expect(p).not.toHaveProperty('previous');
    expect(p.budget).toStrictEqual({ month: '2026-08', used: 0, allowance: 80_000, limit: 100_000, percent: 80, source: 'new' });
  });

  it("additions beyond one upload's limit are split into uploads that each fit, every one with the header", () => {
    const feed = { '1.1.1.1': 4, '2.2.2.2': 9, '3.3.3.3': 5 };
    const exact = Buffer.byteLength(
      itemsCsv(header, shape, [
        { ip: '1.1.1.1', score: 4 },
        { ip: '2.2.2.2', score: 9 },
        { ip: '3.3.3.3', score: 5 },
      ]),
    );
    expect(planSync({ ...input(feed), rawContentMaxBytes: exact }).uploads).toHaveLength(1);
    const over = planSync({ ...input(feed), rawContentMaxBytes: exact - 1 });
    expect([over.mode, over.uploads]).toEqual(['upload', ['IPAddress,Score\n1.1.1.1,4\n2.2.2.2,9\n', 'IPAddress,Score\n3.3.3.3,5\n']]);
    for (const csv of over.uploads) expect(Buffer.byteLength(csv)).toBeLessThanOrEqual(exact - 1);
    expect(RAW_CONTENT_MAX_BYTES).toBe(3_800_000);
  });

  it('an existing watchlist: its additions are uploads too (bulk update), none without additions', () => {
    const live = [item('1.1.1.1', 4)];
    expect(planSync(input({ '1.1.1.1': 4, '2.2.2.2': 5 }, live)).uploads).toEqual(['IPAddress,Score\n2.2.2.2,5\n']);
    expect(planSync(input({ '1.1.1.1': 4 }, live)).uploads).toEqual([]);
  });

  it('an existing watchlist: hysteresis keeps 4→3, removes at 2, updates only across threshold 6, removes duplicates', () => {
    const live = [
      item('1.1.1.1', 4),
      item('2.2.2.2', 4),
      item('3.3.3.3', 5),
      item('4.4.4.4', 4),
      item(' 4.4.4.4 ', 4, 'dup-id'),
      item('5.5.5.5', 4),
    ];
    const p = planSync(input({ '1.1.1.1': 3, '2.2.2.2': 2, '3.3.3.3': 7, '4.4.4.4': 5, '5.5.5.5': 5, '6.6.6.6': 3, '7.7.7.7': 4 }, live));
    expect(p.mode).toBe('update');
    expect(p.plan.add.map((a) => a.ip)).toEqual(['7.7.7.7']); // 6.6.6.6 at 3 is not listed yet: not added
    expect(p.plan.remove.map((r) => r.key)).toEqual(['2.2.2.2']);
    expect(p.plan.update.map((u) => [u.ip, u.from, u.to])).toEqual([['3.3.3.3', 5, 7]]);
    expect(p.plan.duplicates.map((d) => d.id)).toEqual(['dup-id']);
    expect([p.plan.unchanged, p.liveCount, p.itemsAfter, p.changes]).toEqual([3, 6, 5, 4]);
  });

  it('a kept item with a non-canonical key is rewritten once, keeping its score', () => {
    const p = planSync(input({ '8.8.8.8': 5, '9.9.9.9': 4 }, [item(' 8.8.8.8 ', 4, 'odd'), item('9.9.9.9', 4)]));
    expect(p.plan.update.map((u) => [u.item.id, u.ip, u.from, u.to])).toEqual([['odd', '8.8.8.8', 4, 4]]);
    expect([p.plan.unchanged, p.changes]).toEqual([1, 1]);
  });

  it('reads the month tally from the description and checks the guards against it', () => {
    const description = encodeProvenance('human', { items: 2, month: '2026-08', changes: 79_999, sha256: 'b'.repeat(12) });
    const p = planSync(input({ '1.1.1.1': 4, '7.7.7.7': 4 }, [item('1.1.1.1', 4)], description));
    expect(p.previous).toMatchObject({ month: '2026-08', changes: 79_999 });
    expect([p.budget.used, p.budget.source]).toEqual([79_999, 'provenance']);
    expect(p.guard.ok).toBe(true); // 79,999 + 1 = 80,000 is still within 80 %
    const more = planSync(input({ '1.1.1.1': 4, '7.7.7.7': 4, '8.8.8.8': 4 }, [item('1.1.1.1', 4)], description));
    expect(more.guard.ok ? [] : more.guard.violations.map((v) => v.guard)).toEqual(['monthlyBudgetPercent']);
  });

  it('a missing line on a non-empty watchlist is not read as 0: the budget is assumed and explained', () => {
    const p = planSync(input({ '1.1.1.1': 4 }, [item('1.1.1.1', 4), item('2.2.2.2', 4)], 'someone rewrote the description'));
    expect(p.budget.source).toBe('assumed');
    expect(p.budget.used).toBeGreaterThan(0);
    expect(p.budget.note).toBe(
      'The description of watchlist ipsum has no sync line ("[sync v1 … month=YYYY-MM changes=N]"), so this month\'s item changes are unknown. ' +
        'Assumed 56,775 already used (the 80,000 allowance spread evenly up to day 22 of 31) instead of 0; this run records the tally again. ' +
        'If you know the real figure, put the line back at the end of the description (month=2026-08 changes=N), or adjust feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml.',
    );
  });

  it.each([
    ['minItems', { minItems: 5 }],
    ['maxShrinkPercent', { maxShrinkPercent: 10 }],
    ['maxChangesPerRun', { maxChangesPerRun: 1 }],
    ['monthlyBudgetPercent', { monthlyBudgetPercent: 0.001 }],
  ] as const)('guard %s trips before any write', (guard, change) => {
    const live = [item('1.1.1.1', 4), item('2.2.2.2', 4), item('3.3.3.3', 4)];
    const p = planSync({
      ...input({ '1.1.1.1': 4, '9.9.9.9': 4 }, live),
      settings: { ...settings, guards: { ...settings.guards, maxShrinkPercent: 100, ...change } },
    });
    expect(p.guard.ok ? [] : p.guard.violations.map((v) => v.guard)).toEqual([guard]);
  });
});

describe('liveShapeProblem', () => {
  it.each([
    [{ itemsSearchKey: 'IPAddress', provisioningState: 'Succeeded' }, undefined],
    [{ itemsSearchKey: 'ipaddress' }, undefined],
    [
      { itemsSearchKey: 'IP' },
      "Watchlist ipsum in this workspace has itemsSearchKey 'IP', the definition says 'IPAddress'. The sync never deletes and re-creates a watchlist: change the definition back, or fix the watchlist by hand.",
    ],
    [
      { itemsSearchKey: 'IPAddress', provisioningState: 'InProgress' },
      'Watchlist ipsum is InProgress (not Succeeded): its items cannot be read or written now. Run the sync again once the operation has finished.',
    ],
  ])('%j', (properties, problem) => {
    expect(liveShapeProblem('ipsum', shape, properties)).toBe(problem);
  });
});
