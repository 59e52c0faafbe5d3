// Reads the repository's content from disk: every .yaml/.yml file at any depth under rules/ and
// watchlists/, workspaces.yaml, the table schemas and the workspace schema snapshots. Discovery is recursive and sorted by path, so
// that every command (validate, build, lock, plan, deploy, import) sees the same files in one order.
import { existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.ts';
import { stripBom } from '../core/text/bom.ts';
import type { ContentSet, SourceFile } from '../core/validate/validate.ts';
import { mentionedTables, snapshotTables } from '../core/schema/snapshot.ts';
import { readSnapshots } from './snapshots.ts';
import { loadTableSchemas } from './tables.ts';
import { compareText } from '../core/text/compare.ts';

export interface ContentLocation {
  /** Repository root: rules/, watchlists/, schemas/tables/ and the default workspaces.yaml live here. */
  root: string;
  /** workspaces.yaml to use (absolute or relative to root); absent file → no workspaces. */
  config?: string;
}

/** The repository's content; `extraFiles` outside its own folders are added as rules (a rule under review). */
export function loadContent(location: ContentLocation, extraFiles: readonly string[] = []): ContentSet {
  const { root } = location;
  const configPath = resolve(root, location.config ?? 'workspaces.yaml');
  if (location.config && !existsSync(configPath)) {
    throw new UsageError(`--config ${location.config}: no such file`, 'Pass the path of a workspaces.yaml file.');
  }
  const rules = yamlFiles(root, 'rules');
  const watchlists = yamlFiles(root, 'watchlists');
  const workspaces = existsSync(configPath) ? readSource(root, configPath) : undefined;
  const known = new Set([...rules, ...watchlists, ...(workspaces ? [workspaces] : [])].map((f) => f.path));
  const extra = extraFiles.filter((file) => !known.has(toRepoPath(root, resolve(root, file)))).map((file) => readSource(root, resolve(root, file)));
  const tables = loadTableSchemas(join(root, 'schemas', 'tables'));
  const snapshots = readSnapshots(root);
  // Tables only the workspaces know (custom _CL tables) count too; the repository's own files win.
  const mentioned = mentionedTables([...rules, ...extra].map((f) => f.text));
  const pulled = snapshotTables(snapshots.map((s) => s.snapshot), new Set(tables.map((t) => t.name))).filter((t) => mentioned(t.name));
  return {
    rules: [...rules, ...extra].sort(byPath),
    watchlists,
    workspaces,
    tables: [...tables, ...pulled],
    snapshots: snapshots.map(({ path, name, snapshot }) => ({ path, name, snapshot })),
  };
}

const YAML_FILE = /\.ya?ml$/i;

/** YAML files at any depth under `root/dir`, sorted by repository path. */
function yamlFiles(root: string, dir: string): SourceFile[] {
  return findYamlFiles(join(root, dir)).map((file) => readSource(root, file));
}

/**
 * Every .yaml/.yml file at any depth under `dir` (absent → none), sorted by path with `/` separators.
 * Nothing is skipped (hidden folders included): a file that is there is checked. A symlinked folder
 * is followed, each real folder once (no loops); a dangling link named *.yaml is returned, so that
 * reading it fails loudly.
 */
export function findYamlFiles(dir: string): string[] {
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = (folder: string): void => {
    const real = realpathSync(folder);
    if (visited.has(real)) return;
    visited.add(real);
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory() || (entry.isSymbolicLink() && isDirectory(full))) walk(full);
      else if (YAML_FILE.test(entry.name)) out.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return sortPaths(out);
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a dangling link
  }
}

/** Expand command-line paths (files, or folders searched at any depth) into YAML files, sorted. */
export function expandPaths(root: string, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const full = resolve(root, path);
    if (!existsSync(full)) throw new UsageError(`${path}: no such file or directory`, 'Pass YAML files or folders that contain them.');
    if (statSync(full).isDirectory()) out.push(...findYamlFiles(full));
    else out.push(full);
  }
  return sortPaths([...new Set(out)]);
}

/** Sorted by the path with `/` separators (code-unit order): one order on every platform. */
function sortPaths(paths: string[]): string[] {
  const key = (p: string): string => p.split(sep).join('/');
  return paths.sort((a, b) => compareText(key(a), key(b)));
}

export function readSource(root: string, file: string): SourceFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
  return { path: toRepoPath(root, file), text: stripBom(text) };
}

export function pathExists(file: string): boolean {
  return existsSync(file);
}

/** Writes a content file (e.g. an imported rule), creating its folder. */
export function writeSource(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export function toRepoPath(root: string, file: string): string {
  const rel = relative(root, file);
  return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}

function byPath(a: SourceFile, b: SourceFile): number {
  return compareText(a.path, b.path);
}
