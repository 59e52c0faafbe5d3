// Temporary folders of the tests: made here, removed after the test file that made them (the setup
// file test/support/cleanup.ts), and checked at the end of the run (global-setup.ts): a test run leaves
// nothing in the temporary directory.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made: string[] = [];

/** A fresh folder `<tmp>/<prefix>-XXXXXX`, removed when the current test file ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}

/** Removes every folder tempDir made in this process so far. */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Caches that programs keep in the temporary directory on purpose (Node's module compile cache). */
const CACHES = new Set(['node-compile-cache']);

/** What a test run left in `dir`, its own temporary directory: every entry but the known caches. */
export function leftovers(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !CACHES.has(name))
    .sort();
}
