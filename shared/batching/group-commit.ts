/**
 * Group commit: work submitted under one key while a write for that key is in flight waits,
 * and goes out together with everything else that arrived meanwhile, in the next write. One
 * writer per key in this process, so its writes never race each other, and a key's throughput
 * follows the number of concurrent callers instead of one item per round trip. Each caller's
 * promise settles with its own item's outcome.
 *
 * Used for hot documents and messages written by many concurrent requests: audit chains, match
 * key documents, the matching queue.
 */
export class GroupCommit<T, R> {
  readonly #waiting = new Map<string, Pending<T, R>[]>();

  /**
   * @param write writes one group for a key; resolves with one result per item, in order
   * @param maxGroup the most items one write takes (a batch or message limit)
   */
  constructor(
    private readonly write: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxGroup = Number.POSITIVE_INFINITY,
  ) {}

  submit(key: string, item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.#waiting.set(key, [{ item, resolve, reject }]);
      // Started after the current synchronous work, so items submitted together (a Promise.all) go in one write.
      queueMicrotask(() => void this.#drain(key));
    });
  }

  /** The key's writer: takes whatever is waiting, writes it, and again until nothing waits. */
  async #drain(key: string): Promise<void> {
    for (;;) {
      const group = this.#waiting.get(key)!.splice(0, this.maxGroup);
      if (group.length === 0) {
        this.#waiting.delete(key);
        return;
      }
      try {
        const results = await this.write(
          key,
          group.map((p) => p.item),
        );
        group.forEach((p, i) => p.resolve(results[i]!));
      } catch (error) {
        group.forEach((p) => p.reject(error));
      }
    }
  }
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}
