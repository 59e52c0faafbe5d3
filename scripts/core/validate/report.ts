import type { Diagnostic, Severity } from '../diagnostics.ts';
import type { PathSegment, YamlDocument } from '../yaml/document.ts';

/** Collects diagnostics for one document, positioned by path. */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  readonly doc: YamlDocument;

  constructor(doc: YamlDocument) {
    this.doc = doc;
  }

  // Stryker disable next-line StringLiteral: only 'key' changes the position, any other default points at the value
  error(path: readonly PathSegment[], code: string, message: string, hint?: string, where: 'key' | 'value' = 'value'): void {
    this.add('error', path, code, message, hint, where);
  }

  // Stryker disable next-line StringLiteral: only 'key' changes the position, any other default points at the value
  warning(path: readonly PathSegment[], code: string, message: string, hint?: string, where: 'key' | 'value' = 'value'): void {
    this.add('warning', path, code, message, hint, where);
  }

  /** A diagnostic at character `index` of the string at `path` (e.g. inside the query). */
  inString(severity: Severity, path: readonly PathSegment[], index: number, code: string, message: string, hint?: string): void {
    const { line, column } = this.doc.locateInString(path, index);
    this.push({ code, severity, message, file: this.doc.file, line, column }, hint);
  }

  private add(
    severity: Severity,
    path: readonly PathSegment[],
    code: string,
    message: string,
    hint: string | undefined,
    where: 'key' | 'value',
  ): void {
    this.diagnostics.push(this.doc.diagnostic(path, code, severity, message, hint, where));
  }

  private push(diagnostic: Diagnostic, hint: string | undefined): void {
    if (hint) diagnostic.hint = hint;
    this.diagnostics.push(diagnostic);
  }
}
