// schemas/catalog/overlay.txt: facts about standard tables that the catalog's sources lack, applied
// when a table is read (so a new fact needs no regeneration). One fact per line, each with its reason:
//   <Table> <Column>:<type>   # why      adds the column to the table, or gives an existing column that type
//   * <Column>:<type>         # why      adds the column to every catalog table that lacks it
//   <Table> open              # why      the table has columns beyond those listed: any column name resolves
import { isKqlType, type ColumnSchema } from '../kql/types.ts';

const LINE = /^([A-Za-z_][A-Za-z0-9_]*|\*)\s+(?:([A-Za-z_][A-Za-z0-9_]*):([a-z]+)|(open))\s+#\s*(\S.*)$/;

/** The overlay key for facts about every table. */
export const EVERY_TABLE = '*';

export interface OverlayFact {
  table: string;
  /** Absent for an `open` fact. */
  column?: ColumnSchema;
  open?: boolean;
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
    if (!match)
      throw new Error(`${where}: expected "<Table> <Column>:<type>   # reason" (or "* <Column>:<type>", "<Table> open"), got "${line}"`);
    const [, table, name, type, open, reason] = match as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
      string | undefined,
      string,
    ];
    const list = facts.get(table) ?? [];
    if (open) {
      if (table === EVERY_TABLE) throw new Error(`${where}: "open" applies to one table, not to every table`);
      list.push({ table, open: true, reason, line: index + 1 });
    } else {
      if (!isKqlType(type)) throw new Error(`${where}: ${type} is not a Kusto scalar type`);
      if (list.some((f) => f.column?.name === name)) throw new Error(`${where}: ${table}.${name} is already in the overlay`);
      list.push({ table, column: { name: name!, type }, reason, line: index + 1 });
    }
    facts.set(table, list);
  });
  return facts;
}

/**
 * A table's columns with the overlay's facts applied: its own facts (types replaced in place, new
 * columns appended), then the every-table facts for columns it lacks. `open` when a fact says so.
 */
export function applyOverlay(
  columns: readonly ColumnSchema[],
  facts: readonly OverlayFact[] | undefined,
  everyTable: readonly OverlayFact[] = [],
): { columns: ColumnSchema[]; open: boolean } {
  const out = columns.map((c) => ({ ...c }));
  let open = false;
  for (const fact of facts ?? []) {
    if (fact.open) open = true;
    if (!fact.column) continue;
    const existing = out.find((c) => c.name === fact.column!.name);
    if (existing) existing.type = fact.column.type;
    else out.push({ ...fact.column });
  }
  for (const fact of everyTable) {
    if (fact.column && !out.some((c) => c.name === fact.column!.name)) out.push({ ...fact.column });
  }
  return { columns: out, open };
}
