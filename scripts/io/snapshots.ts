// Workspace schema snapshots on disk: schemas/workspaces/<workspace label>.json (format:
// core/schema/snapshot.ts). Read all at once, sorted; written atomically, one file per workspace. Like
// every repository file, a snapshot whose links lead outside the repository is refused unread, and
// never written through.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { parseSnapshot, SNAPSHOT_DIR, type WorkspaceSnapshot } from '../core/schema/snapshot.ts';
import { compareText } from '../core/text/compare.ts';
import { linksOutside } from './confined.ts';

export interface SnapshotFile {
  /** Repository path, e.g. schemas/workspaces/prod-weu.json. */
  path: string;
  /** The workspace label the file name says. */
  name: string;
  snapshot: WorkspaceSnapshot;
  text: string;
}

export function snapshotPath(name: string): string {
  return `${SNAPSHOT_DIR}/${name}.json`;
}

/** Every snapshot of the repository, sorted by file name; a malformed one throws ConfigError. */
export function readSnapshots(root: string): SnapshotFile[] {
  const dir = join(root, SNAPSHOT_DIR);
  if (!existsSync(dir)) return [];
  confined(root, SNAPSHOT_DIR);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort(compareText)
    .map((entry) => {
      const path = `${SNAPSHOT_DIR}/${entry}`;
      confined(root, path);
      const text = readFileSync(join(root, path), 'utf8');
      return { path, name: entry.replace(/\.json$/, ''), snapshot: parseSnapshot(path, text), text };
    });
}

export function readSnapshotText(root: string, name: string): string | undefined {
  confined(root, snapshotPath(name));
  const file = join(root, snapshotPath(name));
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** Atomic: a half-written snapshot would fail every later validate. */
export function writeSnapshotText(root: string, name: string, text: string): void {
  confined(root, SNAPSHOT_DIR);
  confined(root, snapshotPath(name));
  const file = join(root, snapshotPath(name));
  mkdirSync(join(root, SNAPSHOT_DIR), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, text);
  renameSync(temp, file);
}

function confined(root: string, path: string): void {
  if (linksOutside(root, join(root, path))) {
    throw new ConfigError(
      `${path} is a symbolic link that leads outside the repository: not read or written`,
      path,
      'Workspace snapshots must live in the repository: remove the link, then pull again.',
    );
  }
}
