// Compatibility run (not a unit test): the content lints over real Azure-Sentinel analytics rules in
// ../shared/reference/azure-sentinel-rules/ (when that folder is there). Prints, per lint, how many rules
// it flags and where, then the totals table; `--examples N` limits the places listed per lint (default all).
//   node test/compat/azure-sentinel-lints.ts [--examples N]
// Tables: the repository's schemas, then — for tables the repository does not know — the Log Analytics
// table reference in ../shared/reference/tables/catalog-sources/ (types normalised as its SOURCES.md says),
// so that the lints see real columns instead of open placeholder tables.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isKqlType, type KqlType, type TableSchema } from '../../scripts/core/kql/types.ts';
import { LINT_CODES } from '../../scripts/core/lint/registry.ts';
import { validateContent, type SourceFile } from '../../scripts/core/validate/validate.ts';
import { loadContent, readSource } from '../../scripts/io/content.ts';
import { referenceDir } from '../bench/stats.ts';

const reference = referenceDir();
if (!reference) {
  console.log('../shared/reference is not here (a fresh clone has no ../shared): nothing to lint. Set SHARED_REFERENCE to its path.');
  process.exit(0);
}
const limitAt = process.argv.indexOf('--examples');
const limit = limitAt > 0 ? Number(process.argv[limitAt + 1]) : Infinity;
const corpus = join(reference, 'azure-sentinel-rules');
const repo = loadContent({ root: fileURLToPath(new URL('../../', import.meta.url)) });
const tables = withCatalog(repo.tables, join(reference, 'tables', 'catalog-sources'));

const files: SourceFile[] = readdirSync(corpus).filter((n) => n.endsWith('.yaml')).sort()
  .map((name) => ({ path: `rules/${name}`, text: readSource(corpus, join(corpus, name)).text }));

const flagged = new Map<string, { file: string; line: number; column: number; excerpt: string }[]>(LINT_CODES.map((c) => [c, []]));
let linted = 0;
for (const file of files) {
  const { diagnostics } = validateContent({ rules: [file], watchlists: repo.watchlists, tables });
  linted++;
  const lines = file.text.split('\n');
  for (const d of diagnostics) {
    const list = flagged.get(d.code);
    if (!list) continue;
    list.push({ file: d.file.slice('rules/'.length), line: d.line, column: d.column, excerpt: (lines[d.line - 1] ?? '').trim() });
  }
}

console.log(`${linted} rules from ${corpus} (the _unparseable/ ones are not YAML); ${tables.length} table schemas\n`);
for (const [code, hits] of flagged) {
  const rules = new Set(hits.map((h) => h.file));
  console.log(`${code}: ${rules.size} rule(s), ${hits.length} place(s)`);
  for (const h of hits.slice(0, limit)) console.log(`  ${h.file}:${h.line}:${h.column}  ${h.excerpt.slice(0, 110)}`);
}
console.log('\n| lint | rules flagged | places |\n| --- | --- | --- |');
for (const [code, hits] of flagged) console.log(`| \`${code}\` | ${new Set(hits.map((h) => h.file)).size} | ${hits.length} |`);

/** The repository's tables, plus every other table of the Log Analytics table reference (newest snapshot first). */
function withCatalog(own: readonly TableSchema[], dir: string): TableSchema[] {
  const out = new Map(own.map((t) => [t.name, t]));
  if (!existsSync(dir)) return [...out.values()];
  const snapshots = readdirSync(dir).filter((n) => /^la_table_schemas\..*\.csv$/.test(n)).sort().reverse();
  const fromCatalog = new Map<string, TableSchema>();
  for (const name of snapshots) {
    const seenHere = new Map<string, TableSchema>();
    for (const [table, column, type] of csvRows(readFileSync(join(dir, name), 'utf8')).slice(1)) {
      if (!table || !column || out.has(table) || (fromCatalog.has(table) && !seenHere.has(table))) continue;
      const kqlType = normaliseType(type ?? '');
      if (!kqlType || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(column)) continue;
      const schema = seenHere.get(table) ?? { name: table, columns: [] };
      if (!schema.columns.some((c) => c.name === column)) schema.columns.push({ name: column, type: kqlType });
      seenHere.set(table, schema);
    }
    for (const [table, schema] of seenHere) fromCatalog.set(table, schema);
  }
  // Every Log Analytics table has TimeGenerated (the reference data omits it for AzureDiagnostics);
  // Defender XDR tables streamed into Sentinel carry Timestamp too (SOURCES.md).
  for (const schema of fromCatalog.values()) {
    if (!schema.columns.some((c) => c.name === 'TimeGenerated')) schema.columns.unshift({ name: 'TimeGenerated', type: 'datetime' });
    if (/^(Device|Email|Identity|Alert|Cloud|UrlClick)/.test(schema.name) && !schema.columns.some((c) => c.name === 'Timestamp')) {
      schema.columns.push({ name: 'Timestamp', type: 'datetime' });
    }
  }
  return [...out.values(), ...fromCatalog.values()];
}

function normaliseType(type: string): KqlType | undefined {
  const t = type.trim();
  const map: Record<string, KqlType> = { Double: 'real', double: 'real', Guid: 'guid', BigInt: 'long', Bool: 'bool', boolean: 'bool', enum: 'string', String: 'string', DateTime: 'datetime', Int: 'int', Long: 'long' };
  if (map[t]) return map[t];
  return isKqlType(t.toLowerCase()) ? (t.toLowerCase() as KqlType) : undefined;
}

/** RFC 4180 rows (quoted fields, doubled quotes). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\n') { row.push(field.replace(/\r$/, '')); rows.push(row); row = []; field = ''; } else field += c;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
