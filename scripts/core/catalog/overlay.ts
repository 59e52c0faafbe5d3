// schemas/catalog/overlay.txt: facts about standard tables that the catalog's sources lack, applied
// when a table is read (so a new fact needs no regeneration). One fact per line, each with its reason:
//   <Table> <Column>:<type>   # why, and where the fact comes from
// The line adds the column to the table, or gives an existing column that type.
import { isKqlType, type ColumnSchema } from '../kql/types.ts';

const LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s+([A-Za-z_][A-Za-z0-9_]*):([a-z]+)\s+#\s*(\S.*)$/;

export interface OverlayFact {
  table: string;
  column: ColumnSchema;
  reason: string;
  line: number;
}

/** Throws on a malformed line (naming the line): the overlay is hand-written and must stay exact. */
export function parseOverlay(text: string, file = 'schemas/catalog/overlay.txt'): Map<string, OverlayFact[]> {
  const facts = new Map<string, OverlayFact[]>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = LINE.exec(line);
    const where = `${file}:${index + 1}`;
    if (!match) throw new Error(`${where}: expected "<Table> <Column>:<type>   # reason", got "${line}"`);
    const [, table, name, type, reason] = match as unknown as [string, string, string, string, string];
    if (!isKqlType(type)) throw new Error(`${where}: ${type} is not a Kusto scalar type`);
    const list = facts.get(table) ?? [];
    if (list.some((f) => f.column.name === name)) throw new Error(`${where}: ${table}.${name} is already in the overlay`);
    list.push({ table, column: { name, type }, reason, line: index + 1 });
    facts.set(table, list);
  });
  return facts;
}

/** A table's columns with the overlay's facts applied (types replaced in place, new columns appended). */
export function applyOverlay(columns: readonly ColumnSchema[], facts: readonly OverlayFact[] | undefined): ColumnSchema[] {
  if (!facts?.length) return [...columns];
  const out = columns.map((c) => ({ ...c }));
  for (const fact of facts) {
    const existing = out.find((c) => c.name === fact.column.name);
    if (existing) existing.type = fact.column.type;
    else out.push({ ...fact.column });
  }
  return out;
}
