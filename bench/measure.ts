/** Runs `op` `total` times with `concurrency` in flight; returns ops/s and latency percentiles (ms). */
export async function measure(total: number, concurrency: number, op: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
  return { perSecond: total / seconds, p50: pct(50), p95: pct(95) };
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
