// What a catalog update changes, for the generator's report and its guard: a refresh that loses many
// tables is far more likely a broken scrape or a missing source file than Microsoft retiring them.
import { compareText } from '../text/compare.ts';
import type { CatalogData, CatalogTable } from './model.ts';

/** More tables than this gone in one update refuses it (unless the maintainer allows it explicitly). */
export const MAX_DROPPED_TABLES = 10;

export interface CatalogChanges {
  addedTables: string[];
  droppedTables: string[];
  /** Per changed table: `+Col:type`, `-Col`, `Col: old → new`. */
  changedTables: { name: string; changes: string[] }[];
  addedFunctions: string[];
  droppedFunctions: string[];
  changedSchemas: string[];
}

export function diffCatalog(before: CatalogData, after: CatalogData): CatalogChanges {
  const old = new Map(before.tables.map((t) => [t.name, t]));
  const now = new Map(after.tables.map((t) => [t.name, t]));
  const changedTables: CatalogChanges['changedTables'] = [];
  for (const [name, table] of now) {
    const previous = old.get(name);
    if (!previous) continue;
    const changes = columnChanges(previous, table);
    if (changes.length) changedTables.push({ name, changes });
  }
  const oldFunctions = new Set(before.functions.map((f) => f.name));
  const newFunctions = new Set(after.functions.map((f) => f.name));
  const oldSchemas = new Map(before.schemas.map((s) => [s.name, s]));
  return {
    addedTables: [...now.keys()].filter((n) => !old.has(n)).sort(compareText),
    droppedTables: [...old.keys()].filter((n) => !now.has(n)).sort(compareText),
    changedTables: changedTables.sort((a, b) => compareText(a.name, b.name)),
    addedFunctions: [...newFunctions].filter((n) => !oldFunctions.has(n)).sort(compareText),
    droppedFunctions: [...oldFunctions].filter((n) => !newFunctions.has(n)).sort(compareText),
    changedSchemas: after.schemas
      .filter((s) => {
        const previous = oldSchemas.get(s.name);
        return !previous || columnChanges(previous, s).length > 0;
      })
      .map((s) => s.name),
  };
}

function columnChanges(before: CatalogTable, after: CatalogTable): string[] {
  const old = new Map(before.columns.map((c) => [c.name, c.type]));
  const now = new Map(after.columns.map((c) => [c.name, c.type]));
  const out: string[] = [];
  for (const [name, type] of now) {
    const previous = old.get(name);
    if (previous === undefined) out.push(`+${name}:${type}`);
    else if (previous !== type) out.push(`${name}: ${previous} → ${type}`);
  }
  for (const name of old.keys()) if (!now.has(name)) out.push(`-${name}`);
  return out;
}

export function hasChanges(c: CatalogChanges): boolean {
  return (
    c.addedTables.length +
      c.droppedTables.length +
      c.changedTables.length +
      c.addedFunctions.length +
      c.droppedFunctions.length +
      c.changedSchemas.length >
    0
  );
}

/** The report, deterministic: counts first, then every name. */
export function renderChanges(c: CatalogChanges): string[] {
  // Long lists are cut: a first generation or a broken source would print a thousand names.
  const list = (names: readonly string[]): string =>
    names.length ? `: ${names.slice(0, 40).join(', ')}${names.length > 40 ? `, … (${names.length - 40} more)` : ''}` : '';
  const lines = [
    `tables: ${c.addedTables.length} added${list(c.addedTables)}`,
    `tables: ${c.droppedTables.length} dropped${list(c.droppedTables)}`,
    `tables: ${c.changedTables.length} with changed columns`,
    ...c.changedTables.slice(0, 200).map((t) => `  ${t.name}: ${t.changes.join(', ')}`),
    ...(c.changedTables.length > 200 ? [`  … (${c.changedTables.length - 200} more tables)`] : []),
    `functions: ${c.addedFunctions.length} added${list(c.addedFunctions)}`,
    `functions: ${c.droppedFunctions.length} dropped${list(c.droppedFunctions)}`,
    `ASIM schemas changed: ${c.changedSchemas.length}${list(c.changedSchemas)}`,
  ];
  return lines;
}
