import { describe, expect, it } from 'vitest';
import { type ProvenanceState, decodeProvenance } from '../../../scripts/core/feed/provenance.ts';
import { budgetStatus, daysInMonth } from '../../../scripts/core/sync/budget.ts';

const guards = {
  minItems: 0,
  maxShrinkPercent: 100,
  maxRemovePercent: 100,
  maxChangePercent: 1e9,
  maxChangesPerRun: 1e9,
  monthlyBudgetPercent: 80,
};
const at = (iso: string) => new Date(iso);
const state = (month: string, changes: number): ProvenanceState => ({ items: 10, month, changes });
const input = { alias: 'ipsum', guards, liveItems: 100 };

describe('budgetStatus', () => {
  it.each([
    ['a missing watchlist starts at 0', { exists: false }, 0, 'new'],
    ['the same month carries the tally', { exists: true, state: state('2026-08', 1234) }, 1234, 'provenance'],
    ['a new month restarts it', { exists: true, state: state('2026-07', 99_000) }, 0, 'provenance'],
    ['a tally from a later month (clock skew) still counts', { exists: true, state: state('2026-09', 500) }, 500, 'provenance'],
    ['no line and no items: not synced yet', { exists: true, liveItems: 0, hasBlock: decodeProvenance('human text').hasBlock }, 0, 'new'],
  ] as const)('%s', (_label, extra, used, source) => {
    const b = budgetStatus({ ...input, now: at('2026-08-10T00:00:00Z'), ...extra });
    expect([b.month, b.used, b.source, b.allowance, b.limit, b.percent]).toEqual(['2026-08', used, source, 80_000, 100_000, 80]);
  });

  it.each([
    ['missing', 'Kept current by the sync.', 'has no sync line'],
    ['garbled', 'Kept current.\n[sync v1 items=x month=2026-08 changes=oops]', 'has an unreadable sync line'],
  ])('an existing watchlist whose line is %s: assumes the allowance spent evenly so far, never 0', (_label, description, words) => {
    const { state: read, hasBlock } = decodeProvenance(description);
    const b = budgetStatus({ ...input, exists: true, state: read, hasBlock, now: at('2026-08-10T12:00:00Z') });
    expect(b.source).toBe('assumed');
    expect(b.used).toBe(Math.ceil((80_000 * 10) / 31)); // day 10 of 31
    expect(b.note).toBe(
      `The description of watchlist ipsum ${words} ("[sync v1 … month=YYYY-MM changes=N]"), so this month's item changes are unknown. ` +
        'Assumed 25,807 already used (the 80,000 allowance spread evenly up to day 10 of 31) instead of 0; this run records the tally again. ' +
        'If you know the real figure, put the line back at the end of the description (month=2026-08 changes=N), or adjust feed.guards.monthlyBudgetPercent in watchlists/ipsum.yaml.',
    );
    expect(budgetStatus({ ...input, exists: true, state: read, hasBlock, now: at('2026-08-31T23:00:00Z') }).used).toBe(80_000);
  });

  it('a custom monthly limit scales the allowance', () => {
    expect(budgetStatus({ ...input, exists: false, now: at('2026-02-01T00:00:00Z'), monthlyLimit: 1000 }).allowance).toBe(800);
  });

  it('daysInMonth knows leap years', () => {
    expect([
      daysInMonth(at('2028-02-10T00:00:00Z')),
      daysInMonth(at('2026-02-10T00:00:00Z')),
      daysInMonth(at('2026-12-31T00:00:00Z')),
    ]).toEqual([29, 28, 31]);
  });
});
