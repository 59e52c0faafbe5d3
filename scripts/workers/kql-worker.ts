// A validation worker thread: one Kusto.Language of its own, running the KQL layer (analysis, result
// columns, parameters, lints, workspace overrides) for the batches of rules the pool sends it — the
// very function the main thread runs when it validates alone (kqlRuleDiagnostics), so the results are
// the same wherever a rule was analyzed.
import { enableCompileCache } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { kusto } from '../core/kql/kusto.ts';
import { createKqlEnvironment, type KqlEnvironment } from '../core/kql/symbols.ts';
import { kqlRuleDiagnostics, type OverrideValues } from '../core/validate/kql.ts';
import type { RuleDocument } from '../core/validate/collection.ts';
import { parseYaml, type YamlDocument } from '../core/yaml/document.ts';
import { environmentInput } from './environment.ts';
import type { FromWorker, RuleOutcome, RuleTask, ToWorker } from './protocol.ts';

const port = parentPort;
if (!port) throw new Error('kql-worker.ts runs as a worker thread of the validation pool (scripts/workers/kql-pool.ts)');

let env: KqlEnvironment | undefined;
let workspaces: YamlDocument | undefined;

const post = (message: FromWorker): void => port.postMessage(message);

port.on('message', (message: ToWorker) => {
  switch (message.type) {
    case 'environment':
      env = createKqlEnvironment(environmentInput(message.description));
      return;
    case 'workspaces':
      workspaces = message.file ? parseDocument(message.file.path, message.file.text) : undefined;
      return;
    case 'batch':
      try {
        post({ type: 'result', id: message.id, outcomes: message.rules.map((rule) => analyzeRule(rule, message.fullOverrideAnalysis)) });
      } catch (error) {
        post({ type: 'failed', id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
      return;
  }
});

function analyzeRule(task: RuleTask, fullOverrideAnalysis: boolean): RuleOutcome {
  if (!env) throw new Error('validation worker: a batch arrived before its environment');
  const rule: RuleDocument = { slug: task.slug, doc: parseDocument(task.file.path, task.file.text) };
  const overrides = new Map<RuleDocument, OverrideValues[]>([[rule, task.overrides]]);
  return kqlRuleDiagnostics(rule, { rules: [rule], env, workspaces, overrides, fullOverrideAnalysis });
}

/** The main thread parsed this file without errors already; the same text parses the same here. */
function parseDocument(path: string, text: string): YamlDocument {
  const parsed = parseYaml(path, text);
  if (!parsed.ok) throw new Error(`validation worker: ${path} does not parse here, though it did in the main thread`);
  return parsed.document;
}

const { compileCacheDir } = (workerData ?? {}) as { compileCacheDir?: string };
if (compileCacheDir) enableCompileCache(compileCacheDir);

// Load Kusto.Language and run its first (slowest) analysis now, while the main thread still runs the
// layers before KQL: both are needed before the first batch anyway.
const k = kusto();
k.KustoCode.ParseAndAnalyze('print x = 1', k.GlobalState.Default).GetDiagnostics();
