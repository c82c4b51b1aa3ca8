import { performance } from 'node:perf_hooks';

/** How long pure work holds the event loop before it hands it back. */
export const SLICE_MS = 10;

/**
 * Runs long pure work written as steps (a generator that yields between pieces) in slices of
 * about SLICE_MS, handing the event loop back between slices, so that requests served by the
 * same process wait milliseconds for it, not the whole computation. Same result as running the
 * steps at once, and the same CPU.
 */
export async function runInSlices<T>(steps: Generator<void, T, void>, sliceMs = SLICE_MS): Promise<T> {
  let until = performance.now() + sliceMs;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() >= until) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      until = performance.now() + sliceMs;
    }
  }
}
