// The KQL layer in worker threads gives validate's answer: the same diagnostics (KQL, result columns,
// parameters, lints, workspace overrides) and the same lets, merged in rule order, whichever worker
// analysed which rule; parsed.kql still serves build. Little content stays in one thread.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateContent, type ContentSet } from '../../scripts/core/validate/validate.ts';
import { KqlPool } from '../../scripts/workers/kql-pool.ts';
import { validateContentParallel, workersFor, RULES_PER_WORKER } from '../../scripts/workers/validate.ts';
import { generateCorpus, overrideCorpus } from '../bench/corpus.ts';
import { loadContent } from '../../scripts/io/content.ts';
import { fixture, repoRoot, repoTables } from '../support/content.ts';

const pool = new KqlPool(2);
afterAll(() => pool.close());

/** The repository's rule and generated rules with two overriding workspaces, plus defects that every later layer reports. */
function content(): ContentSet {
  const repositoryRule = {
    path: 'rules/ipsum-inbound-internet-facing.yaml',
    text: readFileSync(join(repoRoot, 'rules/ipsum-inbound-internet-facing.yaml'), 'utf8'),
  };
  const corpus = overrideCorpus(16, repositoryRule);
  const rules = corpus.rules.map((rule, i) => {
    if (i === 7)
      return { ...rule, text: rule.text.replace('| where RemotePort >= MinPort', '| where RemotePort >= MinPort and NoSuchColumn > 1') };
    if (i === 8) return { ...rule, text: rule.text.replace('columnName: RemoteIP', 'columnName: RemoteIp') };
    if (i === 9) return { ...rule, text: rule.text.replace('\n  DeviceNetworkEvents\n', '\n  DeviceNetworkEventz\n') };
    // A string parameter naming the table: an override can break the query (kql.override).
    if (i === 13)
      return {
        ...rule,
        text: rule.text
          .replace('parameters:\n', 'parameters:\n  Source:\n    type: string\n    description: The table.\n')
          .replace('query: |\n', "query: |\n  let Source = 'DeviceNetworkEvents';\n")
          .replace('  DeviceNetworkEvents\n', '  table(Source)\n'),
      };
    return rule;
  });
  const workspaces = {
    ...corpus.workspaces,
    text: corpus.workspaces.text.replace(
      'generated-0012:\n          parameters:\n',
      'generated-0012:\n          parameters:\n            Source: NoSuchTable\n',
    ),
  };
  return { ...corpus, rules, workspaces, tables: repoTables() };
}

// Each worker loads Kusto.Language (about a second of CPU): generous time on a busy machine.
describe('validate in worker threads', { timeout: 120_000 }, () => {
  it('reports what one thread reports, in the same order, with the same lets', async () => {
    const alone = validateContent(content());
    const parallel = await validateContentParallel(content(), { pool });
    expect(parallel.diagnostics).toEqual(alone.diagnostics);
    expect([...parallel.parsed.lets]).toEqual([...alone.parsed.lets]);
    expect(parallel.files).toBe(alone.files);
    // Not vacuous: KQL, column and table errors, lints from the syntax tree.
    const codes = new Set(alone.diagnostics.map((d) => d.code));
    for (const code of ['kql.KS142', 'kql.column-case', 'kql.unknown-table', 'kql.override']) expect(codes).toContain(code);
    expect([...codes].some((c) => c.startsWith('lint.'))).toBe(true);
  });

  it('gives the same answer again on the warm pool, and with every override analysed', async () => {
    const alone = validateContent(content(), { fullOverrideAnalysis: true });
    expect((await validateContentParallel(content(), { pool, fullOverrideAnalysis: true })).diagnostics).toEqual(alone.diagnostics);
    expect((await validateContentParallel(content(), { pool })).diagnostics).toEqual(alone.diagnostics);
  });

  it('builds the KQL environment in this thread only when asked (build reuses it)', async () => {
    const parallel = await validateContentParallel(content(), { pool });
    const env = parallel.parsed.kql;
    expect(env?.tables).toEqual(repoTables().map((t) => t.name));
    expect(parallel.parsed.kql).toBe(env);
    const empty = await validateContentParallel(
      { rules: [], watchlists: [{ path: 'watchlists/ipsum.yaml', text: fixture.watchlist }], tables: repoTables() },
      { pool },
    );
    expect(empty.parsed.kql).toBeUndefined();
  });

  it('a worker that fails fails the job with its error, and the pool takes no further job', async () => {
    const broken = new KqlPool(1);
    try {
      const table = repoTables()[0]!;
      const job = {
        environment: { tables: [table, table], watchlists: [], providers: [] },
        workspaces: undefined,
        rules: [{ slug: 'r', file: { path: 'rules/r.yaml', text: fixture.rule }, overrides: [] }],
        fullOverrideAnalysis: false,
      };
      await expect(broken.run(job)).rejects.toThrow(`table ${table.name} is declared twice`);
      await expect(broken.run(job)).rejects.toThrow('declared twice');
    } finally {
      await broken.close();
    }
  });

  it('stays in one thread when a schema provider cannot be described to a worker', async () => {
    const opaque = { table: () => undefined, function: () => undefined, tableNames: () => [], functionNames: () => [] };
    const withOpaque: ContentSet = { ...content(), providers: [opaque] };
    expect((await validateContentParallel(withOpaque, { pool })).diagnostics).toEqual(validateContent(withOpaque).diagnostics);
  });

  it('uses workers only when there is enough work for two of them', () => {
    expect(workersFor(1, 2)).toBe(0);
    expect(workersFor(2 * RULES_PER_WORKER - 1, 2)).toBe(0);
    expect(workersFor(2 * RULES_PER_WORKER, 2)).toBe(2);
    expect(workersFor(500, 2)).toBe(2);
    expect(workersFor(500, 1)).toBe(0);
    expect(workersFor(10_000, 64)).toBe(8);
  });

  it('the repository as loadContent reads it (its whole KQL environment), with many rules, validates through the pool to the same answer', async () => {
    // Everything loadContent puts in the environment must reach the workers: this fails (a DataCloneError,
    // or other diagnostics) when the environment gains something a worker cannot rebuild.
    const repository = loadContent({ root: repoRoot });
    const many: ContentSet = { ...repository, rules: [...repository.rules, ...generateCorpus(2 * RULES_PER_WORKER).rules] };
    expect(workersFor(many.rules.length, 2)).toBeGreaterThan(0);
    const alone = validateContent(many);
    expect((await validateContentParallel(many, { pool })).diagnostics).toEqual(alone.diagnostics);
    expect((await validateContentParallel(many)).diagnostics).toEqual(alone.diagnostics);
  });
});
