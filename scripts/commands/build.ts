// `build`: validate everything (lock included); when clean, compile and write out/ (all or nothing).
//   out/api/…, out/arm/…, out/hunting/…      the default set (no workspace overrides, default api-version)
//   out/<env>/<workspace>/api/…, arm/…       with --env: one set per workspace, its overrides applied
import { resolve } from 'node:path';
import { errorCount, sortDiagnostics, type Diagnostic, appendAll } from '../core/diagnostics.ts';
import { armOptionsFor } from '../core/compile/arm.ts';
import { armArtifacts, restArtifacts } from '../core/compile/artifacts.ts';
import { BUILD_TARGET, compileSet, type CompileTarget } from '../core/compile/content.ts';
import { workspacesOf } from '../core/model/workspaces.ts';
import type { WorkspacesYaml } from '../core/model/yaml-types.ts';
import { UsageError } from '../core/errors.ts';
import { huntingArtifacts } from '../core/hunting/artifacts.ts';
import { checkOutputFolder, writeArtifacts } from '../io/artifacts.ts';
import { loadContent } from '../io/content.ts';
import { loadTableSchemas } from '../io/tables.ts';
import { checkContent } from './shared/checked-content.ts';

export interface BuildOptions {
  root: string;
  out: string;
  config?: string;
  env?: string;
  /** Git revision to compare ids with (see validate --base). */
  base?: string;
  /** Let --out resolve outside the repository. */
  allowOutside?: boolean;
}

export interface BuildResult {
  files: number;
  diagnostics: Diagnostic[];
  /** Paths written under out/, sorted; empty when validation failed. */
  written: string[];
  out: string;
}

export async function buildCommand(options: BuildOptions): Promise<BuildResult> {
  // Refused before anything is read or compiled: a target build must not replace (README, "build").
  const target = { root: options.root, out: options.out, allowOutside: options.allowOutside };
  const out = checkOutputFolder(target);
  const content = loadContent({ root: options.root, config: options.config });
  const checked = await checkContent(options.root, content, options.base);
  const { validation } = checked;
  const fail = (diagnostics: Diagnostic[]): BuildResult => ({
    files: validation.files,
    diagnostics: sortDiagnostics(diagnostics),
    written: [],
    out,
  });
  if (errorCount(validation.diagnostics) > 0) return fail(validation.diagnostics);

  const diagnostics = [...checked.diagnostics];
  const config = validation.parsed.workspaces?.value as WorkspacesYaml | undefined;
  const files = new Map<string, string>();
  const emit = (target: CompileTarget, prefix: string, workspace?: string): void => {
    const set = compileSet(validation.parsed, target);
    appendAll(diagnostics, set.diagnostics);
    for (const [path, text] of restArtifacts(set, prefix)) files.set(path, text);
    for (const [path, text] of armArtifacts(set, armOptionsFor(config, target.apiVersion, workspace), prefix)) files.set(path, text);
  };

  emit(BUILD_TARGET, '');
  const hunting = huntingArtifacts({
    parsed: validation.parsed,
    sentinelTables: content.tables,
    defenderTables: () => loadTableSchemas(resolve(options.root, 'schemas/tables/defender'), options.root),
  });
  appendAll(diagnostics, hunting.diagnostics);
  for (const [path, text] of hunting.files) files.set(path, text);

  if (options.env) {
    if (!config) throw new UsageError(`--env ${options.env} needs ${options.config ?? 'workspaces.yaml'}, which does not exist`);
    for (const ws of workspacesOf(config, options.env, options.config)) {
      emit({ label: ws.name, apiVersion: ws.apiVersion, overrides: ws.rules }, `${ws.environment}/${ws.name}/`, ws.workspace);
    }
  }
  if (errorCount(diagnostics) > 0) return fail(diagnostics);
  writeArtifacts(target, files);
  return { files: validation.files, diagnostics: sortDiagnostics(diagnostics), written: [...files.keys()].sort(), out };
}
