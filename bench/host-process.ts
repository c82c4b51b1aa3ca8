import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { queueServiceClient } from '../shared/adapters/azure-clients';

/** The local host's process as benchmarks see it: when it is idle, and how much memory it holds. */

/** Until every Storage queue has been empty for two seconds in a row (at most five minutes). */
export async function queuesIdle(): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  let emptySince: number | undefined;
  while (Date.now() < deadline) {
    let waiting = 0;
    for await (const queue of queueServiceClient().listQueues()) {
      waiting += (await queueServiceClient().getQueueClient(queue.name).getProperties()).approximateMessagesCount ?? 0;
    }
    if (waiting > 0) emptySince = undefined;
    else if ((emptySince ??= Date.now()) <= Date.now() - 2000) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Until the process has used under 5 % of a core for two half-second samples in a row (at most five minutes). */
export async function processIdle(pid: number): Promise<void> {
  const deadline = Date.now() + 5 * 60_000;
  let quiet = 0;
  let last = cpuMs(pid);
  while (quiet < 2 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    const now = cpuMs(pid);
    quiet = now - last < 0.05 * 500 ? quiet + 1 : 0;
    last = now;
  }
}

/** CPU time a process has used so far, all its threads, user and system (ms, 10 ms resolution). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in clock ticks of 10 ms
}

/** The local host: the child of this process running the start script. */
export function hostPid(): number | undefined {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('tools/local/start.js')) return Number(name);
    } catch {
      // gone, or not ours
    }
  }
  return undefined;
}

/**
 * Peak RSS growth of a process from now on: sampled every 20 ms, and (when `resetHwm`) the
 * kernel's VmHWM after resetting it, which also catches peaks between samples.
 */
export function peakTracker(pid: number, resetHwm = true): { before: number; stop(): { before: number; peak: number } } {
  const status = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
  let hwmReset = false;
  if (resetHwm) {
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
      hwmReset = true;
    } catch {
      // not permitted here: the samples alone
    }
  }
  const before = status('VmRSS');
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, status('VmRSS'))), 20);
  return {
    before,
    stop() {
      clearInterval(timer);
      if (hwmReset) peak = Math.max(peak, status('VmHWM'));
      return { before, peak };
    },
  };
}
