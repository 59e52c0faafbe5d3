// `validate [paths...]`: every layer over the repository's content; with paths, only the diagnostics of
// those files are reported (the rest of the repository still provides context: watchlists, overrides).
import { errorCount, sortDiagnostics, type Diagnostic } from '../core/diagnostics.ts';
import { contentLockDiagnostics } from '../core/lock/check.ts';
import { validateContent, type ContentSet } from '../core/validate/validate.ts';
import { expandPaths, loadContent, toRepoPath } from '../io/content.ts';
import { readBaseRevision } from '../io/git.ts';
import { readLockText } from '../io/lock.ts';

export interface ValidateOptions {
  root: string;
  config?: string;
  paths: string[];
  /** Git revision to compare rule ids with (pull requests): lock.id-changed, lock.id-reused, lock.deleted-not-retired. */
  base?: string;
}

export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
}

export async function validateCommand(options: ValidateOptions): Promise<ValidateResult> {
  const selected = options.paths.length ? expandPaths(options.root, options.paths) : [];
  const selectedPaths = new Set(selected.map((file) => toRepoPath(options.root, file)));
  const repository = loadContent({ root: options.root, config: options.config });
  const known = new Set(allPaths(repository));
  // Files outside the repository's own folders are checked as rules (e.g. a rule under review).
  const extra = selected.filter((file) => !known.has(toRepoPath(options.root, file)));
  const content = extra.length ? loadContent({ root: options.root, config: options.config }, extra) : repository;
  const result = validateContent(content);
  const revision = options.base ? readBaseRevision(options.root, options.base) : undefined;
  // The lock checks need the compiled payload: they run once the content is clean.
  const diagnostics = errorCount(result.diagnostics) > 0
    ? result.diagnostics
    : sortDiagnostics([...result.diagnostics, ...contentLockDiagnostics(result.parsed, readLockText(options.root), revision)]);
  if (selectedPaths.size === 0) return { files: result.files, diagnostics };
  return { files: selectedPaths.size, diagnostics: diagnostics.filter((d) => selectedPaths.has(d.file)) };
}

function allPaths(content: ContentSet): string[] {
  return [...content.rules, ...content.watchlists, ...(content.workspaces ? [content.workspaces] : [])].map((f) => f.path);
}
