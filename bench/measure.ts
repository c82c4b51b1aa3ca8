export interface Measured {
  perSecond: number;
  p50: number;
  p95: number;
  /** What `sample` (when given) grew by across this op's runs, per op. */
  sampledPerOp: number;
}

/** Runs `op` `total` times with `concurrency` in flight; returns ops/s and latency percentiles (ms). */
export async function measure(total: number, concurrency: number, op: (i: number) => Promise<void>): Promise<Measured> {
  const [measured] = await measureAlternating(total, concurrency, 1, [op]);
  return measured;
}

/**
 * Runs each of `ops` `total` times with `concurrency` in flight, in `rounds` alternating slices
 * (a, b, a, b, …), so that a machine whose speed drifts during the run (a shared VM does) slows
 * each op alike and their ratio holds. `sample` (e.g. a process's CPU time) is read around
 * every slice and charged to its op.
 */
export async function measureAlternating<const Ops extends readonly ((i: number) => Promise<void>)[]>(
  total: number,
  concurrency: number,
  rounds: number,
  ops: Ops,
  sample: () => number = () => 0,
): Promise<{ [K in keyof Ops]: Measured }> {
  const runs = ops.map(() => ({ seconds: 0, sampled: 0, latencies: [] as number[] }));
  const slice = Math.ceil(total / rounds);
  for (let from = 0; from < total; from += slice) {
    const to = Math.min(total, from + slice);
    for (const [k, op] of ops.entries()) {
      const run = runs[k]!;
      const before = sample();
      const started = performance.now();
      let next = from;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < to) {
            const i = next++;
            const t = performance.now();
            await op(i);
            run.latencies.push(performance.now() - t);
          }
        }),
      );
      run.seconds += (performance.now() - started) / 1000;
      run.sampled += sample() - before;
    }
  }
  return runs.map(({ seconds, sampled, latencies }) => {
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
    return { perSecond: total / seconds, p50: pct(50), p95: pct(95), sampledPerOp: sampled / total };
  }) as { [K in keyof Ops]: Measured };
}

export interface Row {
  name: string;
  value: number;
  unit: string;
  /** The raw emulator figure this one rests on, measured in the same run (null when none applies). */
  baseline: number | null;
  ratio: number | null;
  /** What the ratio (or value) should reach, e.g. ">= 0.25". */
  target: string | null;
}

export function row(name: string, value: number, unit: string, baseline: number | null = null, target: string | null = null): Row {
  return { name, value: round(value), unit, baseline: baseline === null ? null : round(baseline), ratio: baseline ? round(value / baseline, 3) : null, target };
}

const round = (v: number, digits = 2) => Math.round(v * 10 ** digits) / 10 ** digits;
