// The validation pipeline: layers cheapest first, every problem in every file collected in one run.
//   (a) YAML syntax → (b) JSON Schema → (c) cross-field → (d) cross-file → (e–g) KQL, columns, parameters
// A file that fails (a) has no value to check further; every other layer runs on every file, reading
// the raw values defensively, so a typo in one key does not hide a KQL error in the same file.
import { capPerFile, tooLargeDiagnostic } from './limits.ts';
import { sortDiagnostics, type Diagnostic, appendAll } from '../diagnostics.ts';
import { createKqlEnvironment, type KqlEnvironment, type KqlEnvironmentInput } from '../kql/symbols.ts';
import type { TableSchema, WatchlistSchema } from '../kql/types.ts';
import type { FunctionSchema, SchemaProvider } from '../catalog/provider.ts';
import type { LetBinding } from '../model/parameters.ts';
import { parseYaml, type YamlDocument } from '../yaml/document.ts';
import { collectionDiagnostics, type AcceptedOverrides, type RuleDocument } from './collection.ts';
import { asArray, asRecord, asString } from '../guards.ts';
import { kqlDiagnostics, type KqlLayerResult } from './kql.ts';
import { ruleFieldDiagnostics } from './rule-fields.ts';
import { schemaDiagnostics, type ContentKind } from './schema.ts';
import { shapeDiagnostic } from './shape.ts';
import { normalizeRuleSpellings } from './spellings.ts';
import type { LoadedSnapshot } from './workspace-schema.ts';
import { snapshotProvider } from '../schema/snapshot.ts';
import { watchlistFieldDiagnostics } from './watchlist-fields.ts';
import { bootstrapDiagnostics } from './bootstrap-csv.ts';
import { ruleFileNameDiagnostics } from './file-names.ts';

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  text: string;
  /** Set instead of the text when the file is larger than MAX_CONTENT_FILE_BYTES: its size (it was not read). */
  tooLargeBytes?: number;
  /**
   * The repository root relative to the file's folder (`..`, `../..`, or a longer way for a file outside
   * the repository such as a --config in /tmp), so that hints name paths that resolve from the file.
   */
  rootFromFile?: string;
}

/** A bootstrap CSV as io/content.ts read it: its text, or why it was not read. */
export type BootstrapFile = { text: string } | { problem: string; tooLarge?: boolean };

export interface ContentSet {
  rules: SourceFile[];
  watchlists: SourceFile[];
  workspaces?: SourceFile;
  /** The repository's own tables (schemas/tables/): they win over the providers. */
  tables: TableSchema[];
  /** Bootstrap CSVs by the path a definition's `bootstrapCsv:` names (absent: none was read). */
  bootstrap?: ReadonlyMap<string, BootstrapFile>;
  /** Files refused before reading (a link leading outside the repository). */
  problems?: Diagnostic[];
  /** Workspace schema snapshots (schemas/workspaces/): each workspace's rules are checked against its own. */
  snapshots?: LoadedSnapshot[];
  /** The repository's own functions (schemas/functions/). */
  functions?: FunctionSchema[];
  /** Further schema knowledge asked by name that every workspace has: the generated catalog. (The
   *  snapshots' provider is put over it here; each workspace's own check uses its functions only.) */
  providers?: SchemaProvider[];
}

export interface ParsedContent {
  rules: RuleDocument[];
  /** Top-level let bindings of each rule's query, by slug (from the KQL layer). */
  lets: Map<string, LetBinding[]>;
  /** The Kusto.Language environment the queries were analyzed in (tables, typed watchlists); reuse it.
   *  Absent without rules: loading Kusto.Language costs about a second. When the KQL layer ran in
   *  worker threads, it is created here on first use, from the same description. */
  readonly kql?: KqlEnvironment;
  watchlists: YamlDocument[];
  workspaces?: YamlDocument;
}

export interface ValidationResult {
  files: number;
  diagnostics: Diagnostic[];
  parsed: ParsedContent;
}

/** Per-file layers, in order. Adding a check family = one function here. */
const FILE_LAYERS: Record<ContentKind, ((doc: YamlDocument) => Diagnostic[])[]> = {
  rule: [(doc) => schemaDiagnostics('rule', doc), ruleFieldDiagnostics],
  watchlist: [(doc) => schemaDiagnostics('watchlist', doc), watchlistFieldDiagnostics],
  workspaces: [(doc) => schemaDiagnostics('workspaces', doc)],
};

export interface CheckedFile {
  /** Undefined when the file is not YAML that parses (the diagnostics say why). */
  document?: YamlDocument;
  diagnostics: Diagnostic[];
}

/** Layers (a)–(c) for one file: parse, then every per-file check of its kind. */
export function checkFile(file: SourceFile, kind: ContentKind): CheckedFile {
  if (file.tooLargeBytes !== undefined) return { diagnostics: [tooLargeDiagnostic(file.path, file.tooLargeBytes)] };
  const result = parseYaml(file.path, file.text);
  if (!result.ok) return { diagnostics: result.diagnostics };
  // Not a file of this kind at all: one diagnostic, and no document, so no later layer reads it as one.
  const shape = shapeDiagnostic(kind, result.document);
  if (shape) return { diagnostics: [shape] };
  const diagnostics = schemaComment(file, kind);
  if (kind === 'rule') appendAll(diagnostics, normalizeRuleSpellings(result.document));
  for (const layer of FILE_LAYERS[kind]) appendAll(diagnostics, layer(result.document));
  return { document: result.document, diagnostics };
}

export interface ValidateOptions {
  /** Analyze every workspace override again, even when kql/overrides.ts proves the outcome unchanged. */
  fullOverrideAnalysis?: boolean;
}

/** Layers (a)–(d), and what the KQL layer needs to run after them (here or in a worker thread). */
export interface FileStage {
  files: number;
  diagnostics: Diagnostic[];
  rules: RuleDocument[];
  watchlists: YamlDocument[];
  workspaces?: YamlDocument;
  /** From the collection layer: per rule, the workspaces' accepted parameter overrides. */
  overrides: Map<RuleDocument, AcceptedOverrides[]>;
  /** What the Kusto.Language environment is built from (a worker builds the same one from its description). */
  environment: KqlEnvironmentInput;
}

export function validateContent(content: ContentSet, options: ValidateOptions = {}): ValidationResult {
  return completeInThread(checkFiles(content), options);
}

/** The KQL layer in this thread, after layers (a)–(d). */
export function completeInThread(stage: FileStage, options: ValidateOptions = {}): ValidationResult {
  if (stage.rules.length === 0) return completeValidation(stage);
  const env = createKqlEnvironment(stage.environment);
  const kql = kqlDiagnostics({
    rules: stage.rules,
    env,
    workspaces: stage.workspaces,
    overrides: stage.overrides,
    fullOverrideAnalysis: options.fullOverrideAnalysis,
  });
  return completeValidation(stage, kql, env);
}

/** Layers (a)–(d) over every file. */
export function checkFiles(content: ContentSet): FileStage {
  const diagnostics: Diagnostic[] = [];
  const parse = (file: SourceFile, kind: ContentKind): YamlDocument | undefined => {
    const checked = checkFile(file, kind);
    for (const d of checked.diagnostics) diagnostics.push(d); // never spread: a file may bring thousands
    return checked.document;
  };

  const rules: RuleDocument[] = [];
  // Rule files that exist but are not rules here (unparsable, too large, refused): their overrides are not unknown.
  const unreadable = new Set(
    (content.problems ?? [])
      .map((d) => d.file)
      .filter((f) => f.startsWith('rules/'))
      .map(slugOf),
  );
  for (const file of content.rules) {
    appendAll(diagnostics, ruleFileNameDiagnostics(file.path));
    const doc = parse(file, 'rule');
    if (doc) rules.push({ slug: slugOf(file.path), doc });
    else unreadable.add(slugOf(file.path));
  }
  const watchlists = content.watchlists.map((f) => parse(f, 'watchlist')).filter((d): d is YamlDocument => !!d);
  appendAll(diagnostics, content.problems ?? []);
  for (const doc of watchlists) appendAll(diagnostics, bootstrapDiagnostics(doc, content.bootstrap ?? new Map()));
  const workspaces = content.workspaces ? parse(content.workspaces, 'workspaces') : undefined;

  const collection = collectionDiagnostics(rules, watchlists, workspaces, unreadable);
  appendAll(diagnostics, collection.diagnostics);
  const environment: KqlEnvironmentInput = {
    tables: content.tables,
    functions: content.functions,
    // What the workspaces' snapshots know (custom _CL tables, their functions) over the catalog.
    providers: [...(content.snapshots?.length ? [snapshotProvider(content.snapshots)] : []), ...(content.providers ?? [])],
    watchlists: watchlists.map(watchlistSchema).filter((w): w is WatchlistSchema => !!w),
  };
  // A team that follows Microsoft's ASCII-only content policy makes non-ASCII comments and strings errors.
  if (asRecord(asRecord(workspaces?.value)?.validation)?.asciiQueries === 'strict') {
    for (const d of diagnostics) if (d.code === 'rule.query-ascii') d.severity = 'error';
  }
  const files = content.rules.length + content.watchlists.length + (content.workspaces ? 1 : 0);
  return { files, diagnostics, rules, watchlists, workspaces, overrides: collection.overrides, environment };
}

/**
 * The result of layers (a)–(d) and the KQL layer's (undefined without rules). `env` is the environment
 * the KQL layer used; when it ran elsewhere (worker threads), parsed.kql builds one on first use.
 */
export function completeValidation(stage: FileStage, kql?: KqlLayerResult, env?: KqlEnvironment): ValidationResult {
  const { rules, watchlists, workspaces } = stage;
  const parsed: ParsedContent = {
    rules,
    lets: kql?.lets ?? new Map<string, LetBinding[]>(),
    watchlists,
    ...(workspaces ? { workspaces } : {}),
  };
  if (rules.length > 0) {
    let created = env;
    Object.defineProperty(parsed, 'kql', { enumerable: true, get: () => (created ??= createKqlEnvironment(stage.environment)) });
  }
  // One file's diagnostics are capped: thousands of them say one thing (and once overflowed the stack).
  return { files: stage.files, diagnostics: capPerFile(sortDiagnostics(stage.diagnostics.concat(kql?.diagnostics ?? []))), parsed };
}

// Editors (yaml-language-server) validate while typing when the first line names the schema.
function schemaComment(file: SourceFile, kind: ContentKind): Diagnostic[] {
  const first = file.text.split('\n', 1)[0]!.trim();
  const schema = `schemas/${kind}.schema.json`;
  if (new RegExp(`^# yaml-language-server: \\$schema=\\S*${schema.replace(/\./g, '\\.')}$`).test(first)) return [];
  const expected = `# yaml-language-server: $schema=${schemaPrefix(file)}${schema}`;
  return [
    {
      code: 'yaml.schema-comment',
      severity: 'warning',
      file: file.path,
      line: 1,
      column: 1,
      message: 'the file does not start with the yaml-language-server schema line',
      hint: `Make the first line: ${expected}`,
    },
  ];
}

/** `./`, `../`, `../../`: the repository root as seen from the file, whether or not the file is inside it. */
function schemaPrefix(file: SourceFile): string {
  if (file.rootFromFile !== undefined) return file.rootFromFile === '' ? './' : `${file.rootFromFile.replace(/\/+$/, '')}/`; // '.' becomes './' too
  const depth = file.path.split('/').length - 1;
  return depth ? '../'.repeat(depth) : './';
}

/**
 * The key workspaces.yaml overrides a rule by: its path under rules/ without the extension
 * (`rules/network/ipsum.yaml` → `network/ipsum`; top-level files keep their bare name), so two
 * `ipsum.yaml` in different folders never share one. A rule file outside rules/ (validate of a file
 * under review) keeps its whole path. collection.duplicate-slug reports `x.yaml` beside `x.yml` and
 * paths that differ only in case (one file on Windows and macOS checkouts).
 */
export function slugOf(path: string): string {
  return path.replace(/^rules\//, '').replace(/\.ya?ml$/i, '');
}

/** The columns `_GetWatchlist('<alias>')` returns, as the KQL layer types them, from a watchlist document. */
export function watchlistSchema(doc: YamlDocument): WatchlistSchema | undefined {
  const value = asRecord(doc.value) ?? {};
  const alias = asString(value.alias);
  if (!alias) return undefined;
  const columns = asArray(value.columns)
    .map((c) => asRecord(c))
    .filter((c): c is Record<string, unknown> => typeof c?.name === 'string' && typeof c.type === 'string')
    .map((c) => ({ name: c.name as string, type: c.type as WatchlistSchema['columns'][number]['type'] }));
  return { alias, columns };
}
