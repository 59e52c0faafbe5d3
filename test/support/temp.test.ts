// The run's temporary directory stays clean: the helpers that make folders remove them, and the end
// of the run (global-setup.ts) names whatever a test left behind.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHarness } from '../e2e/sync-harness.ts';
import { copyRepoContent } from './build.ts';
import { tempRepo } from './cli.ts';
import { leftovers, removeTempDirs, tempDir } from './temp.ts';

describe('temporary folders', () => {
  it('tempRepo, copyRepoContent and the sync harness make theirs with tempDir: gone after the file (here: at once)', async () => {
    const harness = await startHarness();
    await harness.close();
    const made = [tempRepo({ 'a.txt': 'x' }), copyRepoContent(), harness.root];
    for (const dir of made) expect(existsSync(dir)).toBe(true);
    removeTempDirs();
    for (const dir of made) expect(existsSync(dir), dir).toBe(false);
  });

  it('leftovers names everything but the known caches', () => {
    const dir = tempDir('leftovers');
    mkdirSync(join(dir, 'node-compile-cache'));
    mkdirSync(join(dir, 'sync-e2e-abc123'));
    writeFileSync(join(dir, 'stray.txt'), '');
    expect(leftovers(dir)).toEqual(['stray.txt', 'sync-e2e-abc123']);
  });
});
