// Catalog generator, pure part: Microsoft's published table and ASIM reference data (CSV, see
// docs/tables-and-functions.md) → CatalogData, with every quirk of the data normalised and counted.
// The quirks, measured on the 2026 snapshots: .NET/doc type spellings (String, Double, Guid, BigInt,
// boolean, "nullable bool", enum), junk rows (`def`, `...`), duplicate columns, footnote markers on
// column names (`Timestamp*`, `Roles(Preview)***`), two table snapshots that must be unioned.
import { createHash } from 'node:crypto';
import { compareText } from '../text/compare.ts';
import type { ColumnSchema, KqlType } from '../kql/types.ts';
import { csvRecords } from './csv.ts';
import type { CatalogData, CatalogFunction, CatalogSource, CatalogTable, SourceKind } from './model.ts';

export interface SourceFile {
  /** File name as given (reported, and recorded in the catalog's header). */
  file: string;
  text: string;
}

export interface GenerateResult {
  data: CatalogData;
  /** What was normalised or dropped, one line per kind of fix, with counts and examples. */
  fixes: string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Source spellings → Kusto types. Anything else is junk and dropped (reported). */
const TYPES: Readonly<Record<string, KqlType>> = {
  string: 'string',
  enum: 'string',
  int: 'int',
  long: 'long',
  bigint: 'long',
  real: 'real',
  double: 'real',
  decimal: 'decimal',
  bool: 'bool',
  boolean: 'bool',
  'nullable bool': 'bool',
  datetime: 'datetime',
  timespan: 'timespan',
  dynamic: 'dynamic',
  guid: 'guid',
};

const HEADERS: readonly [SourceKind, readonly string[]][] = [
  ['tables', ['table_name', 'column_name', 'column_type']],
  ['asim-fields', ['schema', 'field_name', 'physical_type', 'aliased_field']],
  [
    'asim-parsers',
    ['parser_name', 'equivalent_builtin', 'filtering_parser_name', 'filtering_equivalent_builtin', 'schema', 'parser_params'],
  ],
  ['parsers', ['parser_name', 'tables']],
];

/** Sources in the order given; for tables, a later file wins over an earlier one table by table. */
export function generateCatalog(files: readonly SourceFile[]): GenerateResult {
  const fixes = new Fixes();
  const sources: CatalogSource[] = [];
  const tables = new Map<string, CatalogTable>();
  const schemas = new Map<string, ColumnSchema[]>();
  const asim: Record<string, string>[] = [];
  const parsers: Record<string, string>[] = [];

  for (const file of files) {
    const { header, records } = csvRecords(file.text);
    const kind = HEADERS.find(([, required]) => required.every((h) => header.includes(h)))?.[0];
    if (!kind)
      throw new Error(
        `${file.file}: not a catalog source (its header is ${header.slice(0, 6).join(',')}…); expected one of: ${HEADERS.map(([k, h]) => `${k} (${h.join(',')})`).join('; ')}`,
      );
    sources.push({ file: file.file, kind, sha256: createHash('sha256').update(file.text).digest('hex'), rows: records.length });
    if (kind === 'tables') {
      const fromFile = readTables(records, fixes, file.file);
      for (const table of fromFile) {
        if (tables.has(table.name)) fixes.add('table replaced by a later source', table.name);
        tables.set(table.name, table);
      }
    } else if (kind === 'asim-fields') readAsimFields(records, schemas, fixes);
    else if (kind === 'asim-parsers') asim.push(...records);
    else parsers.push(...records);
  }

  const functions = new Map<string, CatalogFunction>();
  for (const r of asim) asimFunctions(r, schemas, functions, fixes);
  for (const r of parsers) {
    const name = r.parser_name!.trim();
    if (!NAME.test(name)) fixes.add('solution parser without a function name, skipped', name);
    else if (functions.has(name)) fixes.add('solution parser also an ASIM parser, ASIM kept', name);
    else if (tables.has(name)) fixes.add('solution parser named like a table, table kept', name);
    else functions.set(name, { name });
  }

  const byName = <T extends { name: string }>(a: T, b: T): number => compareText(a.name, b.name);
  return {
    data: {
      sources,
      tables: [...tables.values()].sort(byName),
      schemas: [...schemas].map(([name, columns]) => ({ name, columns })).sort(byName),
      functions: [...functions.values()].sort(byName),
    },
    fixes: fixes.lines(),
  };
}

function readTables(records: readonly Record<string, string>[], fixes: Fixes, file: string): CatalogTable[] {
  const tables = new Map<string, Map<string, ColumnSchema>>();
  for (const r of records) {
    const table = r.table_name!.trim();
    if (!NAME.test(table)) {
      fixes.add(`row with an invalid table name, dropped (${file})`, table);
      continue;
    }
    const columns = tables.get(table) ?? new Map<string, ColumnSchema>();
    tables.set(table, columns);
    const column = columnName(r.column_name!, fixes, `${table}.`);
    const type = column ? kqlType(r.column_type!, fixes, `${table}.${column}`) : undefined;
    if (!column || !type) continue;
    if (columns.has(column)) {
      fixes.add('duplicate column, first kept', `${table}.${column}`);
      continue;
    }
    columns.set(column, { name: column, type });
  }
  return [...tables].filter(([, columns]) => columns.size > 0).map(([name, columns]) => ({ name, columns: [...columns.values()] }));
}

function readAsimFields(records: readonly Record<string, string>[], schemas: Map<string, ColumnSchema[]>, fixes: Fixes): void {
  const bySchema = new Map<string, Map<string, ColumnSchema>>();
  const aliases: { schema: string; name: string; target: string }[] = [];
  for (const r of records) {
    const schema = r.schema!.trim();
    const fields = bySchema.get(schema) ?? new Map<string, ColumnSchema>();
    bySchema.set(schema, fields);
    const name = columnName(r.field_name!, fixes, `${schema}.`);
    if (!name || fields.has(name)) continue;
    if (r.physical_type!.trim() === '') {
      // An alias has no type of its own: it is its target's (a single field), else a string.
      aliases.push({ schema, name, target: r.aliased_field!.trim() });
      fields.set(name, { name, type: 'string' });
      continue;
    }
    const type = kqlType(r.physical_type!, fixes, `${schema}.${name}`);
    if (type) fields.set(name, { name, type });
  }
  for (const alias of aliases) {
    const target = bySchema.get(alias.schema)?.get(alias.target);
    if (target) bySchema.get(alias.schema)!.set(alias.name, { name: alias.name, type: target.type });
  }
  // Every ASIM schema also has the Common fields; a schema's own definition wins.
  const common = bySchema.get('Common');
  for (const [schema, fields] of bySchema) {
    if (schema === 'Common') continue;
    for (const [name, column] of common ?? []) if (!fields.has(name)) fields.set(name, column);
    schemas.set(schema, [...fields.values()]);
  }
}

/** The four names of an ASIM parser row: ASim…/_ASim_… (unfiltered) and im…/_Im_… (filtering). */
function asimFunctions(
  r: Record<string, string>,
  schemas: ReadonlyMap<string, ColumnSchema[]>,
  out: Map<string, CatalogFunction>,
  fixes: Fixes,
): void {
  const schema = r.schema!.trim();
  if (!schemas.has(schema)) {
    fixes.add('ASIM parser of a schema without fields, skipped', r.parser_name!);
    return;
  }
  const own = (r.parser_params ?? '')
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(kustoParameter);
  const unfiltered = `(${own.join(', ')})`;
  // The filtering forms take starttime/endtime and the schema's filtering parameters, which the
  // source does not list: they are accepted by name, unchecked.
  const filtering = `(${['starttime:datetime=datetime(null)', 'endtime:datetime=datetime(null)', ...own].join(', ')})`;
  for (const name of [r.parser_name, r.equivalent_builtin]) {
    if (name?.trim()) out.set(name.trim(), { name: name.trim(), schema, parameters: unfiltered });
  }
  for (const name of [r.filtering_parser_name, r.filtering_equivalent_builtin]) {
    if (name?.trim()) out.set(name.trim(), { name: name.trim(), schema, parameters: filtering, moreNamed: true });
  }
}

/** `pack:bool=False` → `pack:bool=false` (Kusto literals are lower case). */
function kustoParameter(spec: string): string {
  const [head, value] = spec.split('=', 2) as [string, string | undefined];
  if (value === undefined) return head;
  return `${head}=${/^(true|false)$/i.test(value) ? value.toLowerCase() : value}`;
}

function columnName(raw: string, fixes: Fixes, where: string): string | undefined {
  let name = raw.trim();
  // The docs mark columns with footnote stars and "(Preview)"; neither is part of the name.
  const stripped = name.replace(/\(Preview\)/i, '').replace(/\*+$/, '');
  if (stripped !== name) {
    fixes.add('footnote marker removed from a column name', `${where}${name}`);
    name = stripped;
  }
  if (!NAME.test(name)) {
    fixes.add('row with an invalid column name, dropped', `${where}${raw}`);
    return undefined;
  }
  return name;
}

function kqlType(raw: string, fixes: Fixes, where: string): KqlType | undefined {
  const spelled = raw.trim();
  const type = TYPES[spelled] ?? TYPES[spelled.toLowerCase()];
  if (!type) {
    fixes.add('row with an unknown type, dropped', `${where} (${JSON.stringify(spelled)})`);
    return undefined;
  }
  if (type !== spelled) fixes.add(`type spelling normalised: ${spelled} → ${type}`, where);
  return type;
}

/** Counts per kind of fix, with the first few examples, for the generator's report. */
class Fixes {
  private readonly kinds = new Map<string, string[]>();

  add(kind: string, example: string): void {
    const list = this.kinds.get(kind) ?? [];
    list.push(example);
    this.kinds.set(kind, list);
  }

  lines(): string[] {
    return [...this.kinds]
      .sort(([a], [b]) => compareText(a, b))
      .map(([kind, examples]) => `${kind}: ${examples.length} (${examples.slice(0, 4).join(', ')}${examples.length > 4 ? ', …' : ''})`);
  }
}
