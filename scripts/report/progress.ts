// Progress of a long run (deploy, sync) on stderr: a live line rewritten in place on a TTY; in CI logs
// a plain line per finished workspace plus one every `intervalMs` while writes go on.
import type { ProgressEvent } from '../core/plan/results.ts';
import type { SyncProgressEvent } from '../core/sync/result.ts';

export interface ProgressSink {
  (event: ProgressEvent | SyncProgressEvent): void;
  /** Clears the live line / stops the timer. */
  close(): void;
}

/**
 * `label` starts every line: the command's name (`deploy`, `sync`). In a dry run nothing is written:
 * lines count the writes planned, and a finished workspace is "planned", not "done".
 */
export function progressReporter(
  write: (text: string) => void,
  isTTY: boolean,
  label = 'deploy',
  intervalMs = 10_000,
  dryRun = false,
): ProgressSink {
  let total = 0;
  let done = 0;
  let failed = 0;
  let planned = 0;
  let written = 0;
  let timer: NodeJS.Timeout | undefined;
  const line = () =>
    `${label}: ${done}/${total} workspaces ${dryRun ? 'planned' : 'done'}${failed ? ` (${failed} failed)` : ''} · ${dryRun ? `${planned} writes planned, none sent` : `${written}/${planned} writes`}`;
  const clear = isTTY ? '\r\u001b[2K' : '';

  const sink = ((event: ProgressEvent | SyncProgressEvent) => {
    switch (event.kind) {
      case 'start':
        total = event.workspaces;
        if (!isTTY) timer = setInterval(() => write(`${line()}\n`), intervalMs).unref();
        break;
      case 'feed':
        write(`${clear}${label}: ${event.conditional ? 'conditional ' : ''}download of ${event.source}\n`);
        break;
      case 'planned':
        planned += event.writes;
        break;
      case 'wrote':
        written += 1;
        break;
      case 'finished':
        done += 1;
        if (event.status === 'failed') failed += 1;
        if (!isTTY) {
          const what = event.status !== 'ok' ? 'FAILED' : dryRun ? 'planned' : 'done';
          const writes = `${event.writes} write${event.writes === 1 ? '' : 's'}${dryRun ? ' planned, none sent' : ''}`;
          write(`${label}: ${event.workspace} ${what} (${writes}) · ${done}/${total} workspaces\n`);
        }
        break;
    }
    if (isTTY) write(`${clear}${line()}`);
  }) as ProgressSink;
  sink.close = () => {
    if (timer) clearInterval(timer);
    if (isTTY && total) write(clear);
  };
  return sink;
}
