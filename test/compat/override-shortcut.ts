// Compatibility run for the override shortcut (scripts/core/kql/overrides.ts), not a unit test: over the
// real Azure-Sentinel rules in ../shared/reference/azure-sentinel-rules/ (when that folder is there),
// every top-level literal let becomes a declared parameter of the type its literal has (int, long,
// real, bool, timespan, string, int[], string[]), and workspaces override each one with several values
// of that type (including ones that change how Kusto.Language types the literal, or that are no single
// literal). It checks, and exits 1 otherwise:
//   - every override the shortcut skips analyzes clean when analyzed in full;
//   - validate reports exactly the same diagnostics with the shortcut as with every override analyzed.
//   node test/compat/override-shortcut.ts
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeKql, type KqlAnalysis } from '../../scripts/core/kql/analyze.ts';
import { literalType, overridesKeepAnalysis, parameterUses } from '../../scripts/core/kql/overrides.ts';
import { createKqlEnvironment } from '../../scripts/core/kql/symbols.ts';
import type { WatchlistSchema } from '../../scripts/core/kql/types.ts';
import { renderKqlLiteral, substituteLets } from '../../scripts/core/model/parameters.ts';
import type { ParameterType, ParameterValue } from '../../scripts/core/model/yaml-types.ts';
import { validateContent, watchlistSchema, type SourceFile } from '../../scripts/core/validate/validate.ts';
import { parseYaml } from '../../scripts/core/yaml/document.ts';
import { loadContent, readSource } from '../../scripts/io/content.ts';
import { referenceDir } from '../bench/stats.ts';

const reference = referenceDir();
if (!reference) {
  console.log('../shared/reference is not here (a fresh clone has no ../shared): nothing to check. Set SHARED_REFERENCE to its path.');
  process.exit(0);
}
const corpus = join(reference, 'azure-sentinel-rules');
const repo = loadContent({ root: fileURLToPath(new URL('../../', import.meta.url)) });
const watchlists = repo.watchlists
  .map((f) => parseYaml(f.path, f.text))
  .flatMap((p) => (p.ok ? [watchlistSchema(p.document)] : []))
  .filter((w): w is WatchlistSchema => !!w);
const env = createKqlEnvironment({ tables: repo.tables, watchlists });

/** Override values per parameter type: same-typed ones, and ones Kusto.Language types differently or that are no single literal. */
function valuesFor(type: ParameterType, text: string): ParameterValue[] {
  switch (type) {
    case 'int':
    case 'long': {
      const n = Number(text);
      return [n + 1, 0, -3, 2 ** 40, 1e21];
    }
    case 'real':
      return [Number(text) * 2 + 0.25, 3, 0.001];
    case 'bool':
      return [text !== 'true'];
    case 'timespan':
      return ['30m', '2d', '1.5h'];
    case 'string':
      return ['other', "with 'quote' and \\ backslash", 'line\nbreak', ''];
    case 'int[]':
      return [[], [1], [1, 2, 3]];
    case 'string[]':
      return [[], ['a'], ['x', "y'z"]];
  }
}

/** The parameter type a let literal has, from Kusto.Language's type of it (empty arrays alternate int[] and string[]). */
function parameterType(text: string, index: number): ParameterType | undefined {
  const type = literalType(text);
  if (type === 'long') return index % 2 ? 'int' : 'long';
  if (type === 'real' || type === 'bool' || type === 'timespan' || type === 'string') return type;
  if (type === 'dynamic[long]') return 'int[]';
  if (type === 'dynamic[string]') return 'string[]';
  if (type?.startsWith('dynamic[')) return index % 2 ? 'int[]' : 'string[]';
  return undefined;
}

const yamlValue = (v: ParameterValue): string => JSON.stringify(v);
const failed = (a: KqlAnalysis) => a.unknownTables.length > 0 || a.diagnostics.some((d) => d.severity === 'error');

let rules = 0;
let overrides = 0;
let skipped = 0;
let unsound = 0;
let mismatched = 0;
const byType = new Map<string, { parameters: number; overrides: number; skipped: number }>();

for (const name of readdirSync(corpus)
  .filter((n) => n.endsWith('.yaml'))
  .sort()) {
  const file = readSource(corpus, join(corpus, name));
  const parsed = parseYaml(file.path, file.text);
  const query = parsed.ok ? (parsed.document.value as { query?: unknown }).query : undefined;
  if (typeof query !== 'string') continue;
  const lets = analyzeKql(env, query).lets.filter((l) => l.literal);
  const parameters = lets
    .map((l, i) => ({ name: l.name, text: l.valueText, type: parameterType(l.valueText, i) }))
    .filter((p): p is { name: string; text: string; type: ParameterType } => p.type !== undefined);
  if (parameters.length === 0) continue;
  rules++;
  const slug = name.slice(0, -5);

  // Direct: each single-parameter override and one all-parameters override per value index.
  const analysis = analyzeKql(env, query);
  const uses = parameterUses(
    analysis.syntax,
    parameters.map((p) => p.name),
  );
  const sets: Map<string, string>[] = [];
  for (const p of parameters) for (const v of valuesFor(p.type, p.text)) sets.push(new Map([[p.name, renderKqlLiteral(p.type, v)]]));
  for (let i = 0; i < 5; i++) {
    sets.push(
      new Map(
        parameters.map((p) => {
          const vs = valuesFor(p.type, p.text);
          return [p.name, renderKqlLiteral(p.type, vs[i % vs.length]!)];
        }),
      ),
    );
  }
  for (const p of parameters) {
    const stats = byType.get(p.type) ?? { parameters: 0, overrides: 0, skipped: 0 };
    stats.parameters++;
    byType.set(p.type, stats);
  }
  for (const values of sets) {
    overrides++;
    const keep = overridesKeepAnalysis(query, !failed(analysis), uses, values);
    const types = [...values.keys()].map((n) => parameters.find((p) => p.name === n)!.type);
    for (const t of new Set(types)) {
      const stats = byType.get(t)!;
      stats.overrides++;
      if (keep) stats.skipped++;
    }
    if (!keep) continue;
    skipped++;
    if (failed(analyzeKql(env, substituteLets(query, analysis.lets, values)))) {
      unsound++;
      console.log(`UNSOUND ${slug}: ${[...values].map(([n, v]) => `${n} = ${v}`).join(', ')}`);
    }
  }

  // Through validate: the same overrides as workspaces, with and without the shortcut.
  const declarations = parameters.map((p) => `  ${p.name}:\n    type: ${p.type}\n    description: generated\n`).join('');
  const rule: SourceFile = { path: `rules/${name}`, text: `${file.text.replace(/\n*$/, '\n')}parameters:\n${declarations}` };
  const entries = sets.map((values, i) => {
    const lines = [...values.keys()]
      .map((n) => {
        const p = parameters.find((q) => q.name === n)!;
        const literal = values.get(n)!;
        const value = valuesFor(p.type, p.text).find((v) => renderKqlLiteral(p.type, v) === literal)!;
        return `            ${n}: ${yamlValue(value)}\n`;
      })
      .join('');
    return `    - name: ws-${i}\n      subscriptionId: 11111111-1111-1111-1111-111111111111\n      resourceGroup: rg\n      workspace: law-${i}\n      rules:\n        ${slug}:\n          parameters:\n${lines}`;
  });
  const content = {
    rules: [rule],
    watchlists: repo.watchlists,
    workspaces: { path: 'workspaces.yaml', text: `environments:\n  compat:\n${entries.join('')}` },
    tables: repo.tables,
  };
  const full = JSON.stringify(validateContent(content, { fullOverrideAnalysis: true }).diagnostics);
  const shortcut = JSON.stringify(validateContent(content).diagnostics);
  if (full !== shortcut) {
    mismatched++;
    console.log(`MISMATCH ${slug}: validate reports differently with the shortcut`);
  }
}

console.log(
  `${rules} rules with literal lets; ${overrides} overrides, ${skipped} skipped by the shortcut, ${unsound} of them unsound; ${mismatched} rules where validate's diagnostics differ`,
);
console.log('by parameter type (parameters, overrides touching it, skipped):');
for (const [type, s] of [...byType].sort())
  console.log(
    `  ${type.padEnd(9)} ${String(s.parameters).padStart(4)} ${String(s.overrides).padStart(6)} ${String(s.skipped).padStart(6)}`,
  );
process.exit(unsound + mismatched > 0 ? 1 : 0);
