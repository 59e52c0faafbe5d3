// Reads a base revision's rules and lock file from git (validate --base <ref>). git runs with
// execFile, never through a shell; paths are relative to the repository root given (git's `./`).
import { execFileSync } from 'node:child_process';
import { UsageError } from '../core/errors.ts';
import type { BaseRevision } from '../core/lock/base.ts';
import { isLockedPath, LOCK_PATH, parseLock } from '../core/lock/lock-file.ts';
import { stripBom } from '../core/text/bom.ts';
import { compareText } from '../core/text/compare.ts';

const MAX_BUFFER = 64 * 1024 * 1024;

function git(root: string, args: string[]): string {
  return execFileSync('git', args, { cwd: root, encoding: 'utf8', maxBuffer: MAX_BUFFER, stdio: ['ignore', 'pipe', 'pipe'] });
}

export function readBaseRevision(root: string, ref: string): BaseRevision {
  if (ref.startsWith('-'))
    throw new UsageError(`--base ${ref}: not a git revision`, 'Pass a branch, tag or commit, e.g. --base origin/main.');
  let commit: string;
  try {
    commit = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
  } catch {
    throw new UsageError(
      `--base ${ref}: no such git revision in ${root}`,
      'Fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0, or git fetch origin <branch>).',
    );
  }
  // -r: rules in sub-folders too; -z: paths exactly as stored (no quoting of unusual characters).
  const names = git(root, ['ls-tree', '-r', '-z', '--name-only', commit, '--', 'rules/'])
    .split('\0')
    .filter(isLockedPath)
    .sort(compareText);
  const [lockText, ...texts] = readBlobs(root, commit, [LOCK_PATH, ...names]);
  const rules = names.map((path, i) => ({ path, text: stripBom(texts[i] ?? '') }));
  const base: BaseRevision = { ref, rules };
  if (lockText !== undefined) {
    // else the base had no lock file
    const parsed = parseLock(lockText, `${ref}:${LOCK_PATH}`);
    if (parsed.lock) base.lock = parsed.lock;
  }
  return base;
}

/** Each `<commit>:./<path>` as text, undefined where that revision has no such file: one `git cat-file --batch`. */
function readBlobs(root: string, commit: string, paths: readonly string[]): (string | undefined)[] {
  const output = execFileSync('git', ['cat-file', '--batch'], {
    cwd: root,
    input: paths.map((path) => `${commit}:./${path}\n`).join(''),
    maxBuffer: MAX_BUFFER,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Per object: `<oid> <type> <size>\n<content>\n`, or `<name> missing\n` with nothing after it.
  const blobs: (string | undefined)[] = [];
  let at = 0;
  for (const path of paths) {
    const end = output.indexOf(0x0a, at);
    if (end < 0) throw new Error(`git cat-file --batch ended before ${path}`);
    const header = /^[0-9a-f]+ (\S+) (\d+)$/.exec(output.toString('utf8', at, end));
    at = end + 1;
    if (!header) {
      blobs.push(undefined);
      continue;
    }
    const size = Number(header[2]);
    blobs.push(header[1] === 'blob' ? output.toString('utf8', at, at + size) : undefined);
    at += size + 1;
  }
  return blobs;
}
