// Bounded concurrency without a dependency: at most `limit` calls of `fn` in flight, started in input
// order. `stop()` is checked before each start, so a caller can end a run early (e.g. after many
// failures) while the calls already in flight finish. A call that throws stops the rest; the first
// error is rethrown once every call in flight has settled (nothing keeps running behind the caller).

export async function forEachLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure && !stop()) {
      const index = next++;
      try {
        await fn(items[index]!, index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failure) throw failure.error;
}

/** forEachLimit that collects results, in input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  await forEachLimit(items, limit, async (item, index) => {
    results[index] = await fn(item, index);
  });
  return results;
}
