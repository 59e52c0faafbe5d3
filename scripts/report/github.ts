// GitHub Actions workflow commands (annotations). Escaping follows the runner's rules: in the message
// `%`, CR and LF are percent-encoded; in properties also `:` and `,`.
import type { Diagnostic } from '../core/diagnostics.ts';

export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotation(d: Diagnostic): string {
  const properties = [`file=${escapeProperty(d.file)}`, `line=${d.line}`, `col=${d.column}`];
  if (d.endLine !== undefined) properties.push(`endLine=${d.endLine}`);
  if (d.endColumn !== undefined) properties.push(`endColumn=${d.endColumn}`);
  properties.push(`title=${escapeProperty(d.code)}`);
  const message = d.hint ? `${d.message}\n${d.hint}` : d.message;
  return `::${d.severity === 'error' ? 'error' : 'warning'} ${properties.join(',')}::${escapeData(message)}`;
}

export function renderAnnotations(diagnostics: readonly Diagnostic[]): string {
  return diagnostics.map((d) => `${annotation(d)}\n`).join('');
}
