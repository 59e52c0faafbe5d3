// Small helpers shared by the benchmarks: medians over repeated runs, and readable figures.
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Run `fn` `runs` times and return each duration in milliseconds. */
export async function timeRuns(runs: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  const durations: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    durations.push(performance.now() - start);
  }
  return durations;
}

export function ms(value: number): string {
  return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`;
}

/** Where ../shared/reference is, when this checkout sits beside it; benchmarks say so when it is absent. */
export function referenceDir(): string | undefined {
  const candidates = [process.env.SHARED_REFERENCE, new URL('../../../shared/reference', import.meta.url).pathname];
  return candidates.find((c): c is string => typeof c === 'string' && existsSync(c));
}
