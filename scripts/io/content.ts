// Reads the repository's content from disk: rules/*.yaml, watchlists/*.yaml, workspaces.yaml, and the
// table schemas. Discovery is sorted so that every run (and every report) sees files in one order.
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { ConfigError, UsageError } from '../core/errors.ts';
import { stripBom } from '../core/text/bom.ts';
import type { ContentSet, SourceFile } from '../core/validate/validate.ts';
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
  return {
    rules: [...rules, ...extra].sort(byPath),
    watchlists,
    workspaces,
    tables: loadTableSchemas(join(root, 'schemas', 'tables')),
  };
}

/** YAML files directly inside `root/dir`, sorted by name. */
function yamlFiles(root: string, dir: string): SourceFile[] {
  const full = join(root, dir);
  if (!existsSync(full)) return [];
  return readdirSync(full)
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => readSource(root, join(full, name)));
}

/** Expand command-line paths (files or directories) into YAML files, sorted. */
export function expandPaths(root: string, paths: readonly string[]): string[] {
  const out: string[] = [];
  for (const path of paths) {
    const full = resolve(root, path);
    if (!existsSync(full)) throw new UsageError(`${path}: no such file or directory`, 'Pass YAML files or folders that contain them.');
    if (statSync(full).isDirectory()) {
      out.push(...readdirSync(full).filter((n) => /\.ya?ml$/i.test(n)).map((n) => join(full, n)));
    } else {
      out.push(full);
    }
  }
  return [...new Set(out)].sort();
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
