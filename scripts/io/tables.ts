// Reads the repo's table schemas (schemas/tables/<Table>.json, format: schemas/table.schema.json).
// Checked by hand rather than with ajv so that each message names the file, the field and the fix.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ConfigError } from '../core/errors.ts';
import { KQL_TYPES, isKqlType, type ColumnSchema, type TableSchema } from '../core/kql/types.ts';
import { isRecord } from '../core/guards.ts';
import { compareText } from '../core/text/compare.ts';
import { linksOutside } from './confined.ts';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const TABLE_KEYS = new Set(['$schema', 'name', 'description', 'source', 'columns']);
const COLUMN_KEYS = new Set(['name', 'type']);
const HINT = 'See schemas/table.schema.json and the existing files in schemas/tables/ for the format.';

/**
 * Every `<dir>/*.json` (not subdirectories), sorted by table name. A malformed file throws ConfigError;
 * so does, with `root`, a file inside the repository whose links lead outside it (never read).
 */
export function loadTableSchemas(dir: string, root?: string): TableSchema[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch (error) {
    throw new ConfigError(
      `cannot read the table schema folder ${dir}: ${(error as Error).message}`,
      dir,
      'Run from the repository root, or create schemas/tables/ with one <Table>.json per table.',
    );
  }
  // Each file is named <name>.json (parseTableSchema enforces it) and a name is letters, digits and
  // '_', all after '.', so the file order is the table-name order.
  const tables: TableSchema[] = [];
  for (const entry of entries.filter((e) => e.endsWith('.json')).sort(compareText)) {
    const file = join(dir, entry);
    if (root !== undefined && linksOutside(root, file)) {
      throw new ConfigError(
        `table schema ${file} is a symbolic link that leads outside the repository: not read`,
        file,
        'Table schemas must live in the repository: copy the file in, or remove the link.',
      );
    }
    if (!statSync(file).isFile()) continue;
    tables.push(parseTableSchema(file, readFileSync(file, 'utf8')));
  }
  return tables;
}

/** One table schema file's text → TableSchema; `file` names it in errors (its base name must be `<name>.json`). */
export function parseTableSchema(file: string, text: string): TableSchema {
  const fail = (problem: string, hint = HINT): never => {
    throw new ConfigError(`table schema ${file}: ${problem}`, file, hint);
  };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail(`not valid JSON (${(error as Error).message})`, 'Fix the JSON syntax (a trailing comma, a missing quote).');
  }
  if (!isRecord(value)) return fail('expected a JSON object with "name" and "columns"');
  for (const key of Object.keys(value)) {
    if (!TABLE_KEYS.has(key)) fail(`unknown key "${key}"; allowed: ${[...TABLE_KEYS].join(', ')}`);
  }
  const { name, description, source, columns } = value;
  if (typeof name !== 'string' || !NAME.test(name)) return fail('"name" must be the table name, letters, digits and underscores');
  const expected = `${name}.json`;
  if (basename(file) !== expected)
    fail(`the file must be named ${expected} after its table "${name}"`, `Rename the file to ${expected}, or fix "name".`);
  if (description !== undefined && typeof description !== 'string') fail('"description" must be a string');
  if (source !== undefined && typeof source !== 'string') fail('"source" must be a string');
  if (!Array.isArray(columns) || columns.length === 0) return fail('"columns" must be a non-empty array of {"name", "type"}');

  const seen = new Set<string>();
  const parsed = columns.map((column: unknown, i): ColumnSchema => {
    const where = `columns[${i}]`;
    if (!isRecord(column)) return fail(`${where} must be an object {"name", "type"}`);
    for (const key of Object.keys(column)) {
      if (!COLUMN_KEYS.has(key)) fail(`${where}: unknown key "${key}"; allowed: name, type`);
    }
    if (typeof column.name !== 'string' || !NAME.test(column.name))
      return fail(`${where}: "name" must be a column name, letters, digits and underscores`);
    if (seen.has(column.name)) fail(`${where}: column "${column.name}" is declared twice`, 'Remove one of the two entries.');
    seen.add(column.name);
    if (!isKqlType(column.type)) {
      return fail(
        `${where} (${column.name}): type ${JSON.stringify(column.type)} is not a Kusto scalar type; use one of ${KQL_TYPES.join(', ')}`,
        'Log Analytics documents each column type: bool/boolean → bool, double → real, object or JSON → dynamic.',
      );
    }
    return { name: column.name, type: column.type };
  });
  const table: TableSchema = { name, columns: parsed };
  if (typeof description === 'string') table.description = description;
  return table;
}
