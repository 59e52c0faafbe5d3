// The `import` command's report (text).
import { safeForText } from './safe.ts';

export interface ImportReport {
  imported: readonly { from: string; file: string; id: string; notes: readonly string[] }[];
  refused: readonly { from: string; reason: string; hint?: string }[];
  skipped: readonly { where: string; reason: string }[];
}

export function renderImport(raw: ImportReport): string {
  const report = safeForText(raw);
  const lines: string[] = [];
  for (const r of report.imported) {
    lines.push(`imported ${r.from} → ${r.file} (${r.id})`);
    for (const note of r.notes) lines.push(`  note: ${note}`);
  }
  for (const s of report.skipped) lines.push(`skipped ${s.where}: ${s.reason}`);
  for (const r of report.refused) {
    lines.push(`refused ${r.reason}`);
    if (r.hint) lines.push(`  hint: ${r.hint}`);
  }
  lines.push(`${report.imported.length} imported, ${report.skipped.length} skipped, ${report.refused.length} refused`);
  if (report.imported.length) lines.push('next: npm run cli -- validate, then npm run cli -- lock');
  // Adopted rules compile back to what is live: the first deploy only marks them as this repository's.
  if (report.imported.some((r) => r.from.startsWith('workspace ')))
    lines.push('then: npm run cli -- deploy --env <environment> --adopt (writes only the ownership marks)');
  return `${lines.join('\n')}\n`;
}
