// Writes build output all or nothing: everything goes to a fresh sibling folder, which then replaces
// the output folder. A failed build leaves the previous out/ untouched, and stale files never linger.
// Replacing a folder deletes it, so the target is checked first: never the repository, a folder that
// contains it or its sources, never a folder the build did not create (it carries BUILD_MARKER), and
// never outside the repository (symbolic links resolved) unless the caller allows it.
import { existsSync, lstatSync, mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { UsageError } from '../core/errors.ts';
import { compareText } from '../core/text/compare.ts';

/** The file that marks a folder as build output: only such a folder is ever replaced. */
export const BUILD_MARKER = '.sentinel-build';
const MARKER_TEXT = 'Created by `npm run build`: the next build replaces this folder as a whole.\n';

/** Top-level entries of the repository that build output must never be, nor be inside. */
const SOURCES = new Set([
  '.git',
  '.github',
  '.ci',
  'docs',
  'node_modules',
  'rules',
  'schemas',
  'scripts',
  'test',
  'watchlists',
  'package.json',
  'package-lock.json',
  'workspaces.yaml',
  'README.md',
]);

export interface OutputTarget {
  /** Repository root. */
  root: string;
  /** The folder as given (absolute or relative to root). */
  out: string;
  /** Let the folder resolve outside the repository (build --allow-outside). */
  allowOutside?: boolean;
}

/** The output folder's real path, or a UsageError saying why build refuses to replace it. */
export function checkOutputFolder(target: OutputTarget): string {
  const root = realpathSync(target.root);
  const out = realPath(resolve(target.root, target.out));
  const refuse = (why: string, hint: string): never => {
    throw new UsageError(`--out ${target.out}: ${why}; build replaces its output folder as a whole, so it refuses`, hint);
  };
  const pick = 'Pick a folder of its own, e.g. --out out (the default).';
  if (out === root || root.startsWith(`${out}${sep}`)) refuse(`${out} is or contains the repository`, pick);
  const inside = out.startsWith(`${root}${sep}`);
  if (inside) {
    const top = relative(root, out).split(sep)[0] ?? '';
    if (SOURCES.has(top)) refuse(`${top} is the repository's own (sources, tests or configuration)`, pick);
  } else if (!target.allowOutside) {
    refuse(
      `${out} is outside the repository ${root}`,
      'Pass --allow-outside to write there on purpose, or pick a folder inside the repository.',
    );
  }
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) refuse(`${out} exists and is not a folder`, pick);
    if (readdirSync(out).length > 0 && !existsSync(join(out, BUILD_MARKER))) {
      refuse(
        `${out} exists and was not created by build (no ${BUILD_MARKER} file in it)`,
        `${pick} If it is an old build's output, delete it once.`,
      );
    }
  }
  return out;
}

/** Writes `files` (out-relative paths) into the checked output folder, replacing what was there. */
export function writeArtifacts(target: OutputTarget, files: ReadonlyMap<string, string>): void {
  const outDir = checkOutputFolder(target);
  const parent = dirname(outDir);
  mkdirSync(parent, { recursive: true });
  const staging = join(parent, `.${basename(outDir)}.staging-${process.pid}`);
  const previous = join(parent, `.${basename(outDir)}.previous-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of [...files].sort(([a], [b]) => compareText(a, b))) {
      if (path.startsWith('/') || path.split('/').includes('..')) throw new Error(`refusing to write outside ${outDir}: ${path}`);
      const file = join(staging, path);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, BUILD_MARKER), MARKER_TEXT);
    if (existsSync(outDir)) renameSync(outDir, previous);
    renameSync(staging, outDir);
    rmSync(previous, { recursive: true, force: true });
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(outDir) && existsSync(previous)) renameSync(previous, outDir);
    throw error;
  }
}

/** `path` with every symbolic link resolved, also when its last parts do not exist yet. */
function realPath(path: string): string {
  const rest: string[] = [];
  let existing = path;
  for (;;) {
    try {
      lstatSync(existing);
      return join(realpathSync(existing), ...rest);
    } catch {
      const up = dirname(existing);
      if (up === existing) return path;
      rest.unshift(basename(existing));
      existing = up;
    }
  }
}
