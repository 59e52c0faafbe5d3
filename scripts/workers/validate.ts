// validate on every core when there is enough work: layers (a)–(d) in this thread, the KQL layer (one
// Kusto.Language analysis per rule and per overridden workspace, the expensive part) in a pool of
// worker threads, split by rule and merged back in rule order, so the result is the one
// validateContent gives. Little content stays in this thread: each worker pays Kusto.Language's load
// and first analysis (about 0.7 s of CPU) before it saves anything.
import { availableParallelism } from 'node:os';
import type { LetBinding } from '../core/model/parameters.ts';
import { appendAll, type Diagnostic } from '../core/diagnostics.ts';
import {
  checkFiles,
  completeInThread,
  completeValidation,
  validateContent,
  type ContentSet,
  type ValidateOptions,
  type ValidationResult,
} from '../core/validate/validate.ts';
import { describeEnvironment } from './environment.ts';
import { KqlPool } from './kql-pool.ts';
import type { RuleTask } from './protocol.ts';

/** A worker pays off from this many rules on (measured with `npm run bench -- validate`). */
export const RULES_PER_WORKER = 40;
/** Each worker holds a Kusto.Language of its own (~150 MB). */
const MAX_WORKERS = 8;

export interface ParallelOptions extends ValidateOptions {
  /** A pool to use (kept by the caller across validations); otherwise one is started and closed here when the content is worth it. */
  pool?: KqlPool;
}

/** Workers for this many rules: 0 when one thread is faster. */
export function workersFor(rules: number, cores = availableParallelism()): number {
  const workers = Math.min(cores, MAX_WORKERS, Math.floor(rules / RULES_PER_WORKER));
  return workers >= 2 ? workers : 0;
}

export async function validateContentParallel(content: ContentSet, options: ParallelOptions = {}): Promise<ValidationResult> {
  const size = options.pool ? options.pool.size : workersFor(content.rules.length);
  // Every provider of the environment must be describable for a worker to rebuild it.
  if (size === 0 || !(content.providers ?? []).every((p) => p.source)) return validateContent(content, options);
  // Started before layers (a)–(d), so that loading Kusto.Language in the workers overlaps them.
  const pool = options.pool ?? new KqlPool(size);
  try {
    const stage = checkFiles(content);
    if (stage.rules.length === 0) return completeValidation(stage);
    const rules = stage.rules.map((rule): RuleTask => ({
      slug: rule.slug,
      file: { path: rule.doc.file, text: rule.doc.text },
      overrides: (stage.overrides.get(rule) ?? []).map(({ entry, values }) => ({
        entry: { name: entry.name, index: entry.index, path: entry.path },
        values,
      })),
    }));
    const environment = describeEnvironment(stage.environment);
    if (!environment) return completeInThread(stage, options);
    const outcomes = await pool.run({
      environment,
      workspaces: stage.workspaces ? { path: stage.workspaces.file, text: stage.workspaces.text } : undefined,
      rules,
      fullOverrideAnalysis: Boolean(options.fullOverrideAnalysis),
    });
    const diagnostics: Diagnostic[] = [];
    const lets = new Map<string, LetBinding[]>();
    outcomes.forEach((outcome, i) => {
      appendAll(diagnostics, outcome.diagnostics);
      if (outcome.lets) lets.set(stage.rules[i]!.slug, outcome.lets);
    });
    return completeValidation(stage, { diagnostics, lets });
  } finally {
    if (!options.pool) await pool.close();
  }
}
