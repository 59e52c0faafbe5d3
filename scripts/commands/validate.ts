// `validate [paths...]`: every layer over the repository's content; with paths, only the diagnostics of
// those files are reported (the rest of the repository still provides context: watchlists, overrides).
import type { Diagnostic } from '../core/diagnostics.ts';
import { expandPaths, loadContent, toRepoPath } from '../io/content.ts';
import { checkContent } from './shared/checked-content.ts';

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
  // Selected files outside the repository's own folders are checked as rules (e.g. a rule under review).
  const content = loadContent({ root: options.root, config: options.config }, selected);
  const { validation, diagnostics } = await checkContent(options.root, content, options.base);
  if (selected.length === 0) return { files: validation.files, diagnostics };
  const selectedPaths = new Set(selected.map((file) => toRepoPath(options.root, file)));
  return { files: selectedPaths.size, diagnostics: diagnostics.filter((d) => selectedPaths.has(d.file)) };
}
