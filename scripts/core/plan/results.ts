// What plan and deploy return (the reporters' input): per workspace, its changes and what happened.
import type { Diagnostic } from '../diagnostics.ts';
import type { RemoteErrorDetails } from '../errors.ts';
import type { Change } from './types.ts';

/** A failure as reported: the message a person reads plus the remote details when there are any. */
export interface FailureInfo extends Partial<RemoteErrorDetails> {
  message: string;
  hint?: string;
}

export interface WorkspacePlanResult {
  name: string;
  changes: Change[];
  /** Reading the live state failed: no changes were computed for this workspace. */
  error?: FailureInfo;
}

export interface PlanReport {
  environment: string;
  repository: string;
  /** Content files validated. */
  files: number;
  /** Validation or compile diagnostics; with errors, nothing was planned. */
  diagnostics: Diagnostic[];
  workspaces: WorkspacePlanResult[];
}

/**
 * applied: written · unchanged: nothing to write · planned: would be written (dry run) ·
 * skipped: a delete without --prune, or writes abandoned after the workspace refused our credentials or
 *   the run's deadline passed (error says which) ·
 * refused: a conflict (see Change.conflict) · failed: a write failed (error says why).
 */
export type ChangeResult = 'applied' | 'unchanged' | 'planned' | 'skipped' | 'refused' | 'failed';

export interface DeployedChange extends Change {
  result: ChangeResult;
  /** Requests that changed something (PUT/DELETE), sent or, in a dry run, that would be sent. */
  writes: number;
  error?: FailureInfo;
}

export interface WorkspaceDeployResult {
  name: string;
  status: 'ok' | 'failed';
  writes: number;
  changes: DeployedChange[];
  error?: FailureInfo;
}

export interface DeployReport {
  environment: string;
  repository: string;
  files: number;
  dryRun: boolean;
  prune: boolean;
  diagnostics: Diagnostic[];
  workspaces: WorkspaceDeployResult[];
}

/** Deploy's progress, for a live line on a TTY or periodic lines in CI logs. */
export type ProgressEvent =
  | { kind: 'start'; workspaces: number }
  | { kind: 'planned'; workspace: string; writes: number }
  | { kind: 'wrote'; workspace: string }
  | { kind: 'finished'; workspace: string; status: 'ok' | 'failed'; writes: number };
