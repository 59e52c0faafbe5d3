// Renders validation results: text (grouped by file), json (the CLI contract), github (annotations).
import { errorCount, type Diagnostic } from '../core/diagnostics.ts';
import { renderAnnotations } from './github.ts';
import { safeForText } from './safe.ts';
import type { Style } from './style.ts';

export interface ValidationReport {
  files: number;
  diagnostics: Diagnostic[];
}

export type DiagnosticsFormat = 'text' | 'json' | 'github';

export function renderValidation(report: ValidationReport, format: DiagnosticsFormat, style: Style): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toJson(report), null, 2)}\n`;
    case 'github':
      return renderAnnotations(safeForText(report.diagnostics)) + summaryLine(report, style);
    case 'text':
      return renderText(safeForText(report), style);
  }
}

/** The json contract: {"files", "diagnostics": [{file, line, column, severity, code, message}]} (+ hint when there is one). */
function toJson(report: ValidationReport): object {
  return {
    files: report.files,
    diagnostics: report.diagnostics.map((d) => ({
      file: d.file,
      line: d.line,
      column: d.column,
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.hint ? { hint: d.hint } : {}),
    })),
  };
}

function renderText(report: ValidationReport, style: Style): string {
  const lines: string[] = [];
  let current: string | undefined;
  for (const d of report.diagnostics) {
    if (d.file !== current) {
      if (current !== undefined) lines.push('');
      lines.push(style.bold(d.file));
      current = d.file;
    }
    const label = d.severity === 'error' ? style.red('error') : style.yellow('warning');
    lines.push(`  ${d.line}:${d.column}  ${label}  ${d.message}  ${style.dim(d.code)}`);
    if (d.hint) lines.push(`      ${style.dim(`→ ${d.hint}`)}`);
  }
  if (lines.length) lines.push('');
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${summaryLine(report, style)}`;
}

function summaryLine(report: ValidationReport, style: Style): string {
  const errors = errorCount(report.diagnostics);
  const warnings = report.diagnostics.length - errors;
  const counts = `${report.files} file${report.files === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`;
  return `${errors ? style.red(counts) : style.green(counts)}\n`;
}
