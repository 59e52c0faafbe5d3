// The KQL layer on the repo's detection query: Kusto.Language load, first analysis, and the warm
// median of analyzeKql against Kusto.Language's own ParseAndAnalyze + GetDiagnostics + ResultType
// with the same text and globals (goal: the wrapper within 1.3× of the raw analysis).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { analyzeKql } from '../../scripts/core/kql/analyze.ts';
import { createKqlEnvironment } from '../../scripts/core/kql/symbols.ts';
import type { ColumnSchema, KqlType } from '../../scripts/core/kql/types.ts';
import { isKustoLoaded, kusto } from '../../scripts/core/kql/kusto.ts';
import { parseYaml } from '../../scripts/core/yaml/document.ts';
import { loadTableSchemas } from '../../scripts/io/tables.ts';
import { median, ms } from './stats.ts';

const RUNS = 40;
const root = new URL('../../', import.meta.url);

function yamlValue(path: string): Record<string, unknown> {
  const parsed = parseYaml(path, readFileSync(new URL(path, root), 'utf8'));
  if (!parsed.ok) throw new Error(`${path} does not parse: ${parsed.diagnostics[0]?.message}`);
  return parsed.document.value as Record<string, unknown>;
}

export default async function (): Promise<void> {
  const rule = yamlValue('rules/ipsum-inbound-internet-facing.yaml');
  const watchlist = yamlValue('watchlists/ipsum.yaml');
  const query = String(rule.query);
  const columns = (watchlist.columns as { name: string; type: string }[]).map((c): ColumnSchema => ({
    name: c.name,
    type: c.type as KqlType,
  }));

  if (isKustoLoaded()) {
    console.log('Kusto.Language load: already loaded by an earlier benchmark in this process');
  } else {
    let start = performance.now();
    const k = kusto();
    console.log(`Kusto.Language load (require): ${ms(performance.now() - start)}`);
    start = performance.now();
    void k.GlobalState.Default;
    console.log(`Kusto.Language default globals (built-in functions, first use): ${ms(performance.now() - start)}`);
  }

  let start = performance.now();
  const env = createKqlEnvironment({
    tables: loadTableSchemas(fileURLToPath(new URL('schemas/tables/', root))),
    watchlists: [{ alias: String(watchlist.alias), columns }],
  });
  console.log(`environment (table schemas read + symbols + GlobalState): ${ms(performance.now() - start)}`);

  start = performance.now();
  const first = analyzeKql(env, query);
  console.log(
    `first analysis of the detection query (${query.length} chars): ${ms(performance.now() - start)}, ` +
      `${first.diagnostics.length} diagnostics, ${first.columns?.length ?? 0} result columns`,
  );

  const k = kusto();
  const raw = (): void => {
    const code = k.KustoCode.ParseAndAnalyze(query, env.globals);
    code.GetDiagnostics();
    void code.ResultType;
  };
  const time = (fn: () => unknown, into: number[]): void => {
    const begin = performance.now();
    fn();
    into.push(performance.now() - begin);
  };
  // Interleaved, alternating which goes first, so that drift (GC, CPU frequency, other processes)
  // hits both sides alike.
  const wrapped: number[] = [];
  const kustoOnly: number[] = [];
  for (let i = 0; i < 5; i++) time(raw, []); // let the JIT settle after the first analysis
  for (let i = 0; i < RUNS; i++) {
    if (i % 2 === 0) {
      time(() => analyzeKql(env, query), wrapped);
      time(raw, kustoOnly);
    } else {
      time(raw, kustoOnly);
      time(() => analyzeKql(env, query), wrapped);
    }
  }
  const w = median(wrapped);
  const r = median(kustoOnly);
  console.log(`warm analyzeKql, median of ${RUNS}: ${ms(w)}`);
  console.log(`warm Kusto.Language ParseAndAnalyze + GetDiagnostics + ResultType, median of ${RUNS}: ${ms(r)}`);
  console.log(`ratio analyzeKql / Kusto.Language: ${(w / r).toFixed(2)}× (goal ≤ 1.3×)`);

  // The error path: an unknown table makes the wrapper analyze twice (once more with a placeholder).
  const unknown = query.replace('DeviceNetworkEvents\n', 'DeviceNetworkEventz\n');
  const slow: number[] = [];
  for (let i = 0; i < 10; i++) {
    start = performance.now();
    analyzeKql(env, unknown);
    slow.push(performance.now() - start);
  }
  console.log(`warm analyzeKql with an unknown table (two analyses), median of 10: ${ms(median(slow))}`);
}
