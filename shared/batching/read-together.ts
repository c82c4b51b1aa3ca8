/**
 * Reads of documents under one key (a container and an organisation) that are asked for while
 * that key's reads are in flight wait, and go out together, each id once, when one of those
 * finishes: under load, one round trip for many callers instead of one each. A read is never
 * answered from a read that started before it was asked for, so a caller sees whatever it wrote
 * before asking. A few reads may be in flight per key at once, so one slow read (a throttled
 * store's retries) does not hold up every other. Each caller gets its own answer: the failure of
 * an id is its caller's alone (a read that fails as a whole fails those it carried), and a
 * document asked for twice in one read is copied for the second caller, so that no caller sees
 * another's changes.
 */
export class ReadTogether<T> {
  readonly #waiting = new Map<string, Waiting<T>[]>();
  readonly #inFlight = new Map<string, number>();

  /**
   * @param read reads these distinct ids under `key`; answers each one's outcome, in order (undefined: absent)
   * @param maxInFlight how many reads of one key may be in flight at once
   */
  constructor(
    private readonly read: (key: string, ids: string[]) => Promise<PromiseSettledResult<T | undefined>[]>,
    private readonly maxInFlight = 2,
  ) {
    if (!(maxInFlight >= 1)) throw new RangeError('At least one read must be allowed in flight.');
  }

  submit(key: string, id: string): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const queue = this.#waiting.get(key);
      if (queue) return void queue.push({ id, resolve, reject });
      this.#waiting.set(key, [{ id, resolve, reject }]);
      // After the current synchronous work at least, so ids asked for together (a Promise.all) go in one read.
      if ((this.#inFlight.get(key) ?? 0) < this.maxInFlight) queueMicrotask(() => void this.#send(key));
    });
  }

  /** Sends whatever waits under `key` as one read; when it is answered, the next (if any waits). */
  async #send(key: string): Promise<void> {
    const group = this.#waiting.get(key);
    // Sent already, or no slot free (a slot was taken since this send was scheduled): the next read to finish sends it.
    if (!group || (this.#inFlight.get(key) ?? 0) >= this.maxInFlight) return;
    this.#waiting.delete(key);
    this.#inFlight.set(key, (this.#inFlight.get(key) ?? 0) + 1);
    const ids = [...new Set(group.map((w) => w.id))];
    try {
      const outcomes = await this.read(key, ids);
      const byId = new Map(ids.map((id, i) => [id, outcomes[i]!]));
      const handed = new Set<string>();
      for (const w of group) {
        const outcome = byId.get(w.id)!;
        if (outcome.status === 'rejected') w.reject(outcome.reason);
        else if (outcome.value === undefined || !handed.has(w.id)) w.resolve(outcome.value);
        else w.resolve(structuredClone(outcome.value));
        handed.add(w.id);
      }
    } catch (error) {
      for (const w of group) w.reject(error);
    } finally {
      const left = (this.#inFlight.get(key) ?? 1) - 1;
      if (left) this.#inFlight.set(key, left);
      else this.#inFlight.delete(key);
      if (this.#waiting.has(key)) void this.#send(key);
    }
  }
}

interface Waiting<T> {
  id: string;
  resolve(doc: T | undefined): void;
  reject(error: unknown): void;
}
