// The repository's files are read where they really are: a path inside the repository whose symbolic
// links lead outside it (rules/x.yaml → /etc/passwd, a bootstrap CSV → ~/.ssh/…) is refused before a
// byte is read, so nothing from outside can be echoed in a diagnostic or uploaded to a workspace.
// A path given outside the repository on purpose (validate /tmp/rule.yaml, --config …) is the caller's.
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

const within = (parent: string, child: string): boolean => child === parent || child.startsWith(`${parent}${sep}`);

/** Whether `file` (absolute, or relative to root) is inside the repository as written. */
export function isUnderRoot(root: string, file: string): boolean {
  const rel = relative(resolve(root), resolve(root, file));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Whether `file`, written inside the repository, leads outside it once symbolic links are resolved
 * (a missing file does not: reading it fails on its own).
 */
export function linksOutside(root: string, file: string): boolean {
  if (!isUnderRoot(root, file)) return false;
  let real: string;
  try {
    real = realpathSync(resolve(root, file));
  } catch {
    return false;
  }
  return !within(realpathSync(root), real);
}
