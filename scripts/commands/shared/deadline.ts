// The overall deadline of plan, deploy and sync-watchlist (--deadline): when it passes, requests in
// flight and the pipeline's retry waits end, nothing more is sent, and the run reports what it did.
// The timer is cleared when the command ends, so it never keeps a finished process alive.
import { DEFAULT_DEADLINE_MS, describeMs } from '../../core/deadline.ts';

export interface Deadline {
  readonly signal: AbortSignal;
  stop(): void;
}

export function startDeadline(ms: number = DEFAULT_DEADLINE_MS): Deadline {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Error(`the run's deadline of ${describeMs(ms)} passed (--deadline)`)), ms);
  timer.unref();
  return { signal: controller.signal, stop: () => clearTimeout(timer) };
}
