// A pool of validation workers (kql-worker.ts), each with its own Kusto.Language. A job is the KQL
// layer for a list of rules: they go out in small batches, a worker gets the next batch when it returns
// one (so a slow rule does not hold the others back), and the outcomes come back in the list's order.
import { createHash } from 'node:crypto';
import { getCompileCacheDir } from 'node:module';
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SourceFile } from '../core/validate/validate.ts';
import type { EnvironmentDescription } from './environment.ts';
import type { FromWorker, RuleOutcome, RuleTask, ToWorker } from './protocol.ts';

export interface KqlJob {
  environment: EnvironmentDescription;
  workspaces: SourceFile | undefined;
  rules: RuleTask[];
  fullOverrideAnalysis: boolean;
}

interface Member {
  worker: Worker;
  /** What this worker holds, so that an unchanged environment (often megabytes) is not sent again. */
  environmentKey?: string;
  workspacesKey?: string;
}

/** Rules per batch: small enough to balance the workers, large enough that messages cost nothing. */
const MAX_BATCH = 16;

export class KqlPool {
  readonly size: number;
  private readonly members: Member[];
  private busy = false;
  private broken: Error | undefined;

  constructor(size: number) {
    this.size = size;
    this.members = Array.from({ length: size }, () => {
      // Workers do not inherit the compile cache the bin enabled: pass its folder on (Node adds its
      // version's subfolder to the folder it is given, so give it the parent).
      const cache = getCompileCacheDir();
      const worker = new Worker(new URL('./kql-worker.ts', import.meta.url), {
        workerData: { compileCacheDir: cache ? dirname(cache) : undefined },
      });
      // Idle workers never keep the process alive; a running job holds them (see run).
      worker.unref();
      return { worker };
    });
  }

  /** The outcome of every rule of the job, in the job's order. One job at a time. */
  async run(job: KqlJob): Promise<RuleOutcome[]> {
    if (this.broken) throw this.broken;
    if (this.busy) throw new Error('KqlPool.run: a job is already running');
    this.busy = true;
    const environmentKey = digest(JSON.stringify(job.environment));
    const workspacesKey = job.workspaces ? digest(`${job.workspaces.path}\n${job.workspaces.text}`) : 'none';
    const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil(job.rules.length / (this.size * 4))));
    const batches: RuleTask[][] = [];
    for (let i = 0; i < job.rules.length; i += size) batches.push(job.rules.slice(i, i + size));
    const results: RuleOutcome[][] = new Array(batches.length);
    try {
      await new Promise<void>((resolve, reject) => {
        let next = 0;
        let done = 0;
        const listeners: (() => void)[] = [];
        const finish = (error?: Error): void => {
          for (const remove of listeners) remove();
          if (error) reject(error);
          else resolve();
        };
        const send = (member: Member): void => {
          if (next >= batches.length) return;
          const message: ToWorker = { type: 'batch', id: next, rules: batches[next]!, fullOverrideAnalysis: job.fullOverrideAnalysis };
          next++;
          member.worker.postMessage(message);
        };
        if (batches.length === 0) return finish();
        for (const member of this.members) {
          member.worker.ref();
          if (member.environmentKey !== environmentKey) {
            member.worker.postMessage({ type: 'environment', key: environmentKey, description: job.environment } satisfies ToWorker);
            member.environmentKey = environmentKey;
          }
          if (member.workspacesKey !== workspacesKey) {
            member.worker.postMessage({ type: 'workspaces', key: workspacesKey, file: job.workspaces } satisfies ToWorker);
            member.workspacesKey = workspacesKey;
          }
          const onMessage = (message: FromWorker): void => {
            if (message.type === 'failed') return finish(new Error(`a validation worker failed on a batch of rules:\n${message.error}`));
            results[message.id] = message.outcomes;
            if (++done === batches.length) return finish();
            send(member);
          };
          const onError = (error: Error): void => finish(error);
          const onExit = (code: number): void => finish(new Error(`a validation worker exited (code ${code}) during a job`));
          member.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
          listeners.push(() => member.worker.off('message', onMessage).off('error', onError).off('exit', onExit));
          send(member);
        }
      });
    } catch (error) {
      // A worker that failed mid-job may hold anything: this pool takes no more jobs.
      this.broken = error as Error;
      throw error;
    } finally {
      for (const member of this.members) member.worker.unref();
      this.busy = false;
    }
    return results.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.members.map((m) => m.worker.terminate()));
  }
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
