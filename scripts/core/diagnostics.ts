// Diagnostics are expected content problems: collected, never thrown, all reported at once.
import { compareText } from './text/compare.ts';

export type Severity = 'error' | 'warning';

export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column, counted in UTF-16 code units like editors and GitHub annotations. */
  column: number;
}

export interface Diagnostic extends Position {
  /** Stable code, documented in the README (e.g. `schema.unknown-key`). */
  code: string;
  severity: Severity;
  message: string;
  /** Repository-relative path with forward slashes. */
  file: string;
  /** What to do about it. */
  hint?: string;
  endLine?: number;
  endColumn?: number;
}

export function errorCount(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === 'error').length;
}

/** Stable order for every reporter: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      compareText(a.file, b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      compareText(a.code, b.code) ||
      compareText(a.message, b.message),
  );
}

/**
 * Appends without spreading into a call: `target.push(...items)` passes every item as an argument and
 * overflows the call stack when a file brings hundreds of thousands of diagnostics.
 */
export function appendAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
