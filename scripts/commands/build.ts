// `build`: validate everything; when clean, compile and write out/ (all or nothing).
//   out/api/…                         the default set (no workspace overrides, default api-version)
//   out/<env>/<workspace>/api/…       with --env: one set per workspace, its overrides applied
import { resolve } from 'node:path';
import { errorCount, sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import { restArtifacts } from '../core/compile/artifacts.ts';
import { compileSet } from '../core/compile/content.ts';
import { workspacesOf } from '../core/model/workspaces.ts';
import type { WorkspacesYaml } from '../core/model/yaml-types.ts';
import { UsageError } from '../core/errors.ts';
import { validateContent } from '../core/validate/validate.ts';
import { writeArtifacts } from '../io/artifacts.ts';
import { loadContent } from '../io/content.ts';

export interface BuildOptions {
  root: string;
  out: string;
  config?: string;
  env?: string;
}

export interface BuildResult {
  files: number;
  diagnostics: Diagnostic[];
  /** Paths written under out/, sorted; empty when validation failed. */
  written: string[];
  out: string;
}

export async function buildCommand(options: BuildOptions): Promise<BuildResult> {
  const content = loadContent({ root: options.root, config: options.config });
  const validation = validateContent(content);
  const out = resolve(options.root, options.out);
  const fail = (diagnostics: Diagnostic[]): BuildResult => ({ files: validation.files, diagnostics: sortDiagnostics(diagnostics), written: [], out });
  if (errorCount(validation.diagnostics) > 0) return fail(validation.diagnostics);

  const diagnostics = [...validation.diagnostics];
  const base = compileSet(validation.parsed);
  diagnostics.push(...base.diagnostics);
  const files = restArtifacts(base);

  if (options.env) {
    const config = validation.parsed.workspaces?.value as WorkspacesYaml | undefined;
    if (!config) throw new UsageError(`--env ${options.env} needs ${options.config ?? 'workspaces.yaml'}, which does not exist`);
    for (const ws of workspacesOf(config, options.env, options.config)) {
      const set = compileSet(validation.parsed, { label: ws.name, apiVersion: ws.apiVersion, overrides: ws.rules });
      diagnostics.push(...set.diagnostics);
      for (const [path, text] of restArtifacts(set, `${ws.environment}/${ws.name}/`)) files.set(path, text);
    }
  }
  if (errorCount(diagnostics) > 0) return fail(diagnostics);
  writeArtifacts(out, files);
  return { files: validation.files, diagnostics: sortDiagnostics(diagnostics), written: [...files.keys()].sort(), out };
}
