import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AZURITE_ACCOUNT_KEY, findFreePort } from './emulators';
import { findProjectRoot } from './local-settings';
import { startFaultProxy, type FaultMix, type FaultProxy } from './fault-proxy';

export interface StackProcess {
  baseUrl: string;
  /** The settings the stack runs with; a client in this process can use them to reach the emulators. */
  env: Record<string, string>;
  child: ChildProcess;
  /** With `faults`: the proxies between the app and each emulator, to set fault rates on. */
  faults?: { cosmos: FaultProxy; blob: FaultProxy; queue: FaultProxy };
  stop(): Promise<void>;
}

export interface StackOptions {
  /**
   * Put a fault proxy (tools/local/fault-proxy.ts) between the app and each emulator: faults off
   * until set, or `initial` on the Cosmos DB proxy for `forMs` from its first request (a store still
   * starting up, or failing over).
   */
  faults?: boolean | { initial: FaultMix; forMs: number };
  /** At most this many documents per logical partition (403/1014 beyond it, as a full 20 GB partition answers): puts the proxies in. */
  partitionDocLimit?: number;
  /** Where a restart of a stack that never answered health is said (stderr when not given). */
  onRestart?: (message: string) => void;
}

/**
 * Runs the compiled start script (the same as `npm start`) in a child process on free ports,
 * with its own dev-issuer key, and waits until health answers 200. For tests and benchmarks,
 * so they never collide with a stack someone is already running.
 */
export async function startStackProcess(timeoutMs = 90_000, settings: Record<string, string> = {}, options: StackOptions = {}): Promise<StackProcess> {
  // A port found free can be taken before the stack binds it (another stack starting beside this
  // one, or this stack's own proxies binding port 0): the stack then stops at once, and another
  // set of ports is tried. A stack that never answers health (seen once in the project's CI, a
  // start that takes 2 s here) is stopped and started once more, its log's tail said. All within
  // `timeoutMs`, so a caller's own timeout never leaves a retried stack running: the first start
  // has half of it, a restart what is left.
  const deadline = Date.now() + timeoutMs;
  let unhealthy = 0;
  for (let attempt = 1; ; attempt++) {
    const left = Math.max(1, deadline - Date.now());
    try {
      return await startOnce(unhealthy === 0 && attempt < 3 ? left / 2 : left, settings, options);
    } catch (error) {
      if (error instanceof NotHealthyError && ++unhealthy < 2 && attempt < 3) {
        (options.onRestart ?? ((m: string) => process.stderr.write(m)))(`${error.message}\nStarting it again on other ports.\n`);
        continue;
      }
      if (!(error instanceof PortTakenError) || attempt >= 3) throw error;
    }
  }
}

/**
 * Whether a stack stopped because a port it was given was taken: found taken when the start checks it
 * (emulators.ts assertPortFree), or taken between that check and its own listen (Node's EADDRINUSE).
 */
export const portTaken = (log: string): boolean => /is already in use|\bEADDRINUSE\b/.test(log);

class PortTakenError extends Error {}
/** A start that never answered health; `pid`: its process, stopped. */
export class NotHealthyError extends Error {
  constructor(
    message: string,
    readonly pid: number | undefined,
  ) {
    super(message);
  }
}

/** The last lines of a stack's log, for an error that would otherwise name a file gone with its machine. */
function logTail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).map((l) => `  | ${l}`).join('\n');
  } catch {
    return '  | (no log)';
  }
}

async function startOnce(timeoutMs: number, settings: Record<string, string>, options: StackOptions): Promise<StackProcess> {
  const root = findProjectRoot();
  const [host, emuBlob, emuQueue, emuCosmos] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  const faults = options.faults || options.partitionDocLimit
    ? {
        cosmos: await startFaultProxy({ target: `https://127.0.0.1:${emuCosmos}`, flavour: 'cosmos', ...(options.partitionDocLimit ? { partitionDocLimit: options.partitionDocLimit } : {}) }),
        blob: await startFaultProxy({ target: `http://127.0.0.1:${emuBlob}`, flavour: 'storage', seed: 2 }),
        queue: await startFaultProxy({ target: `http://127.0.0.1:${emuQueue}`, flavour: 'storage', seed: 3 }),
      }
    : undefined;
  let opened: NodeJS.Timeout | undefined;
  if (faults && typeof options.faults === 'object') {
    faults.cosmos.set(options.faults.initial);
    // The window opens at the store's first request, not when the proxy starts: a host slow to start
    // on a busy machine would otherwise find the store ready and never meet the faults.
    const { forMs } = options.faults;
    opened = setInterval(() => {
      if (!faults.cosmos.counts.requests) return;
      clearInterval(opened);
      setTimeout(() => faults.cosmos.set({ rate: 0 }), forMs).unref();
    }, 20);
    opened.unref();
  }
  // The app's endpoints: the proxies when there are faults to inject, else the emulators themselves.
  const [blob, queue, cosmos] = faults ? [faults.blob.port, faults.queue.port, faults.cosmos.port] : [emuBlob, emuQueue, emuCosmos];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'daybreak-stack-'));
  const env: Record<string, string> = {
    LOCAL_HOST_PORT: String(host),
    LOCAL_EMULATORS: 'embedded',
    AzureWebJobsStorage:
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};` +
      `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;`,
    COSMOS_ENDPOINT: `https://127.0.0.1:${cosmos}`,
    AUTH_JWKS_URI: `http://127.0.0.1:${host}/.well-known/jwks.json`,
    DEV_ISSUER_KEY_FILE: path.join(dir, 'dev-issuer-key.json'),
    CASEFILE_DEV_SIGNING_KEY_FILE: path.join(dir, 'casefile-signing-key.json'),
    DAYBREAK_BASE_URL: `http://127.0.0.1:${host}`,
    DAYBREAK_STACK_LOG: path.join(dir, 'stack.log'),
    ...(faults ? { LOCAL_BLOB_PORT: String(emuBlob), LOCAL_QUEUE_PORT: String(emuQueue), LOCAL_COSMOS_PORT: String(emuCosmos) } : {}),
    // Extra app settings (e.g. AzureWebJobs.<name>.Disabled), as Azure's app settings would be.
    ...settings,
  };
  const log = openSync(env.DAYBREAK_STACK_LOG!, 'a');
  // DAYBREAK_CPU_PROF=<dir>: the host writes a V8 CPU profile there when it stops (for profiling benchmarks).
  const profile = process.env.DAYBREAK_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.DAYBREAK_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, path.join(root, 'dist/tools/local/start.js')], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  // The child has the log open itself.
  closeSync(log);
  // Listened for from the start: a child killed by a signal has no exit code, only a signal code.
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const hasExited = () => child.exitCode !== null || child.signalCode !== null;
  const closeProxies = async () => {
    clearInterval(opened);
    for (const p of Object.values(faults ?? {})) await p.close();
  };
  const stop = async () => {
    if (hasExited()) return closeProxies();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    await closeProxies();
  };
  const deadline = Date.now() + timeoutMs;
  let lastAnswer = 'no answer';
  while (Date.now() < deadline) {
    if (hasExited()) {
      await closeProxies();
      const why = `The local stack exited early; ${env.DAYBREAK_STACK_LOG} ends:\n${logTail(env.DAYBREAK_STACK_LOG!)}`;
      // Taken on every try (a port fixed by a setting): the last try's error names it, from the log's tail.
      if (portTaken(readFileSync(env.DAYBREAK_STACK_LOG!, 'utf8'))) throw new PortTakenError(why);
      throw new Error(why);
    }
    try {
      const health = await fetch(`${env.DAYBREAK_BASE_URL}/api/v1/health`, { signal: AbortSignal.timeout(Math.max(1, Math.min(10_000, deadline - Date.now()))) });
      if (health.status === 200) {
        return { baseUrl: env.DAYBREAK_BASE_URL!, env, child, stop, ...(faults ? { faults } : {}) };
      }
      lastAnswer = `${health.status} ${(await health.text()).slice(0, 300)}`;
    } catch (error) {
      // not listening yet
      lastAnswer = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new NotHealthyError(
    `The local stack did not become healthy in ${Math.round(timeoutMs) / 1000} s (health's last answer: ${lastAnswer}); ` +
      `${env.DAYBREAK_STACK_LOG} ends:\n${logTail(env.DAYBREAK_STACK_LOG!)}`,
    child.pid,
  );
}
