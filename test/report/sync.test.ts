import { describe, expect, it } from 'vitest';
import { type SyncResult, type WorkspaceSyncResult, syncFailed } from '../../scripts/core/sync/result.ts';
import { syncJson } from '../../scripts/report/sync-json.ts';
import { renderSync } from '../../scripts/report/sync-text.ts';
import { progressReporter } from '../../scripts/report/progress.ts';
import { PLAIN } from '../../scripts/report/style.ts';

const base: WorkspaceSyncResult = {
  name: 'dev',
  status: 'synced',
  mode: 'update',
  added: 535,
  removed: 281,
  updated: 38,
  duplicatesRemoved: 0,
  unchanged: 5681,
  writes: 855,
  itemWrites: 854,
  watchlistWrites: 1,
  uploads: 0,
  changes: 854,
  items: 5935,
  failed: 0,
  failures: [],
  durationMs: 1234,
  warnings: [],
  budget: { month: '2026-08', before: 20_000, used: 20_854, limit: 80_000, percent: 80, sentinelLimit: 100_000, source: 'provenance' },
};
const result = (workspaces: WorkspaceSyncResult[], extra: Partial<SyncResult> = {}): SyncResult => ({
  alias: 'ipsum',
  environment: 'prod',
  dryRun: false,
  durationMs: 2000,
  workspaces,
  feed: {
    source: 'https://raw.githubusercontent.com/stamparm/ipsum/master/ipsum.txt',
    fetched: 'body',
    conditional: true,
    lastUpdate: '2026-08-22T01:00:29Z',
    sha256: 'a'.repeat(64),
    bytes: 1_950_000,
    ips: 120_430,
    problems: [],
  },
  ...extra,
});

describe('sync json', () => {
  it('puts the documented contract fields first in each workspace, then the details', () => {
    const json = JSON.parse(syncJson(result([base])));
    expect(Object.keys(json.workspaces[0]).slice(0, 6)).toEqual(['name', 'added', 'removed', 'updated', 'unchanged', 'writes']);
    expect(json.workspaces[0]).toMatchObject({
      name: 'dev',
      added: 535,
      removed: 281,
      updated: 38,
      unchanged: 5681,
      writes: 855,
      durationMs: 1234,
      budget: { month: '2026-08', used: 20_854, limit: 80_000 },
    });
    expect(json.workspaces[0].failures).toBeUndefined(); // empty lists are left out
    expect(json.feed).toMatchObject({ lastUpdate: '2026-08-22T01:00:29Z', sha256: 'a'.repeat(64) });
  });
});

describe('sync text', () => {
  it('a synced workspace: counts, writes, budget and a green summary', () => {
    const text = renderSync(result([base]), 'text', PLAIN);
    expect(text).toContain('sync-watchlist ipsum → prod\n');
    expect(text).toContain(
      'feed https://raw.githubusercontent.com/stamparm/ipsum/master/ipsum.txt: last update 2026-08-22T01:00:29Z · sha256 aaaaaaaaaaaa · 120,430 IPs',
    );
    expect(text).toContain(
      'dev  synced (update)  1.2 s\n  applied: 535 added, 281 removed, 38 updated, 5,681 unchanged → 5,935 items\n  writes: 855 (854 item, 1 watchlist); item changes counted: 854\n  budget 2026-08: 20,854 of 80,000 item changes used (80% of 100,000)',
    );
    expect(text.trimEnd().split('\n').at(-1)).toBe('1 workspace: 1 synced; 855 writes in 2.0 s');
    expect(syncFailed(result([base]))).toBe(false);
  });

  it('a tripped guard shows the message and the hint; failures and warnings are listed; exit 1', () => {
    const guard: WorkspaceSyncResult = {
      ...base,
      name: 'prod',
      status: 'guard',
      writes: 0,
      itemWrites: 0,
      watchlistWrites: 0,
      changes: 0,
      guard: [
        {
          guard: 'maxShrinkPercent',
          message: 'This sync would shrink watchlist ipsum by 40% … Nothing was written.',
          hint: 'Raise feed.guards.maxShrinkPercent in watchlists/ipsum.yaml for one run.',
        },
      ],
    };
    const failed: WorkspaceSyncResult = {
      ...base,
      name: 'gov',
      status: 'failed',
      failed: 7,
      message: '7 of 854 item writes failed; the next run retries them.',
      failures: Array.from({ length: 7 }, (_, i) => ({ kind: 'add' as const, ip: `10.0.0.${i}`, id: `id-${i}`, message: 'HTTP 500' })),
      warnings: ['The description of watchlist ipsum has no sync line …'],
      budget: { ...base.budget!, source: 'assumed' },
    };
    const text = renderSync(result([guard, failed]), 'text', PLAIN);
    expect(text).toContain('prod  guard (update)');
    expect(text).toContain('  planned: 535 added');
    expect(text).toContain(
      '  ✗ This sync would shrink watchlist ipsum by 40% … Nothing was written.\n    → Raise feed.guards.maxShrinkPercent in watchlists/ipsum.yaml for one run.',
    );
    expect(text).toContain('  ✗ 7 of 854 item writes failed; the next run retries them.');
    expect(text).toContain('  failed add 10.0.0.0 (id-0): HTTP 500');
    expect(text).toContain('  … 2 more failed writes (the next run retries them)');
    expect(text).toContain('— assumed, see below');
    expect(text).toContain('  warning The description of watchlist ipsum has no sync line …');
    expect(text).toContain('2 workspaces: 1 guard, 1 failed;');
    expect(syncFailed(result([guard, failed]))).toBe(true);
  });

  it('a dry run lists the first entries of each part of the plan; skipped and unchanged workspaces are short', () => {
    const planned: WorkspaceSyncResult = {
      ...base,
      status: 'planned',
      writes: 0,
      plan: {
        add: Array.from({ length: 12 }, (_, i) => ({ ip: `10.0.0.${i}`, score: 4 })),
        remove: ['10.9.9.9'],
        update: [{ ip: '10.1.1.1', from: 5, to: 7 }],
        duplicates: [],
      },
    };
    const skipped: WorkspaceSyncResult = {
      ...base,
      name: 'off',
      status: 'skipped',
      budget: undefined,
      mode: undefined,
      message: 'watchlists.ipsum.sync is false',
    };
    const text = renderSync(
      result([planned, skipped], { dryRun: true, feed: { ...result([]).feed, fetched: 'not-modified' } }),
      'text',
      PLAIN,
    );
    expect(text).toContain('(dry run: nothing written)');
    expect(text).toContain('304 Not Modified');
    expect(text).toContain('  add (12): 10.0.0.0 (4), 10.0.0.1 (4)');
    expect(text).toContain('… and 2 more (--format json lists all)');
    expect(text).toContain('  update (1): 10.1.1.1 5→7');
    expect(text).toContain('  remove (1): 10.9.9.9');
    expect(text).toContain('off  skipped  1.2 s\n  watchlists.ipsum.sync is false');
  });
});

describe('sync progress', () => {
  it('in CI logs: the feed download and one plain line per finished workspace, labelled sync', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), false, 'sync');
    p({ kind: 'start', workspaces: 2 });
    p({ kind: 'feed', source: 'https://example.test/ipsum.txt', conditional: true });
    p({ kind: 'finished', workspace: 'off', status: 'ok', writes: 0 });
    p({ kind: 'planned', workspace: 'dev', writes: 2 });
    p({ kind: 'wrote', workspace: 'dev' });
    p({ kind: 'finished', workspace: 'dev', status: 'failed', writes: 3 });
    p.close();
    expect(lines).toEqual([
      'sync: conditional download of https://example.test/ipsum.txt\n',
      'sync: off done (0 writes) · 1/2 workspaces\n',
      'sync: dev FAILED (3 writes) · 2/2 workspaces\n',
    ]);
  });

  it('on a TTY: the feed line is printed above the live line, which is cleared at the end', () => {
    const lines: string[] = [];
    const p = progressReporter((t) => lines.push(t), true, 'sync');
    p({ kind: 'start', workspaces: 1 });
    p({ kind: 'feed', source: 'feed.txt', conditional: false });
    p({ kind: 'planned', workspace: 'dev', writes: 4 });
    p({ kind: 'wrote', workspace: 'dev' });
    p.close();
    expect(lines).toContain('\r\u001b[2Ksync: download of feed.txt\n');
    expect(lines.at(-2)).toBe('\r\u001b[2Ksync: 0/1 workspaces done · 1/4 writes');
    expect(lines.at(-1)).toBe('\r\u001b[2K');
  });
});
