/**
 * The local emulators as child processes: Azurite (blob and queue services only) and the
 * Cosmos-protocol server. Children run the packages' own entry scripts with this Node binary,
 * located through require.resolve so the current directory does not matter.
 *
 * Children never outlive the parent: they stay in its process group (Ctrl-C in a terminal reaches
 * them too), they are killed when the parent exits normally, and each watches its parent and
 * exits when it disappears (covers SIGKILL and crashes, where no exit handler runs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findProjectRoot } from './local-settings';

export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
/** Azurite's well-known development key (public, documented by Microsoft). */
export const AZURITE_ACCOUNT_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
/** The Cosmos DB emulator's well-known key; the Cosmos-protocol server accepts any key. */
export const COSMOS_EMULATOR_KEY =
  'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface AzuriteOptions {
  /** 0 picks a free port. */
  blobPort: number;
  /** 0 picks a free port. */
  queuePort: number;
  host?: string;
  /** Default true: nothing is written to disk and everything is gone after stop(). */
  inMemory?: boolean;
  /** Workspace folder; default a new temporary folder, removed by stop(). */
  location?: string;
  startTimeoutMs?: number;
}

export interface AzuriteHandle {
  blobEndpoint: string;
  queueEndpoint: string;
  connectionString: string;
  stop(): Promise<void>;
}

export interface CosmosServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  startTimeoutMs?: number;
}

export interface CosmosServerHandle {
  /** HTTPS with a self-signed (expired) certificate: clients need rejectUnauthorized: false. */
  endpoint: string;
  key: string;
  stop(): Promise<void>;
}

/** Thrown when a port is taken; its message is one line meant to be printed without a stack. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

export async function startAzurite(options: AzuriteOptions): Promise<AzuriteHandle> {
  const host = options.host ?? '127.0.0.1';
  const blobPort = options.blobPort || (await findFreePort(host));
  const queuePort = options.queuePort || (await findFreePort(host));
  await assertPortFree(blobPort, host, 'Azurite blob');
  await assertPortFree(queuePort, host, 'Azurite queue');

  const ownLocation = options.location === undefined;
  const location = options.location ?? mkdtempSync(path.join(os.tmpdir(), 'daybreak-azurite-'));
  // Azurite's queue service refuses --location together with --inMemoryPersistence; in memory the
  // temporary folder is the children's working directory instead, so nothing lands in the project.
  const common = [
    '--skipApiVersionCheck',
    '--loose',
    '--disableTelemetry',
    '--silent',
    ...(options.inMemory === false ? ['--location', location] : ['--inMemoryPersistence']),
  ];
  // Separate blob and queue entry scripts: azurite.js would also start the table service.
  const azurite = path.join(packageDir('azurite'), 'dist', 'src');
  const blob = spawnGuarded(
    'Azurite blob',
    path.join(azurite, 'blob', 'main.js'),
    ['--blobHost', host, '--blobPort', String(blobPort), ...common],
    location,
  );
  const queue = spawnGuarded(
    'Azurite queue',
    path.join(azurite, 'queue', 'main.js'),
    ['--queueHost', host, '--queuePort', String(queuePort), ...common],
    location,
  );

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      await Promise.all([stopChild(blob), stopChild(queue)]);
      if (ownLocation) rmSync(location, { recursive: true, force: true });
    })());

  const timeout = options.startTimeoutMs ?? 30_000;
  try {
    await Promise.all([waitForPort(blob, host, blobPort, timeout), waitForPort(queue, host, queuePort, timeout)]);
  } catch (error) {
    await stop();
    throw error;
  }

  const hostForUrl = urlHost(host);
  const blobEndpoint = `http://${hostForUrl}:${blobPort}/${AZURITE_ACCOUNT_NAME}`;
  const queueEndpoint = `http://${hostForUrl}:${queuePort}/${AZURITE_ACCOUNT_NAME}`;
  return {
    blobEndpoint,
    queueEndpoint,
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};`,
    stop,
  };
}

export async function startCosmosServer(options: CosmosServerOptions): Promise<CosmosServerHandle> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await findFreePort(host));
  await assertPortFree(port, host, 'Cosmos-protocol server');
  // Compiled beside this file (npm run build), also when this module runs from source.
  const script = path.join(findProjectRoot(), 'dist', 'tools', 'local', 'cosmos-server.js');
  const server = spawnGuarded('Cosmos-protocol server', script, [String(port), host]);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= stopChild(server));
  try {
    await waitUntil(server, `answer HTTPS on ${host}:${port}`, options.startTimeoutMs ?? 30_000, () =>
      answersHttps(host, port),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: `https://${urlHost(host)}:${port}`, key: COSMOS_EMULATOR_KEY, stop };
}

/**
 * Fails with a one-line PortInUseError when something already listens on the port, so callers
 * can say which setting moves it instead of letting a child die with EADDRINUSE.
 */
export async function assertPortFree(port: number, host: string, label: string, setting?: string): Promise<void> {
  const remedy = setting ? `set ${setting}` : 'choose another port';
  await new Promise<void>((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(`Port ${port} (${label}) is already in use on ${host}; stop what uses it or ${remedy}.`));
      } else {
        reject(new PortInUseError(`Port ${port} (${label}) cannot be used on ${host} (${error.code ?? error.message}); ${remedy}.`));
      }
    });
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}

export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

interface ManagedChild {
  label: string;
  process: ChildProcess;
  exited: Promise<void>;
  output(): string;
  failed(): boolean;
}

const running = new Set<ManagedChild>();
let exitHookInstalled = false;

/**
 * Runs `script` in a child whose first act is to watch its parent: if the parent goes away (its
 * pid changes to the reaper's), the child exits. Runs the script in-process after that, with
 * process.argv as if started directly.
 */
const guard = [
  'const [script, ...args] = process.argv.slice(1);',
  'const parent = process.ppid;',
  'setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 500).unref();',
  'process.argv = [process.argv[0], script, ...args];',
  'require(script);',
].join('\n');

function spawnGuarded(label: string, script: string, args: string[], cwd?: string): ManagedChild {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    // Synchronous last resort for a parent that exits without stopping its children.
    process.on('exit', () => running.forEach((child) => child.process.kill('SIGKILL')));
  }
  const child = spawn(process.execPath, ['-e', guard, script, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    windowsHide: true,
    ...(cwd ? { cwd } : {}),
  });
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-8192);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let failed = false;
  const managed: ManagedChild = {
    label,
    process: child,
    exited: new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        failed = true;
        keep(Buffer.from(`\n${label} could not start: ${error.message}`));
        resolve();
      });
    }),
    output: () => tail.trim(),
    failed: () => failed,
  };
  running.add(managed);
  void managed.exited.then(() => running.delete(managed));
  return managed;
}

/** SIGTERM for a clean shutdown, SIGKILL if it takes more than a few seconds. */
async function stopChild(child: ManagedChild): Promise<void> {
  if (hasExited(child)) return;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 3_000);
  await child.exited;
  clearTimeout(timer);
}

function hasExited(child: ManagedChild): boolean {
  return child.failed() || child.process.exitCode !== null || child.process.signalCode !== null;
}

function waitForPort(child: ManagedChild, host: string, port: number, timeoutMs: number): Promise<void> {
  return waitUntil(child, `listen on ${host}:${port}`, timeoutMs, () => acceptsConnections(host, port));
}

async function waitUntil(child: ManagedChild, what: string, timeoutMs: number, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (hasExited(child)) {
      throw new Error(`${child.label} exited (code ${child.process.exitCode ?? child.process.signalCode}) before it could ${what}.${details(child)}`);
    }
    if (await ready()) return;
    if (Date.now() > deadline) {
      throw new Error(`${child.label} did not ${what} within ${Math.round(timeoutMs / 1000)} s.${details(child)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function details(child: ManagedChild): string {
  const output = child.output();
  return output ? `\n${output}` : '';
}

function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Any HTTP answer counts; the bundled certificate is self-signed, so it is not verified here. */
function answersHttps(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const request = https.get({ host, port, path: '/', rejectUnauthorized: false, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(true);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

function packageDir(name: string): string {
  return path.dirname(require.resolve(`${name}/package.json`));
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
