// Text report of `catalog-update`: totals, the normalisations applied to the sources, the changes.
import type { CatalogUpdateResult } from '../core/catalog/model.ts';

export function renderCatalogUpdate(result: CatalogUpdateResult): string {
  const lines = [
    `catalog: ${result.tables} tables, ${result.columns} columns, ${result.functions} functions`,
    'normalised in the sources:',
    ...result.fixes.map((f) => `  ${f}`),
    'changes against the committed catalog:',
    ...result.changes.map((c) => `  ${c}`),
    result.refused ? `REFUSED: ${result.refused}` : `wrote ${result.written.join(', ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
