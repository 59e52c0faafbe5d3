// Reads a base revision's rules and lock file from git (validate --base <ref>). git runs with
// execFile, never through a shell; paths are relative to the repository root given (git's `./`).
import { execFileSync } from 'node:child_process';
import { UsageError } from '../core/errors.ts';
import type { BaseRevision } from '../core/lock/base.ts';
import { LOCK_PATH, parseLock } from '../core/lock/lock-file.ts';
import { stripBom } from '../core/text/bom.ts';

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function readBaseRevision(root: string, ref: string): BaseRevision {
  if (ref.startsWith('-')) throw new UsageError(`--base ${ref}: not a git revision`, 'Pass a branch, tag or commit, e.g. --base origin/main.');
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch {
    throw new UsageError(`--base ${ref}: no such git revision in ${root}`,
      'Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0, or git fetch origin <branch>).');
  }
  const names = git(root, ['ls-tree', '--name-only', commit, '--', 'rules/'])
    .split('\n')
    .filter((name) => /^rules\/[^/]+\.ya?ml$/i.test(name))
    .sort();
  const rules = names.map((path) => ({ path, text: stripBom(git(root, ['show', `${commit}:./${path}`])) }));
  const base: BaseRevision = { ref, rules };
  let lockText: string | undefined;
  try {
    lockText = git(root, ['show', `${commit}:./${LOCK_PATH}`]);
  } catch {
    lockText = undefined; // the base had no lock file
  }
  if (lockText !== undefined) {
    const parsed = parseLock(lockText, `${ref}:${LOCK_PATH}`);
    if (parsed.lock) base.lock = parsed.lock;
  }
  return base;
}
