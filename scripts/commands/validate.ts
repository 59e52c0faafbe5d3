// `validate [paths...]`: every layer over the repository's content; with paths, only the diagnostics of
// those files are reported (the rest of the repository still provides context: watchlists, overrides).
import type { Diagnostic } from '../core/diagnostics.ts';
import { validateContent, type ContentSet } from '../core/validate/validate.ts';
import { expandPaths, loadContent, toRepoPath } from '../io/content.ts';

export interface ValidateOptions {
  root: string;
  config?: string;
  paths: string[];
}

export interface ValidateResult {
  files: number;
  diagnostics: Diagnostic[];
}

export async function validateCommand(options: ValidateOptions): Promise<ValidateResult> {
  const selected = options.paths.length ? expandPaths(options.root, options.paths) : [];
  const selectedPaths = new Set(selected.map((file) => toRepoPath(options.root, file)));
  const base = loadContent({ root: options.root, config: options.config });
  const known = new Set(allPaths(base));
  // Files outside the repository's own folders are checked as rules (e.g. a rule under review).
  const extra = selected.filter((file) => !known.has(toRepoPath(options.root, file)));
  const content = extra.length ? loadContent({ root: options.root, config: options.config }, extra) : base;
  const result = validateContent(content);
  if (selectedPaths.size === 0) return { files: result.files, diagnostics: result.diagnostics };
  return { files: selectedPaths.size, diagnostics: result.diagnostics.filter((d) => selectedPaths.has(d.file)) };
}

function allPaths(content: ContentSet): string[] {
  return [...content.rules, ...content.watchlists, ...(content.workspaces ? [content.workspaces] : [])].map((f) => f.path);
}
