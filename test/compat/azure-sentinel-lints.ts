// Compatibility run (not a unit test): the content lints over real Azure-Sentinel analytics rules in
// ../shared/reference/azure-sentinel-rules/ (when that folder is there). Prints, per lint, how many rules
// it flags and where, then the totals table; `--examples N` limits the places listed per lint (default all).
//   node test/compat/azure-sentinel-lints.ts [--examples N]
// Tables and functions: what validate knows (schemas/tables/, the generated catalog, schemas/functions/),
// so that the lints see real columns instead of open placeholder tables.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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

const files: SourceFile[] = readdirSync(corpus)
  .filter((n) => n.endsWith('.yaml'))
  .sort()
  .map((name) => ({ path: `rules/${name}`, text: readSource(corpus, join(corpus, name)).text }));

const flagged = new Map<string, { file: string; line: number; column: number; excerpt: string }[]>(LINT_CODES.map((c) => [c, []]));
let linted = 0;
for (const file of files) {
  const { diagnostics } = validateContent({ ...repo, rules: [file], workspaces: undefined });
  linted++;
  const lines = file.text.split('\n');
  for (const d of diagnostics) {
    const list = flagged.get(d.code);
    if (!list) continue;
    list.push({ file: d.file.slice('rules/'.length), line: d.line, column: d.column, excerpt: (lines[d.line - 1] ?? '').trim() });
  }
}

console.log(`${linted} rules from ${corpus} (the _unparseable/ ones are not YAML)\n`);
for (const [code, hits] of flagged) {
  const rules = new Set(hits.map((h) => h.file));
  console.log(`${code}: ${rules.size} rule(s), ${hits.length} place(s)`);
  for (const h of hits.slice(0, limit)) console.log(`  ${h.file}:${h.line}:${h.column}  ${h.excerpt.slice(0, 110)}`);
}
console.log('\n| lint | rules flagged | places |\n| --- | --- | --- |');
for (const [code, hits] of flagged) console.log(`| \`${code}\` | ${new Set(hits.map((h) => h.file)).size} | ${hits.length} |`);
