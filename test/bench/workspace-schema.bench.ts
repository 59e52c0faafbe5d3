// Workspace schema snapshots: the size and read time of a snapshot as large as a full workspace (every
// catalog table), and the per-workspace check of 500 generated rules against three such workspaces —
// when they define what the rules read as the repository does (the check only reads the queries'
// names) and when every workspace differs (one analysis per rule and distinct schema).
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { environmentNames, workspacesOf } from '../../scripts/core/model/workspaces.ts';
import type { WorkspacesYaml } from '../../scripts/core/model/yaml-types.ts';
import { parseSnapshot, renderSnapshot, type WorkspaceSnapshot } from '../../scripts/core/schema/snapshot.ts';
import { validateContent } from '../../scripts/core/validate/validate.ts';
import { workspaceSchemaDiagnostics } from '../../scripts/core/validate/workspace-schema.ts';
import { loadCatalog } from '../../scripts/io/catalog.ts';
import { loadTableSchemas } from '../../scripts/io/tables.ts';
import { generateCorpus } from './corpus.ts';
import { median, ms } from './stats.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const RULES = 500;

export default async function (): Promise<void> {
  const catalog = loadCatalog(root);
  const repoTables = loadTableSchemas(`${root}schemas/tables`);
  const declared = new Set(repoTables.map((t) => t.name));
  const full = [...repoTables, ...[...catalog.tableNames()].filter((n) => !declared.has(n)).map((n) => catalog.table(n)!)];

  const corpus = generateCorpus(RULES);
  const validation = validateContent({
    rules: corpus.rules,
    watchlists: corpus.watchlists,
    workspaces: corpus.workspaces,
    tables: repoTables,
    providers: [catalog],
  });
  const config = validation.parsed.workspaces!.value as WorkspacesYaml;
  const first = environmentNames(config).flatMap((e) => workspacesOf(config, e))[0]!;
  // Three workspaces like the corpus's first, each with a snapshot of every table.
  const workspaces = [1, 2, 3].map((i) => ({ ...first, name: `${first.name}-${i}` }));
  const snapshotOf = (name: string, extra?: string): WorkspaceSnapshot => ({
    workspace: name,
    environment: first.environment,
    source: { resourceGroup: first.resourceGroup, workspace: first.workspace },
    functions: [],
    watchlists: [],
    tables: full.map((t) => ({
      name: t.name,
      plan: 'Analytics',
      columns: extra ? [...t.columns, { name: extra, type: 'string' }] : t.columns,
    })),
  });

  const text = renderSnapshot(snapshotOf('ws'));
  const reads: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    parseSnapshot('ws.json', text);
    reads.push(performance.now() - start);
  }
  const columns = full.reduce((n, t) => n + t.columns.length, 0);
  console.log(
    `snapshot of ${full.length} tables, ${columns} columns: ${(text.length / 1e6).toFixed(2)} MB, read in ${ms(median(reads))} (median of 5)`,
  );

  for (const mode of ['agree', 'differ'] as const) {
    const snapshots = workspaces.map((w, i) => ({
      path: `schemas/workspaces/${w.name}.json`,
      name: w.name,
      snapshot: snapshotOf(w.name, mode === 'differ' ? `Extra${i}` : undefined),
    }));
    const start = performance.now();
    const diagnostics = workspaceSchemaDiagnostics({
      parsed: validation.parsed,
      diagnostics: validation.diagnostics,
      workspaces,
      snapshots,
      everywhere: [catalog],
      repoTables,
      repoFunctions: [],
    });
    const took = performance.now() - start;
    console.log(
      `per-workspace check, ${RULES} rules × ${workspaces.length} workspaces that ${mode === 'agree' ? 'agree with the repository' : 'each differ'}: ` +
        `${ms(took)} (${ms(took / RULES / workspaces.length)} per rule and workspace), ${diagnostics.length} diagnostics`,
    );
  }
}
