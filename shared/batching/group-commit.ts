/** The linger for writes in a request's path: a few milliseconds, small beside a round trip under load. */
export const REQUEST_PATH_LINGER_MS = 2;

/**
 * Group commit: work submitted under one key while a write for that key is in flight waits,
 * and goes out together with everything else that arrived meanwhile, in the next write. One
 * writer per key in this process, so its writes never race each other, and a key's throughput
 * follows the number of concurrent callers instead of one item per round trip. Each caller's
 * promise settles with its own item's outcome.
 *
 * Used for partitions, documents and messages written by many concurrent requests: a retailer's
 * new events, audit chains, match key documents, the matching queue.
 *
 * With `lingerMs`, a busy key (items arriving, on average, less than four lingers apart) whose
 * writer is idle waits that long before its next write, for company: as PostgreSQL's
 * `commit_delay` does when `commit_siblings` are active. A key written now and then is written
 * at once. Under load this trades a few milliseconds of latency for far fewer round trips.
 */
export class GroupCommit<T, R> {
  readonly #waiting = new Map<string, Pending<T, R>[]>();
  /** Per key: when its last item arrived and the moving average of the gaps between items (ms). */
  readonly #arrivals = new Map<string, { at: number; gap: number }>();

  /**
   * @param write writes one group for a key; resolves with one result per item, in order
   * @param maxGroup the most items one write takes (a batch or message limit)
   * @param lingerMs how long a busy key's idle writer waits for more items (0: never)
   */
  constructor(
    private readonly write: (key: string, items: T[]) => Promise<R[]>,
    private readonly maxGroup = Number.POSITIVE_INFINITY,
    private readonly lingerMs = 0,
  ) {}

  submit(key: string, item: T): Promise<R> {
    const busy = this.#busy(key);
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.#waiting.set(key, [{ item, resolve, reject }]);
      // Started after the current synchronous work at least, so items submitted together (a
      // Promise.all) go in one write; on a busy key, after the linger.
      if (busy) setTimeout(() => void this.#drain(key), this.lingerMs);
      else queueMicrotask(() => void this.#drain(key));
    });
  }

  /** Records an arrival for `key`; whether its items come, on average, less than four lingers apart. */
  #busy(key: string): boolean {
    if (this.lingerMs <= 0) return false;
    const now = performance.now();
    const last = this.#arrivals.get(key);
    // An exponentially weighted average: a pause of a few lingers ends a busy spell.
    const gap = !last ? Number.POSITIVE_INFINITY : last.gap === Number.POSITIVE_INFINITY ? now - last.at : 0.8 * last.gap + 0.2 * (now - last.at);
    this.#arrivals.set(key, { at: now, gap });
    return gap < 4 * this.lingerMs;
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
