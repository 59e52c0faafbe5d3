import { describe, expect, it } from 'vitest';
import { syncFailed, type SyncResult, type WorkspaceStatus } from '../../../scripts/core/sync/result.ts';

const result = (...statuses: WorkspaceStatus[]) => ({ workspaces: statuses.map((status) => ({ status })) }) as unknown as SyncResult;

describe('syncFailed: exit 1 when a workspace failed or a guard tripped', () => {
  it.each([
    [['synced', 'unchanged', 'planned', 'skipped'], false],
    [['synced', 'failed'], true],
    [['guard', 'synced'], true],
    [[], false],
  ] as [WorkspaceStatus[], boolean][])('%j → %s', (statuses, failed) => {
    expect(syncFailed(result(...statuses))).toBe(failed);
  });
});
