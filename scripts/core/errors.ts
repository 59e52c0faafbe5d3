// Errors are exceptional and thrown; diagnostics (diagnostics.ts) are collected instead.
// cli.ts is the one place that renders them and maps them to exit codes.

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Base class: every error we throw on purpose says what to do next. */
export abstract class AppError extends Error {
  abstract readonly exitCode: number;
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = new.target.name;
    this.hint = hint;
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends AppError {
  readonly exitCode = EXIT_USAGE;
}

/** A configuration file (workspaces.yaml, a feed setting) is missing or wrong: exit 1. */
export class ConfigError extends AppError {
  readonly exitCode = EXIT_FAILURE;
  readonly file?: string;
  constructor(message: string, file?: string, hint?: string) {
    super(message, hint);
    this.file = file;
  }
}

/** Content did not validate; the diagnostics were already reported: exit 1. */
export class ContentError extends AppError {
  readonly exitCode = EXIT_FAILURE;
}

/** Input data refused before any write (e.g. a feed that is an HTML page): exit 1. */
export class InputError extends AppError {
  readonly exitCode = EXIT_FAILURE;
}

export interface RemoteErrorDetails {
  /** What we were doing, e.g. `PUT alertRule`. */
  operation: string;
  /** Workspace label from workspaces.yaml. */
  workspace?: string;
  /** Resource we were acting on (rule id, watchlist alias), and the file it came from. */
  resource?: string;
  file?: string;
  status?: number;
  requestId?: string;
  /** The service's own error code and message, verbatim. */
  serviceCode?: string;
  serviceMessage?: string;
}

/** Azure or the feed answered with a failure after the SDK's own retries: exit 1. */
export class RemoteError extends AppError {
  readonly exitCode = EXIT_FAILURE;
  readonly details: RemoteErrorDetails;
  constructor(details: RemoteErrorDetails, hint?: string) {
    super(describeRemote(details), hint);
    this.details = details;
  }
}

function describeRemote(d: RemoteErrorDetails): string {
  const where = [d.workspace && `workspace ${d.workspace}`, d.resource && `resource ${d.resource}`, d.file && `(${d.file})`]
    .filter(Boolean)
    .join(' ');
  const status = d.status !== undefined ? `HTTP ${d.status}` : 'no response';
  const service = [d.serviceCode, d.serviceMessage].filter(Boolean).join(': ');
  const request = d.requestId ? ` [request id ${d.requestId}]` : '';
  return `${d.operation}${where ? ` on ${where}` : ''} failed: ${status}${service ? ` ${service}` : ''}${request}`;
}
