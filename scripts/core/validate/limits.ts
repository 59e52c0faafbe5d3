// How much one content file may be and cost. A rule, a watchlist definition or workspaces.yaml is a
// few kilobytes (the longest query the service takes is 10,000 characters); a 50 MB file is a mistake
// or an attack, and once took minutes to parse before the diagnostics overflowed the call stack.
import type { Diagnostic } from '../diagnostics.ts';

/** A content file larger than this is not read: one `file.too-large` error instead. */
export const MAX_CONTENT_FILE_BYTES = 1_048_576;
/** Diagnostics reported per file; the rest are summed up in one `file.too-many-diagnostics`. */
export const MAX_DIAGNOSTICS_PER_FILE = 100;

export function tooLargeDiagnostic(path: string, bytes: number): Diagnostic {
  return {
    code: 'file.too-large',
    severity: 'error',
    file: path,
    line: 1,
    column: 1,
    message: `${bytes.toLocaleString('en-US')} bytes: a content file is at most ${MAX_CONTENT_FILE_BYTES.toLocaleString('en-US')} bytes (1 MiB); it was not read`,
    hint: 'A rule, watchlist definition or workspaces.yaml is a few kilobytes: remove what does not belong in it, or split it into several files.',
  };
}

/**
 * At most MAX_DIAGNOSTICS_PER_FILE diagnostics per file, in the given (sorted) order; what is left out
 * becomes one diagnostic at the file's last kept position, an error when any left out was one.
 */
export function capPerFile(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const kept = new Map<string, number>();
  const dropped = new Map<string, { count: number; errors: number; after: Diagnostic }>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const n = kept.get(d.file) ?? 0;
    if (n < MAX_DIAGNOSTICS_PER_FILE) {
      kept.set(d.file, n + 1);
      out.push(d);
      continue;
    }
    const entry = dropped.get(d.file) ?? { count: 0, errors: 0, after: d };
    entry.count++;
    if (d.severity === 'error') entry.errors++;
    dropped.set(d.file, entry);
  }
  for (const [file, { count, errors, after }] of dropped) {
    out.push({
      code: 'file.too-many-diagnostics',
      severity: errors > 0 ? 'error' : 'warning',
      file,
      line: after.line,
      column: after.column,
      message: `${count.toLocaleString('en-US')} more diagnostics in this file (${errors.toLocaleString('en-US')} errors) are not shown; only the first ${MAX_DIAGNOSTICS_PER_FILE} are`,
      hint: 'Fix the ones shown first: many problems in one file usually share one cause (a wrong indentation, a pasted block).',
    });
  }
  return out;
}
