export interface PollOutcome {
  /** True when the poll found nothing to do. */
  idle: boolean;
  delayMs: number;
}

interface DrainWaiter {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Runs `poll` over and over with the delay it asks for. drain() wakes it and resolves after the
 * first poll that started after the call and found nothing left to do (it rejects when a poll
 * fails, rather than waiting forever); stop() ends the loop after the poll in progress, so no
 * timer or request outlives the host.
 */
export class PollingLoop {
  readonly #poll: () => Promise<PollOutcome>;
  readonly #onError: (error: unknown) => void;
  readonly #errorDelayMs: number;
  #stopped = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #waiters: DrainWaiter[] = [];

  constructor(poll: () => Promise<PollOutcome>, onError: (error: unknown) => void, errorDelayMs = 1000) {
    this.#poll = poll;
    this.#onError = onError;
    this.#errorDelayMs = errorDelayMs;
  }

  get stopped(): boolean {
    return this.#stopped;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  drain(): Promise<void> {
    if (this.#stopped || !this.#loop) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#waiters.push({ resolve, reject });
      this.#wake?.();
    });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wake?.();
    await this.#loop;
    this.#waiters.splice(0).forEach((waiter) => waiter.resolve());
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      // Only waiters that were there before this poll started can be answered by it.
      const answerable = this.#waiters.splice(0);
      let delayMs: number;
      let failed = false;
      try {
        const outcome = await this.#poll();
        delayMs = outcome.delayMs;
        if (outcome.idle || this.#stopped) answerable.forEach((waiter) => waiter.resolve());
        else this.#waiters.unshift(...answerable);
      } catch (error) {
        if (!this.#stopped) this.#onError(error);
        // A drain cannot succeed while polling fails; tell every waiter now.
        [...answerable, ...this.#waiters.splice(0)].forEach((waiter) => waiter.reject(error));
        delayMs = this.#errorDelayMs;
        failed = true;
      }
      if (this.#stopped) break;
      // Someone is draining and the last poll worked: poll again at once.
      if (this.#waiters.length > 0 && !failed) continue;
      await this.#sleep(delayMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}

/** A delay that ends early when `isStopped` turns true (checked every 50 ms). */
export async function pause(ms: number, isStopped: () => boolean): Promise<void> {
  const end = Date.now() + ms;
  while (!isStopped() && Date.now() < end) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(50, end - Date.now())));
  }
}
