// Validation time per rule — first run (Kusto.Language loading included) and warm median — for the
// repository's content and for a generated corpus of 500 varied rules, against Kusto.Language's own
// analysis time for exactly the queries validate analyzes (defaults and each workspace's overrides).
// Goals: ≤ 15 ms per rule warm; validate within 1.3× of Kusto.Language alone.
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { applyParameters } from '../../scripts/core/compile/alert-rule.ts';
import { ruleModels } from '../../scripts/core/compile/content.ts';
import { createKqlEnvironment } from '../../scripts/core/kql/symbols.ts';
import { kusto } from '../../scripts/core/kql/kusto.ts';
import type { WorkspacesYaml } from '../../scripts/core/model/yaml-types.ts';
import { validateContent, type ContentSet } from '../../scripts/core/validate/validate.ts';
import { loadContent } from '../../scripts/io/content.ts';
import { generateCorpus } from './corpus.ts';
import { median, ms } from './stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default async function (): Promise<void> {
  const repo = loadContent({ root });
  const generated = generateCorpus(500);
  const corpus: ContentSet = { ...generated, tables: repo.tables };

  let start = performance.now();
  const first = validateContent(repo);
  const firstMs = performance.now() - start;
  console.log(`first validation of the repository (Kusto.Language load and first analysis included): ${ms(firstMs)} for ${repo.rules.length} rule(s), ${first.diagnostics.length} diagnostics`);

  for (const [label, content, runs] of [['repository', repo, 15], ['generated corpus', corpus, 5]] as const) {
    const result = validateContent(content); // warm-up, and the queries to compare with
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    const queries = analyzedQueries(result);
    const validateRuns: number[] = [];
    const kustoRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      start = performance.now();
      validateContent(content);
      validateRuns.push(performance.now() - start);
      kustoRuns.push(rawKusto(content, queries));
    }
    const rules = content.rules.length;
    const v = median(validateRuns);
    const k = median(kustoRuns);
    console.log(`${label}: ${rules} rules, ${queries.length} analyzed queries, ${errors} errors; ` +
      `validate warm median of ${runs}: ${ms(v)} = ${ms(v / rules)} per rule; ` +
      `Kusto.Language alone: ${ms(k)} = ${ms(k / rules)} per rule; ratio ${(v / k).toFixed(2)}× (goals ≤ 15 ms/rule, ≤ 1.3×)`);
  }
}

/** Every analysis the KQL layer runs: each rule's query, plus each distinct override variant of it. */
function analyzedQueries(result: ReturnType<typeof validateContent>): string[] {
  const queries: string[] = [];
  const config = result.parsed.workspaces?.value as WorkspacesYaml | undefined;
  for (const rule of ruleModels(result.parsed)) {
    queries.push(rule.yaml.query);
    const variants = new Set<string>();
    for (const list of Object.values(config?.environments ?? {})) {
      for (const ws of list) {
        const override = ws.rules?.[rule.slug];
        if (override?.parameters) variants.add(applyParameters(rule, override));
      }
    }
    queries.push(...variants);
  }
  return queries;
}

function rawKusto(content: ContentSet, queries: readonly string[]): number {
  const k = kusto();
  const start = performance.now();
  // The same environment validate builds: table schemas and the watchlist-typed _GetWatchlist.
  const env = createKqlEnvironment({ tables: content.tables, watchlists: [{ alias: 'ipsum', columns: [{ name: 'IPAddress', type: 'string' }, { name: 'Score', type: 'int' }] }] });
  for (const query of queries) {
    const code = k.KustoCode.ParseAndAnalyze(query, env.globals);
    code.GetDiagnostics();
    void code.ResultType;
  }
  return performance.now() - start;
}
