import { readFileSync } from 'node:fs';
import { startStackProcess, type StackOptions, type StackProcess } from '../../../tools/local/stack-process';
import { testStackSettings } from './stack-settings';

/**
 * A stack of this test file's own, behind fault proxies (no faults until set), for tests that
 * inject faults or count the store's requests without other files' traffic. This file's calls
 * (support/api) and tokens go to it; the shared stack's settings are restored afterwards, for the
 * next file in the same worker. `options` and `settings` go to the stack (a partition limit, app
 * settings such as a segment size, which the test process then shares). Returns a getter: the stack exists once beforeAll has run.
 */
export function ownStack(options: StackOptions = {}, settings: Record<string, string> = {}): () => StackProcess {
  let stack: StackProcess | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    stack = await startStackProcess(120_000, { ...testStackSettings(), ...settings }, { faults: true, ...options });
    Object.assign(process.env, stack.env);
  }, 150_000);
  afterAll(async () => {
    await stack?.stop();
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  });
  return () => stack!;
}

/** Resident memory of a process, from /proc (Linux), in bytes. */
export const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
