// Validation time per rule — first run (Kusto.Language loading included) and warm median — for the
// repository's content and for a generated corpus of 500 varied rules, against Kusto.Language's own
// analysis time for every query the override check covers (defaults and each workspace's overrides).
// Then the figures of issue 12: 300 rules that two workspaces override (the repository's rule and
// generated ones) warm per rule — one thread analyzing every override (the former way), one thread
// with the override shortcut, and the worker pool (validate's way) — and `validate` of a 500-rule
// repository as a whole cold command. Goals: ≤ 15 ms per rule warm on 2 cores; ≤ 10 s for the command;
// validate within 1.3× of Kusto.Language alone. Benchmarks never fail on time.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { applyParameters } from '../../scripts/core/compile/alert-rule.ts';
import { ruleModels } from '../../scripts/core/compile/content.ts';
import { createKqlEnvironment } from '../../scripts/core/kql/symbols.ts';
import { kusto } from '../../scripts/core/kql/kusto.ts';
import type { WorkspacesYaml } from '../../scripts/core/model/yaml-types.ts';
import { validateContent, type ContentSet } from '../../scripts/core/validate/validate.ts';
import { loadContent } from '../../scripts/io/content.ts';
import { KqlPool } from '../../scripts/workers/kql-pool.ts';
import { validateContentParallel, workersFor } from '../../scripts/workers/validate.ts';
import { generateCorpus, overrideCorpus } from './corpus.ts';
import { measureProcess, median, ms, printTable } from './stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

export default async function (): Promise<void> {
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (figures are inflated when other work shares the cores)`,
  );
  const repo = loadContent({ root });
  const generated = generateCorpus(500);
  const corpus: ContentSet = { ...generated, tables: repo.tables };

  let start = performance.now();
  const first = validateContent(repo);
  const firstMs = performance.now() - start;
  console.log(
    `first validation of the repository (Kusto.Language load and first analysis included): ${ms(firstMs)} for ${repo.rules.length} rule(s), ${first.diagnostics.length} diagnostics`,
  );

  for (const [label, content, runs] of [
    ['repository', repo, 15],
    ['generated corpus', corpus, 5],
  ] as const) {
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
    console.log(
      `${label}: ${rules} rules, ${queries.length} queries with overrides, ${errors} errors; ` +
        `validate (one thread) warm median of ${runs}: ${ms(v)} = ${ms(v / rules)} per rule; ` +
        `Kusto.Language alone on every query: ${ms(k)} = ${ms(k / rules)} per rule; ratio ${(v / k).toFixed(2)}× (goals ≤ 15 ms/rule, ≤ 1.3×)`,
    );
  }

  await overrides(repo);
  commandCold(repo);
}

/** 300 rules × two overriding workspaces, warm, three ways. */
async function overrides(repo: ContentSet): Promise<void> {
  const RULES = 300;
  const RUNS = 5;
  const content: ContentSet = {
    ...overrideCorpus(
      RULES,
      repo.rules.find((r) => r.path.includes('ipsum-inbound'))!,
    ),
    tables: repo.tables,
  };
  const workers = Math.max(2, workersFor(RULES));
  const pool = new KqlPool(workers);
  const ways: [string, () => unknown][] = [
    ['one thread, every override analysed (the former way)', () => validateContent(content, { fullOverrideAnalysis: true })],
    ['one thread, override shortcut', () => validateContent(content)],
    [`${workers} worker threads, override shortcut (validate's way)`, () => validateContentParallel(content, { pool })],
  ];
  const reference = JSON.stringify(validateContent(content, { fullOverrideAnalysis: true }).diagnostics);
  const rows: string[][] = [];
  try {
    for (const [label, run] of ways) {
      const same = JSON.stringify(((await run()) as { diagnostics: unknown }).diagnostics) === reference; // warm-up, and the same answer
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const c = process.cpuUsage();
        const t = performance.now();
        await run();
        wall.push(performance.now() - t);
        const u = process.cpuUsage(c);
        cpu.push((u.user + u.system) / 1000);
      }
      const w = median(wall) / RULES;
      rows.push([label, ms(w), ms(median(cpu) / RULES), same ? 'same' : 'DIFFERENT', w <= 15 ? 'met' : 'missed']);
    }
  } finally {
    await pool.close();
  }
  console.log(
    `\n${RULES} rules, each overridden by two workspaces (the repository's rule and generated ones), warm, median of ${RUNS}, per rule:`,
  );
  printTable(['', 'wall', 'CPU (all threads)', 'diagnostics', 'goal ≤ 15 ms'], rows, 1);
}

/** `validate` of a repository of 500 generated rules, as a whole command from a cold process. */
function commandCold(repo: ContentSet): void {
  const RUNS = 3;
  const dir = mkdtempSync(join(tmpdir(), 'sentinel-validate-bench-'));
  try {
    const corpus = generateCorpus(500);
    for (const file of [...corpus.rules, ...corpus.watchlists, corpus.workspaces]) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.text);
    }
    // The repository's schemas (the table catalog and functions with them) and its CLI, run from there
    // (the CLI validates the repository it sits in).
    for (const entry of ['schemas', 'scripts', 'package.json']) cpSync(join(root, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const f = measureProcess(process.execPath, [join(dir, 'scripts', 'bin.js'), 'validate', '--format', 'json'], { cwd: dir, runs: RUNS });
    console.log(
      `\nvalidate of a 500-rule repository (${repo.tables.length} repository tables, ${catalogTables(repo)} in the catalog), whole command, cold process, median of ${RUNS} on ${availableParallelism()} cores: ` +
        `${ms(f.wallMs)} wall, ${ms(f.cpuMs)} CPU, ${f.rssMiB.toFixed(0)} MB peak RSS (goal ≤ 10 s wall)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function catalogTables(content: ContentSet): number {
  return new Set((content.providers ?? []).flatMap((p) => p.tableNames())).size;
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
  const env = createKqlEnvironment({
    tables: content.tables,
    watchlists: [
      {
        alias: 'ipsum',
        columns: [
          { name: 'IPAddress', type: 'string' },
          { name: 'Score', type: 'int' },
        ],
      },
    ],
  });
  for (const query of queries) {
    const code = k.KustoCode.ParseAndAnalyze(query, env.globals);
    code.GetDiagnostics();
    void code.ResultType;
  }
  return performance.now() - start;
}
