/**
 * Promise.allSettled over `items` with at most `limit` of them in flight: each item's outcome in
 * the order of `items`. For work whose every item makes several store requests, so that a message
 * of a hundred items does not open a hundred times as many requests (and connections) at once.
 */
export async function allSettledLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<PromiseSettledResult<R>[]> {
  const outcomes: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      try {
        outcomes[i] = { status: 'fulfilled', value: await work(items[i]!, i) };
      } catch (reason) {
        outcomes[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, Math.floor(limit) || 1), items.length) }, worker));
  return outcomes;
}
