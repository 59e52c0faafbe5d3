// What validate and build both run: every validation layer and each rule against the schema snapshot
// of every workspace it deploys to, then — once the content is clean, since they need the compiled
// payloads — the version-lock checks (against the base revision with --base).
import { errorCount, sortDiagnostics, type Diagnostic } from '../../core/diagnostics.ts';
import { contentLockDiagnostics } from '../../core/lock/check.ts';
import { environmentNames, workspacesOf, type Workspace } from '../../core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../core/model/yaml-types.ts';
import type { ContentSet, ParsedContent, ValidationResult } from '../../core/validate/validate.ts';
import { workspaceSchemaDiagnostics } from '../../core/validate/workspace-schema.ts';
import { readBaseRevision } from '../../io/git.ts';
import { readLockText } from '../../io/lock.ts';
import { validateContentParallel } from '../../workers/validate.ts';

export interface CheckedContent {
  validation: ValidationResult;
  /** Validation and lock diagnostics, sorted. */
  diagnostics: Diagnostic[];
}

export async function checkContent(root: string, content: ContentSet, base?: string): Promise<CheckedContent> {
  const validation = await validateContentParallel(content);
  const workspaces = allWorkspaces(validation);
  if (content.snapshots?.length && workspaces) {
    const perWorkspace = workspaceSchemaDiagnostics({
      parsed: validation.parsed,
      diagnostics: validation.diagnostics,
      workspaces,
      snapshots: content.snapshots,
      reportOrphans: true,
      everywhere: content.providers ?? [],
      repoTables: content.tables,
      repoFunctions: content.functions ?? [],
    });
    validation.diagnostics = sortDiagnostics([...validation.diagnostics, ...perWorkspace]);
  }
  if (errorCount(validation.diagnostics) > 0) return { validation, diagnostics: validation.diagnostics };
  const revision = base ? readBaseRevision(root, base) : undefined;
  const lock = contentLockDiagnostics(validation.parsed, readLockText(root), revision);
  return { validation, diagnostics: sortDiagnostics([...validation.diagnostics, ...lock]) };
}

/** Every workspace of every environment, when workspaces.yaml validated clean (else none are checked). */
function allWorkspaces(validation: ValidationResult): Workspace[] | undefined {
  const parsed: ParsedContent = validation.parsed;
  const config = parsed.workspaces?.value as WorkspacesYaml | undefined;
  if (!config || validation.diagnostics.some((d) => d.severity === 'error' && d.file === parsed.workspaces?.file)) return undefined;
  return environmentNames(config).flatMap((env) => workspacesOf(config, env));
}
