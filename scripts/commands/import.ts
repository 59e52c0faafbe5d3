// `import <files...> [--out <dir>] [--force]`: Sentinel portal ARM exports and Azure-Sentinel YAML
// rules → this repository's rule files (<out>/<slug of the display name>.yaml). Every file is tried;
// what cannot be represented is refused with the reason, and an existing file is never overwritten
// without --force. The rules already in the repository (rules/ at any depth, and --out) are found by
// id: a rule imported again goes back to its own file, wherever it lives, never into a second copy.
//
// `import --from-workspace <name> --env <env> [--group-by table|tactic|none]`: the alert rules live in
// one workspace, the same way, each in a folder of its group (<out>/<group>/<slug>.yaml). Reads only.
import { join, resolve } from 'node:path';
import type { SentinelApi } from '../azure/api.ts';
import { AppError, UsageError } from '../core/errors.ts';
import { asRecord, asString } from '../core/guards.ts';
import { adoptRules, type GroupBy } from '../core/import/adopt.ts';
import { importFile, type ImportedRule } from '../core/import/import.ts';
import { placeRuleText } from '../core/import/write-yaml.ts';
import { analyzeKql } from '../core/kql/analyze.ts';
import { createKqlEnvironment } from '../core/kql/symbols.ts';
import { repositoryName } from '../core/compile/metadata.ts';
import { workspacesOf, type Workspace } from '../core/model/workspaces.ts';
import { parseYaml } from '../core/yaml/document.ts';
import { findYamlFiles, pathExists, readSource, toRepoPath, writeSource } from '../io/content.ts';
import { readWorkspacesConfig } from './shared/config.ts';

/** An ARM export of a few hundred rules is a few MB; nothing an import should read is larger. */
const IMPORT_MAX_BYTES = 64 * 1024 * 1024;

export interface ImportOptions {
  root: string;
  files: string[];
  /** Default rules/. */
  out?: string;
  force?: boolean;
  /** Adopt a live workspace's rules instead of reading files: its label in workspaces.yaml. */
  fromWorkspace?: string;
  /** With fromWorkspace: its environment. */
  env?: string;
  config?: string;
  /** With fromWorkspace: the folder each rule goes to (default table). */
  groupBy?: GroupBy;
}

export interface ImportDeps {
  sentinel(workspace: Workspace): SentinelApi;
}

export interface ImportResult {
  imported: { from: string; file: string; id: string; name: string; notes: string[] }[];
  refused: { from: string; reason: string; hint?: string }[];
  /** Resources left out on purpose (other rule kinds, playbooks, rules owned elsewhere): where and why. */
  skipped: { where: string; reason: string }[];
}

/** The Sentinel API for --from-workspace; the Azure SDK is loaded only when a workspace is read. */
export async function workspaceImportDeps(processEnv: Readonly<Record<string, string | undefined>>): Promise<ImportDeps> {
  const { createSentinelApi } = await import('../azure/sentinel.ts');
  return { sentinel: (workspace) => createSentinelApi(workspace, { env: processEnv }) };
}

export async function importCommand(options: ImportOptions, deps?: ImportDeps): Promise<ImportResult> {
  if (options.fromWorkspace !== undefined) {
    if (options.files.length > 0)
      throw new UsageError('import takes files or --from-workspace, not both', 'Run it once for the files and once for the workspace.');
    if (!deps) throw new Error('import --from-workspace needs the Sentinel API');
    return importFromWorkspace(options, deps);
  }
  if (options.files.length === 0)
    throw new UsageError(
      'import needs at least one file, or --from-workspace <name> --env <env>',
      'npm run cli -- import <export.json|rule.yaml>... [--out rules/]',
    );
  const writer = ruleWriter(options);
  const result: ImportResult = { imported: [], refused: [], skipped: [] };
  for (const input of options.files) {
    const path = resolve(options.root, input);
    const from = toRepoPath(options.root, path);
    if (!pathExists(path)) {
      result.refused.push({ from, reason: `${from}: no such file` });
      continue;
    }
    try {
      const source = readSource(options.root, path, IMPORT_MAX_BYTES);
      if (source.tooLargeBytes !== undefined) {
        result.refused.push({
          from,
          reason: `${from}: ${source.tooLargeBytes.toLocaleString('en-US')} bytes, more than the ${IMPORT_MAX_BYTES.toLocaleString('en-US')} an import reads`,
          hint: 'Export fewer rules per file.',
        });
        continue;
      }
      const { rules, skipped, refused } = importFile(from, source.text);
      result.skipped.push(...skipped.map(({ where, reason }) => ({ where, reason })));
      result.refused.push(...refused.map(({ reason, hint }) => ({ from, reason, ...(hint ? { hint } : {}) })));
      for (const rule of rules) writer.write(result, from, rule, '');
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      result.refused.push({ from, reason: error.message, ...(error.hint ? { hint: error.hint } : {}) });
    }
  }
  return result;
}

async function importFromWorkspace(options: ImportOptions, deps: ImportDeps): Promise<ImportResult> {
  if (!options.env)
    throw new UsageError(
      'import --from-workspace needs --env <environment>',
      'npm run cli -- import --from-workspace <workspace> --env <environment>',
    );
  const config = readWorkspacesConfig(options.root, options.config, 'import');
  const workspace = workspacesOf(config, options.env, options.config).find(
    (w) => w.name.toLowerCase() === options.fromWorkspace!.toLowerCase(),
  );
  if (!workspace) {
    const names = workspacesOf(config, options.env, options.config).map((w) => w.name);
    throw new UsageError(
      `--from-workspace ${options.fromWorkspace}: no such workspace in environment ${options.env}`,
      `Workspaces there: ${names.join(', ') || '(none)'}.`,
    );
  }
  const api = deps.sentinel(workspace);
  const [alertRules, metadata] = await Promise.all([api.listAlertRules(), api.listMetadata()]);
  const firstTable = firstTableReader();
  const adoption = adoptRules({
    workspace: workspace.name,
    alertRules,
    metadata,
    repository: repositoryName(config),
    groupBy: options.groupBy ?? 'table',
    firstTable,
  });
  const from = `workspace ${workspace.name}`;
  const result: ImportResult = {
    imported: [],
    refused: adoption.refused.map(({ reason, hint }) => ({ from, reason, ...(hint ? { hint } : {}) })),
    skipped: adoption.skipped,
  };
  const writer = ruleWriter(options);
  for (const rule of adoption.rules) writer.write(result, from, rule, rule.folder);
  return result;
}

/** The first table a query names (Kusto.Language, no schema needed: every name is unknown to it). */
function firstTableReader(): (query: string) => string | undefined {
  const env = createKqlEnvironment({ tables: [], watchlists: [] });
  return (query) => [...analyzeKql(env, query).unknownTables].sort((a, b) => a.start - b.start)[0]?.name;
}

/** Writes imported rules under --out, never a second copy of a rule id the repository already has. */
function ruleWriter(options: ImportOptions) {
  const outDir = resolve(options.root, options.out ?? 'rules');
  const planned = new Set<string>();
  const existing = existingRuleFiles(options.root, [resolve(options.root, 'rules'), outDir]);
  return {
    write(result: ImportResult, from: string, rule: ImportedRule, folder: string): void {
      const already = existing.get(rule.id.toLowerCase());
      const target = already ?? join(outDir, folder, rule.fileName);
      const file = toRepoPath(options.root, target);
      if (planned.has(target)) {
        result.refused.push({
          from,
          reason: `rule ${rule.id} (${rule.name}) would be written to ${file}, like another rule of this import`,
          hint: 'Rename one of them (displayName) and import again.',
        });
        return;
      }
      if (already && !options.force) {
        result.refused.push({
          from,
          reason: `rule ${rule.id} is already in ${file}`,
          hint: 'Pass --force to overwrite that file with the imported rule.',
        });
        return;
      }
      if (pathExists(target) && !options.force) {
        result.refused.push({
          from,
          reason: `${file} exists (rule ${rule.id})`,
          hint: 'Pass --force to overwrite it, or --out <dir> to write elsewhere.',
        });
        return;
      }
      planned.add(target);
      writeSource(target, placeRuleText(rule.text, file));
      result.imported.push({ from, file, id: rule.id, name: rule.name, notes: rule.notes });
    },
  };
}

/** Rule id (lower case) → absolute path of the YAML file that holds it, over every folder at any depth. */
function existingRuleFiles(root: string, folders: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of [...new Set(folders)].flatMap((folder) => findYamlFiles(folder))) {
    const source = readSource(root, file);
    const parsed = parseYaml(source.path, source.text);
    const id = asString(asRecord(parsed.ok ? parsed.document.value : undefined)?.id);
    if (id && !out.has(id.toLowerCase())) out.set(id.toLowerCase(), file);
  }
  return out;
}
