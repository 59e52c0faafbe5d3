// Compatibility run (not a unit test): `validate` over real Azure-Sentinel analytics rules from
// ../shared/reference/azure-sentinel-rules/ (when that folder is there). Prints one line per file and a
// summary by layer: (a) YAML, (b) schema, (c) cross-field, (d) cross-file, then KQL separately, with
// tables that have no schema in this repository counted apart from real KQL problems.
//   node test/compat/azure-sentinel.ts [--verbose]
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../scripts/core/diagnostics.ts';
import { validateContent, type SourceFile } from '../../scripts/core/validate/validate.ts';
import { loadContent, readSource } from '../../scripts/io/content.ts';
import { referenceDir } from '../bench/stats.ts';

const LAYERS = [
  ['a', 'YAML', (c: string) => c.startsWith('yaml.')],
  ['b', 'schema', (c: string) => c.startsWith('schema.')],
  ['c', 'cross-field', (c: string) => c.startsWith('rule.') || c.startsWith('watchlist.')],
  ['d', 'cross-file', (c: string) => c.startsWith('collection.') || c.startsWith('workspaces.') || c === 'kql.unknown-watchlist'],
] as const;
const isUnknownTable = (c: string) => c === 'kql.unknown-table';
const isKql = (c: string) => c.startsWith('kql.') && !isUnknownTable(c) && c !== 'kql.unknown-watchlist';

const reference = referenceDir();
if (!reference) {
  console.log('../shared/reference is not here (a fresh clone has no ../shared): nothing to check. Set SHARED_REFERENCE to its path.');
  process.exit(0);
}
const verbose = process.argv.includes('--verbose');
const corpus = join(reference, 'azure-sentinel-rules');
const repo = loadContent({ root: fileURLToPath(new URL('../../', import.meta.url)) });

const files: SourceFile[] = [];
for (const dir of ['', '_unparseable']) {
  for (const name of readdirSync(join(corpus, dir))
    .filter((n) => n.endsWith('.yaml'))
    .sort()) {
    const { text } = readSource(corpus, join(corpus, dir, name));
    files.push({ path: `rules/${dir ? `${dir}/` : ''}${name}`, text });
  }
}

// Each file alone (with this repository's watchlists and tables), then all together for collisions.
const perFile = new Map<string, Diagnostic[]>();
for (const file of files) {
  perFile.set(file.path, validateContent({ ...repo, rules: [file], workspaces: undefined }).diagnostics);
}
const together = validateContent({ ...repo, rules: files, workspaces: undefined }).diagnostics.filter((d) =>
  d.code.startsWith('collection.'),
);
for (const d of together) perFile.get(d.file)!.push(d);

const passed = { ad: 0, kql: 0, kqlUnknownOnly: 0 };
const classes = new Map<string, { count: number; example: string }>();
const unknownTables = new Map<string, number>();
for (const file of files) {
  const diagnostics = perFile.get(file.path)!.filter((d) => d.severity === 'error');
  const failedLayers = LAYERS.filter(([, , test]) => diagnostics.some((d) => test(d.code))).map(([id]) => id);
  const kql = diagnostics.filter((d) => isKql(d.code));
  const tables = [...new Set(diagnostics.filter((d) => isUnknownTable(d.code)).map((d) => /'([^']+)'/.exec(d.message)?.[1] ?? '?'))];
  for (const t of tables) unknownTables.set(t, (unknownTables.get(t) ?? 0) + 1);
  if (failedLayers.length === 0) passed.ad++;
  if (kql.length === 0 && tables.length === 0) passed.kql++;
  else if (kql.length === 0) passed.kqlUnknownOnly++;
  for (const d of diagnostics) {
    if (isUnknownTable(d.code)) continue;
    const entry = classes.get(d.code) ?? { count: 0, example: `${d.file.slice(6)}:${d.line}: ${d.message}` };
    entry.count++;
    classes.set(d.code, entry);
  }
  const status = failedLayers.length ? `FAIL ${failedLayers.join('')}` : 'pass a-d';
  const kqlStatus = kql.length ? `kql: ${kql.length} error(s)` : tables.length ? `kql: no schema for ${tables.join(', ')}` : 'kql: clean';
  console.log(`${status.padEnd(10)} ${kqlStatus.padEnd(48)} ${file.path.slice(6)}`);
  if (verbose) for (const d of diagnostics) console.log(`    ${d.line}:${d.column} ${d.code} ${d.message}`);
}

console.log(
  `\n${files.length} files: ${passed.ad} pass layers (a)-(d); KQL: ${passed.kql} clean, ${passed.kqlUnknownOnly} clean except tables without a schema here`,
);
for (const [id, name, test] of LAYERS) {
  const failing = files.filter((f) => perFile.get(f.path)!.some((d) => d.severity === 'error' && test(d.code))).length;
  console.log(`  (${id}) ${name}: ${failing} file(s) rejected`);
}
console.log('\nRejections by code (count, first example):');
for (const [code, { count, example }] of [...classes].sort((a, b) => b[1].count - a[1].count)) {
  console.log(`  ${String(count).padStart(4)}  ${code.padEnd(34)} ${example.slice(0, 160)}`);
}
console.log(
  `\nTables without a schema in schemas/tables/ (files): ${[...unknownTables]
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} (${n})`)
    .join(', ')}`,
);
