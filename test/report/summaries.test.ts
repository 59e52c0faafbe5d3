// The job summaries the workflows write: deploy and sync-watchlist --format markdown, golden-tested.
import { describe, expect, it } from 'vitest';
import type { DeployReport } from '../../scripts/core/plan/results.ts';
import type { SyncResult, WorkspaceSyncResult } from '../../scripts/core/sync/result.ts';
import { renderDeployMarkdown } from '../../scripts/report/deploy-markdown.ts';
import { renderSyncMarkdown } from '../../scripts/report/sync-markdown.ts';

const synced: WorkspaceSyncResult = {
  name: 'prod-westeurope',
  status: 'synced',
  mode: 'update',
  added: 535,
  removed: 281,
  updated: 38,
  duplicatesRemoved: 0,
  unchanged: 5681,
  writes: 856,
  itemWrites: 854,
  watchlistWrites: 2,
  uploads: 0,
  changes: 854,
  items: 5935,
  failed: 0,
  failures: [],
  durationMs: 1234,
  warnings: [],
  budget: { month: '2026-08', before: 20_000, used: 20_854, limit: 80_000, percent: 80, sentinelLimit: 100_000, source: 'provenance' },
};
const guarded: WorkspaceSyncResult = {
  ...synced,
  name: 'prod-northeurope',
  status: 'guard',
  writes: 0,
  itemWrites: 0,
  watchlistWrites: 0,
  changes: 0,
  guard: [
    {
      guard: 'maxShrinkPercent',
      message: 'This sync would shrink watchlist ipsum by 40% (more than 30%). Nothing was written.',
      hint: 'If the feed really shrank, raise feed.guards.maxShrinkPercent in watchlists/ipsum.yaml for one run.',
    },
  ],
};
const sync: SyncResult = {
  alias: 'ipsum',
  environment: 'prod',
  dryRun: false,
  durationMs: 2000,
  workspaces: [synced, guarded],
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
};

const deploy: DeployReport = {
  environment: 'prod',
  repository: 'sentinel-detections',
  files: 3,
  dryRun: false,
  prune: false,
  diagnostics: [],
  workspaces: [
    {
      name: 'prod-westeurope',
      status: 'ok',
      writes: 2,
      changes: [
        {
          type: 'alertRule',
          id: '0209ac04-d70a-45f2-a58d-d69d06d783d5',
          action: 'update',
          displayName: 'Inbound connection from an IPsum-listed IP',
          file: 'rules/ipsum-inbound-internet-facing.yaml',
          mark: 'update',
          result: 'applied',
          writes: 2,
        },
        {
          type: 'watchlist',
          id: 'ipsum',
          action: 'noop',
          displayName: 'IPsum',
          file: 'watchlists/ipsum.yaml',
          mark: 'noop',
          result: 'unchanged',
          writes: 0,
        },
        {
          type: 'alertRule',
          id: '11111111-2222-4333-8444-555555555555',
          action: 'delete',
          displayName: 'Retired rule',
          mark: 'delete',
          result: 'skipped',
          writes: 0,
        },
      ],
    },
    {
      name: 'prod-northeurope',
      status: 'failed',
      writes: 0,
      changes: [
        {
          type: 'alertRule',
          id: '0209ac04-d70a-45f2-a58d-d69d06d783d5',
          action: 'create',
          displayName: 'Inbound connection from an IPsum-listed IP',
          file: 'rules/ipsum-inbound-internet-facing.yaml',
          mark: 'create',
          result: 'failed',
          writes: 1,
          error: {
            message:
              "PUT alertRule on workspace prod-northeurope failed: HTTP 400 BadRequest: Failed to run the analytics rule query. 'DeviceInfo' does not exist | check",
            hint: 'Connect Microsoft Defender XDR to this workspace first.',
          },
        },
      ],
    },
  ],
};

describe('job summaries (--format markdown)', () => {
  it('deploy: a row per workspace, then what needs attention with file, workspace and the service message', async () => {
    await expect(renderDeployMarkdown(deploy)).toMatchFileSnapshot('../golden/summaries/deploy.md');
  });

  it('deploy: an empty selection says so', () => {
    expect(renderDeployMarkdown({ ...deploy, workspaces: [] })).toBe('### Sentinel deploy · `prod`\n\nNo workspace selected.\n');
  });

  it('sync: the feed, counts and budget per workspace, and the guard with its fix', async () => {
    await expect(renderSyncMarkdown(sync)).toMatchFileSnapshot('../golden/summaries/sync.md');
  });

  it('sync: a dry run is labelled as one', () => {
    expect(renderSyncMarkdown({ ...sync, dryRun: true }).split('\n')[0]).toBe(
      '### Watchlist sync · `ipsum` → `prod` · dry run, nothing written',
    );
  });
});
