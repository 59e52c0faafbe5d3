// Reads and writes rules/rules.lock.json (format: core/lock/lock-file.ts).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { LOCK_PATH } from '../core/lock/lock-file.ts';
import { linksOutside } from './confined.ts';

export function readLockText(root: string): string | undefined {
  const file = join(root, LOCK_PATH);
  if (linksOutside(root, file)) {
    throw new ConfigError(
      `${LOCK_PATH} is a symbolic link that leads outside the repository: not read`,
      LOCK_PATH,
      'Restore the lock file from git.',
    );
  }
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Atomic: a half-written lock file would fail every later validate. */
export function writeLockText(root: string, text: string): void {
  const file = join(root, LOCK_PATH);
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}
