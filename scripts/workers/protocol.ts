// Messages between the validation pool (kql-pool.ts) and its workers (kql-worker.ts). Everything is
// plain data (structured clone): the worker rebuilds the environment and the documents from it.
import type { Diagnostic } from '../core/diagnostics.ts';
import type { LetBinding } from '../core/model/parameters.ts';
import type { OverrideValues } from '../core/validate/kql.ts';
import type { SourceFile } from '../core/validate/validate.ts';
import type { EnvironmentDescription } from './environment.ts';

/** One rule for the KQL layer: its file (the worker parses it again) and its workspaces' overrides. */
export interface RuleTask {
  slug: string;
  file: SourceFile;
  overrides: OverrideValues[];
}

export type ToWorker =
  /** The environment to analyze the next batches in, under a key that names its content. */
  | { type: 'environment'; key: string; description: EnvironmentDescription }
  /** workspaces.yaml (the overrides' diagnostics point into it), under a key that names its text. */
  | { type: 'workspaces'; key: string; file: SourceFile | undefined }
  | { type: 'batch'; id: number; rules: RuleTask[]; fullOverrideAnalysis: boolean };

export interface RuleOutcome {
  diagnostics: Diagnostic[];
  lets?: LetBinding[];
}

export type FromWorker = { type: 'result'; id: number; outcomes: RuleOutcome[] } | { type: 'failed'; id: number; error: string };
