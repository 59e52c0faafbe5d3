// Reads the repository's content from disk: every .yaml/.yml file at any depth under rules/ and
// watchlists/, workspaces.yaml, the table schemas, the workspace schema snapshots, and the bootstrap
// CSVs that watchlist definitions name. Discovery is recursive and sorted by path, so that every
// command (validate, build, lock, plan, deploy, import) sees the same files in one order. A file inside
// the repository whose symbolic links lead outside it is not read (io/confined.ts): it becomes a
// `file.link-outside` diagnostic.
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { RAW_CONTENT_MAX_BYTES } from '../core/csv/csv.ts';
import type { Diagnostic } from '../core/diagnostics.ts';
import { ConfigError, UsageError } from '../core/errors.ts';
import { stripBom } from '../core/text/bom.ts';
import { bootstrapPathProblem } from '../core/validate/bootstrap-csv.ts';
import { MAX_CONTENT_FILE_BYTES } from '../core/validate/limits.ts';
import type { BootstrapFile, ContentSet, SourceFile } from '../core/validate/validate.ts';
import { parseYaml } from '../core/yaml/document.ts';
import { isUnderRoot, linksOutside } from './confined.ts';
import { readSnapshots } from './snapshots.ts';
import { loadTableSchemas } from './tables.ts';
import { loadCatalog } from './catalog.ts';
import { loadFunctionSchemas } from './functions.ts';
import { compareText } from '../core/text/compare.ts';

export interface ContentLocation {
  /** Repository root: rules/, watchlists/, schemas/tables/, schemas/catalog/ and the default workspaces.yaml live here. */
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
  const problems: Diagnostic[] = [];
  const rules = yamlFiles(root, 'rules', problems);
  const watchlists = yamlFiles(root, 'watchlists', problems);
  const workspaces = existsSync(configPath) ? readSource(root, configPath) : undefined;
  const known = new Set([
    ...[...rules, ...watchlists, ...(workspaces ? [workspaces] : [])].map((f) => f.path),
    ...problems.map((d) => d.file),
  ]);
  const extra = extraFiles
    .map((file) => resolve(root, file))
    .filter((file) => !known.has(toRepoPath(root, file)) && !refused(root, file, problems))
    .map((file) => readSource(root, file));
  return {
    rules: [...rules, ...extra].sort(byPath),
    watchlists,
    workspaces,
    tables: loadTableSchemas(join(root, 'schemas', 'tables'), root),
    bootstrap: bootstrapFiles(root, watchlists),
    problems,
    snapshots: readSnapshots(root).map(({ path, name, snapshot }) => ({ path, name, snapshot })),
    functions: loadFunctionSchemas(join(root, 'schemas', 'functions'), root),
    providers: [loadCatalog(root)],
  };
}

const YAML_FILE = /\.ya?ml$/i;

/** YAML files at any depth under `root/dir`, sorted by repository path; links leading outside go to `problems`. */
function yamlFiles(root: string, dir: string, problems: Diagnostic[]): SourceFile[] {
  return findYamlFiles(join(root, dir), root)
    .filter((file) => !refused(root, file, problems))
    .map((file) => readSource(root, file));
}

/** Whether `file` leads outside the repository (then a diagnostic says so and it is not read). */
function refused(root: string, file: string, problems: Diagnostic[]): boolean {
  if (!linksOutside(root, file)) return false;
  const path = toRepoPath(root, file);
  problems.push({
    code: 'file.link-outside',
    severity: 'error',
    file: path,
    line: 1,
    column: 1,
    message: `${path} is a symbolic link that leads outside the repository: not read`,
    hint: 'Content must live in the repository: copy the file in, or remove the link.',
  });
  return true;
}

/**
 * The bootstrap CSV each watchlist definition names (`bootstrapCsv:`, repository-relative), read when
 * the path stays inside the repository and the file fits one upload; otherwise why not.
 */
function bootstrapFiles(root: string, watchlists: readonly SourceFile[]): Map<string, BootstrapFile> {
  const out = new Map<string, BootstrapFile>();
  for (const source of watchlists) {
    const parsed = parseYaml(source.path, source.text);
    const value = parsed.ok ? (parsed.document.value as { bootstrapCsv?: unknown } | null)?.bootstrapCsv : undefined;
    if (typeof value === 'string' && !out.has(value)) out.set(value, readBootstrapCsv(root, value));
  }
  return out;
}

/** One bootstrap CSV, confined to the repository and to the service's upload limit. */
export function readBootstrapCsv(root: string, path: string): BootstrapFile {
  if (bootstrapPathProblem(path) !== undefined) return { problem: 'not read: the path is not a repository-relative path' };
  const file = resolve(root, path);
  if (!isUnderRoot(root, file) || linksOutside(root, file))
    return { problem: 'it leads outside the repository (a symbolic link): not read' };
  if (!existsSync(file)) return { problem: 'no such file' };
  if (lstatSync(file).isDirectory() || !statSync(file).isFile()) return { problem: 'not a file' };
  const size = statSync(file).size;
  if (size > RAW_CONTENT_MAX_BYTES)
    return { problem: `${size} bytes: one upload is at most ${RAW_CONTENT_MAX_BYTES} bytes (3.8 MB)`, tooLarge: true };
  return { text: stripBom(readFileSync(file, 'utf8')) };
}

/**
 * Every .yaml/.yml file at any depth under `dir` (absent → none), sorted by path with `/` separators.
 * Nothing is skipped (hidden folders included): a file that is there is checked. A symlinked folder
 * is followed, each real folder once (no loops); a dangling link named *.yaml is returned, so that
 * reading it fails loudly. With `root`, a folder inside it whose links lead outside is not walked: it
 * is returned itself, for the caller to refuse (io/confined.ts).
 */
export function findYamlFiles(dir: string, root?: string): string[] {
  const out: string[] = [];
  const visited = new Set<string>();
  const walk = (folder: string): void => {
    if (root !== undefined && linksOutside(root, folder)) {
      out.push(folder);
      return;
    }
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
    if (statSync(full).isDirectory()) out.push(...findYamlFiles(full, root));
    else out.push(full);
  }
  return sortPaths([...new Set(out)]);
}

/** Sorted by the path with `/` separators (code-unit order): one order on every platform. */
function sortPaths(paths: string[]): string[] {
  const key = (p: string): string => p.split(sep).join('/');
  return paths.sort((a, b) => compareText(key(a), key(b)));
}

/** `maxBytes`: a larger file is not read (tooLargeBytes is set instead of the text). */
export function readSource(root: string, file: string, maxBytes: number = MAX_CONTENT_FILE_BYTES): SourceFile {
  if (linksOutside(root, file)) {
    throw new ConfigError(
      `${toRepoPath(root, file)} is a symbolic link that leads outside the repository: not read`,
      file,
      'Content must live in the repository: copy the file in, or remove the link.',
    );
  }
  const path = toRepoPath(root, file);
  // How the file's folder reaches the repository root: hints then name paths that resolve from the file.
  const rootFromFile = relative(dirname(resolve(file)), resolve(root))
    .split(sep)
    .join('/');
  let text: string;
  try {
    // Content files are kilobytes: one beyond the limit is not read (validate reports file.too-large).
    const info = statSync(file);
    if (!info.isFile())
      throw new ConfigError(
        `${path} is not a regular file: not read`,
        file,
        'Content files are plain YAML files: remove the device, pipe or folder of that name.',
      );
    if (info.size > maxBytes) return { path, text: '', tooLargeBytes: info.size, rootFromFile };
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, file);
  }
  return { path, text: stripBom(text), rootFromFile };
}

export function pathExists(file: string): boolean {
  return existsSync(file);
}

/** Writes a content file (e.g. an imported rule), creating its folder; never through a symbolic link. */
export function writeSource(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  if (isLink(file)) {
    throw new ConfigError(`${file} is a symbolic link: not written through`, file, 'Remove the link, then run the command again.');
  }
  writeFileSync(file, text);
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

export function toRepoPath(root: string, file: string): string {
  const rel = relative(root, file);
  return (rel.startsWith('..') ? file : rel).split(sep).join('/');
}

function byPath(a: SourceFile, b: SourceFile): number {
  return compareText(a.path, b.path);
}
