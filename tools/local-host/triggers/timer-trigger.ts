import type { RegisteredFunction } from '../worker/functions-core';
import type { FunctionInvoker } from '../worker/invoke-function';
import type { HostLogger } from '../worker/logger';
import { parseTimerSchedule, type TimerSchedule } from './timer-schedule';

export interface TimerTriggerOptions {
  fn: RegisteredFunction;
  /** The schedule with %settings% already resolved. */
  schedule: string;
  runOnStartup: boolean;
  invoker: FunctionInvoker;
  logger: HostLogger;
}

/** setTimeout cannot wait longer than this; longer waits re-arm in steps. */
const maxTimeoutMs = 2 ** 31 - 1;
/** DateTime.MinValue, what the runtime reports as Last before a first run. */
const neverRan = '0001-01-01T00:00:00';

/**
 * Runs a timer function on its schedule. Runs never overlap: each one starts only after the
 * previous finished, and the next occurrence is armed after each run, as the runtime does.
 */
export class TimerTrigger {
  readonly #options: TimerTriggerOptions;
  readonly #schedule: TimerSchedule;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** Tail of the serial run queue. */
  #queue: Promise<void> = Promise.resolve();
  #lastScheduled: Date | undefined;

  constructor(options: TimerTriggerOptions) {
    this.#options = options;
    this.#schedule = parseTimerSchedule(options.schedule);
  }

  get schedule(): string {
    return this.#schedule.expression;
  }

  start(): void {
    if (this.#options.runOnStartup) {
      void this.#enqueue(new Date(), 'Timer fired at startup (runOnStartup)').catch(() => {});
    }
    this.#arm();
  }

  /** Runs the function now (after any run in progress); rejects if it fails. */
  runNow(): Promise<void> {
    if (this.#stopped) return Promise.reject(new Error(`Timer "${this.#options.fn.name}" is stopped.`));
    return this.#enqueue(new Date(), 'This function was programmatically called via the host APIs.');
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#queue;
  }

  #arm(): void {
    if (this.#stopped) return;
    const now = new Date();
    const next = this.#schedule.next(now);
    const wait = next.getTime() - now.getTime();
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        // A long wait re-arms in steps; a timer that fires early (Node may, by a millisecond) waits
        // out the rest, or it would run for `next` now and again when `next` comes.
        if (wait > maxTimeoutMs || Date.now() < next.getTime()) {
          this.#arm();
          return;
        }
        this.#enqueue(next, `Timer fired at ${next.toISOString()}`)
          .catch(() => {})
          .finally(() => this.#arm());
      },
      Math.min(Math.max(wait, 0), maxTimeoutMs),
    );
  }

  #enqueue(scheduled: Date, reason: string): Promise<void> {
    const run = this.#queue.then(() => this.#run(scheduled, reason));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #run(scheduled: Date, reason: string): Promise<void> {
    if (this.#stopped) return;
    const { fn, invoker } = this.#options;
    const now = new Date();
    const last = this.#lastScheduled ?? this.#schedule.previous(scheduled);
    const timerInfo = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: {
        Last: last ? last.toISOString() : neverRan,
        Next: this.#schedule.next(scheduled > now ? scheduled : now).toISOString(),
        LastUpdated: now.toISOString(),
      },
      // Late by more than a second: the host was busy (or a previous run overran).
      IsPastDue: now.getTime() - scheduled.getTime() > 1000,
    };
    this.#lastScheduled = scheduled;
    // Rejections are logged by the invoker; scheduled runs swallow them, runNow() passes them on.
    await invoker.invoke(fn, {
      reason,
      inputData: [{ name: fn.triggerName, data: { json: JSON.stringify(timerInfo) } }],
      triggerMetadata: {},
    });
  }
}
