// What validate and build both run: every validation layer, then — once the content is clean, since
// they need the compiled payloads — the version-lock checks (against the base revision with --base).
import { errorCount, sortDiagnostics, type Diagnostic } from '../../core/diagnostics.ts';
import { contentLockDiagnostics } from '../../core/lock/check.ts';
import { validateContent, type ContentSet, type ValidationResult } from '../../core/validate/validate.ts';
import { readBaseRevision } from '../../io/git.ts';
import { readLockText } from '../../io/lock.ts';

export interface CheckedContent {
  validation: ValidationResult;
  /** Validation and lock diagnostics, sorted. */
  diagnostics: Diagnostic[];
}

export function checkContent(root: string, content: ContentSet, base?: string): CheckedContent {
  const validation = validateContent(content);
  if (errorCount(validation.diagnostics) > 0) return { validation, diagnostics: validation.diagnostics };
  const revision = base ? readBaseRevision(root, base) : undefined;
  const lock = contentLockDiagnostics(validation.parsed, readLockText(root), revision);
  return { validation, diagnostics: sortDiagnostics([...validation.diagnostics, ...lock]) };
}
