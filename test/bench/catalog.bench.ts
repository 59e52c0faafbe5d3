// The table catalog's cost: loading it, what it adds to a cold validate (whole fresh processes, with
// and without schemas/catalog), validating the Azure-Sentinel compatibility corpus (ms per rule, peak
// RSS; needs ../shared/reference), and 500 rules over catalog tables against Kusto.Language's own
// analysis time for the same queries. Goals: ≤ 100 ms added to a cold validate; ≤ 1.3× Kusto.Language.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { catalogProvider } from '../../scripts/core/catalog/catalog.ts';
import { kusto } from '../../scripts/core/kql/kusto.ts';
import { createKqlEnvironment } from '../../scripts/core/kql/symbols.ts';
import { validateContent, type ContentSet, type SourceFile } from '../../scripts/core/validate/validate.ts';
import { readCatalogTexts } from '../../scripts/io/catalog.ts';
import { loadContent, readSource } from '../../scripts/io/content.ts';
import { median, ms, referenceDir } from './stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const self = fileURLToPath(import.meta.url);
const COLD_RUNS = 7;

type ChildMode = 'repo' | 'repo-no-catalog' | 'compat';

export default async function (): Promise<void> {
  // 1. Loading: read the three files and index the tables (what the first query pays).
  const loads: number[] = [];
  for (let i = 0; i < 9; i++) {
    const start = performance.now();
    catalogProvider(readCatalogTexts(root)).table('SecurityEvent');
    loads.push(performance.now() - start);
  }
  const catalog = catalogProvider(readCatalogTexts(root));
  const names = catalog.tableNames();
  let start = performance.now();
  for (const name of names) catalog.table(name);
  const parseAll = performance.now() - start;
  kusto();
  start = performance.now();
  createKqlEnvironment({ tables: names.map((n) => catalog.table(n)!), watchlists: [] });
  const symbolsAll = performance.now() - start;
  console.log(
    `catalog load (read + index + first table), median of 9: ${ms(median(loads))}; ${names.length} tables: parsing all ${ms(parseAll)}, ` +
      `Kusto.Language symbols for all ${ms(symbolsAll)} (what loading only the tables a query names avoids)`,
  );

  // 2. Cold validate of the repository in fresh processes, with and without the catalog.
  // Interleaved, so that load from other processes hits both alike.
  const runs = { repo: [] as number[], 'repo-no-catalog': [] as number[] };
  for (let i = 0; i < COLD_RUNS; i++) for (const mode of ['repo', 'repo-no-catalog'] as const) runs[mode].push(child(mode).wall);
  const [withCatalog, without] = [median(runs.repo), median(runs['repo-no-catalog'])];
  console.log(
    `cold validate of the repository (whole process, median of ${COLD_RUNS}): ${ms(withCatalog)} with the catalog, ${ms(without)} without: ` +
      `the catalog adds ${ms(withCatalog - without)} (goal ≤ 100 ms)`,
  );

  // 3. The Azure-Sentinel compatibility corpus.
  if (referenceDir()) {
    const c = child('compat');
    console.log(`compatibility corpus, cold process: ${c.out.trim()}, peak RSS ${(c.maxRssKb / 1024).toFixed(0)} MB`);
  } else {
    console.log('compatibility corpus: ../shared/reference is not here (set SHARED_REFERENCE): skipped');
  }

  // 4. 500 rules over catalog tables, warm, against Kusto.Language alone on the same queries.
  const content: ContentSet = { ...loadContent({ root }), rules: catalogCorpus(500, names, catalog), workspaces: undefined };
  validateContent(content); // warm-up
  const env = createKqlEnvironment({ tables: content.tables, watchlists: [], providers: content.providers });
  const queries = content.rules.map((r) => /query: \|\n([\s\S]*?)\nentityMappings:/.exec(r.text)![1]!.replace(/^ {2}/gm, ''));
  const prepared = queries.map((q) => ({ q, globals: env.prepare(q).globals }));
  const k = kusto();
  // CPU time (this process), interleaved runs: the machine is shared, wall time is noisy.
  const cpu = (fn: () => void): number => {
    const before = process.cpuUsage();
    fn();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const v: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < 7; i++) {
    v.push(cpu(() => validateContent(content)));
    raw.push(
      cpu(() => {
        for (const { q, globals } of prepared) {
          const code = k.KustoCode.ParseAndAnalyze(q, globals);
          code.GetDiagnostics();
          void code.ResultType;
        }
      }),
    );
  }
  const [mv, mk] = [median(v), median(raw)];
  console.log(
    `500 rules over ${new Set(queries.map((q) => q.split('\n')[0])).size} catalog tables, warm CPU-time median of 7: validate ${ms(mv)} = ${ms(mv / 500)} per rule; ` +
      `Kusto.Language alone ${ms(mk)} = ${ms(mk / 500)} per rule; ratio ${(mv / mk).toFixed(2)}× (goal ≤ 1.3×)`,
  );
}

function child(mode: ChildMode): { wall: number; maxRssKb: number; out: string } {
  const start = performance.now();
  const run = spawnSync(process.execPath, [...process.execArgv, self], {
    cwd: root,
    env: { ...process.env, CATALOG_BENCH_CHILD: mode },
    encoding: 'utf8',
  });
  const wall = performance.now() - start;
  if (run.status !== 0) throw new Error(`catalog bench child (${mode}) failed: ${run.stderr}`);
  const [rss, ...out] = run.stdout.split('\n');
  return { wall, maxRssKb: Number(rss), out: out.join('\n') };
}

/** Rules that each read one catalog table (string and datetime columns picked from it). */
function catalogCorpus(count: number, names: readonly string[], catalog: ReturnType<typeof catalogProvider>): SourceFile[] {
  const usable = names
    .map((n) => catalog.table(n)!)
    .filter(
      (t) =>
        t.columns.some((c) => c.name === 'TimeGenerated') &&
        t.columns.filter((c) => c.type === 'string' && !c.name.startsWith('_')).length >= 2,
    );
  return Array.from({ length: count }, (_, i) => {
    const table = usable[(i * 7919) % usable.length]!;
    const [a, b] = table.columns.filter((c) => c.type === 'string' && !c.name.startsWith('_'));
    const id = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
    const query = [
      `${table.name}`,
      '| where TimeGenerated > ago(1h)',
      `| where isnotempty(${a!.name})`,
      `| summarize Count = count(), First = min(TimeGenerated) by ${a!.name}, ${b!.name}`,
      `| extend Account = ${a!.name}`,
      '| where Count > 5',
    ].join('\n');
    const text =
      `# yaml-language-server: $schema=../schemas/rule.schema.json\nid: ${id}\nname: Catalog bench rule ${i}\ndescription: Reads ${table.name}.\nseverity: Low\n` +
      'requiredDataConnectors: []\nqueryFrequency: 1h\nqueryPeriod: 1h\ntriggerOperator: gt\ntriggerThreshold: 0\ntactics:\n  - Discovery\nrelevantTechniques:\n  - T1087\n' +
      `query: |\n${query
        .split('\n')
        .map((l) => `  ${l}`)
        .join(
          '\n',
        )}\nentityMappings:\n  - entityType: Account\n    fieldMappings:\n      - identifier: Name\n        columnName: Account\n` +
      `customDetails:\n  Count: Count\nversion: 1.0.0\nkind: Scheduled\n`;
    return { path: `rules/catalog-bench-${i}.yaml`, text };
  });
}

async function childMain(mode: ChildMode): Promise<void> {
  if (mode === 'compat') {
    const corpus = join(referenceDir()!, 'azure-sentinel-rules');
    const files: SourceFile[] = [];
    for (const dir of ['', '_unparseable']) {
      for (const name of readdirSync(join(corpus, dir))
        .filter((n) => n.endsWith('.yaml'))
        .sort()) {
        const file = readSource(corpus, join(corpus, dir, name));
        files.push({ path: `rules/${dir ? `${dir}/` : ''}${name}`, text: file.text });
      }
    }
    const repo = loadContent({ root });
    let start = performance.now();
    validateContent({ ...repo, rules: files, workspaces: undefined });
    const cold = performance.now() - start;
    start = performance.now();
    validateContent({ ...repo, rules: files, workspaces: undefined });
    const warm = performance.now() - start;
    process.stdout.write(
      `${process.resourceUsage().maxRSS}\n${files.length} files, ${ms(cold / files.length)} per rule cold (Kusto.Language load included), ${ms(warm / files.length)} per rule warm`,
    );
    return;
  }
  const content = loadContent({ root });
  validateContent(mode === 'repo' ? content : { ...content, providers: [] });
  process.stdout.write(`${process.resourceUsage().maxRSS}\n`);
}

if (process.env.CATALOG_BENCH_CHILD) await childMain(process.env.CATALOG_BENCH_CHILD as ChildMode);
