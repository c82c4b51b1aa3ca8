import http from 'node:http';
import path from 'node:path';
import { QueueServiceClient } from '@azure/storage-queue';
import { startAzurite, type AzuriteHandle } from '../../../tools/local/emulators';
import { startHost, type HostLogEntry, type HostLogger, type LocalHost } from '../../../tools/local-host/host';

export const fixtureAppRoot = path.resolve(__dirname, '../../fixtures/host-app');

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json<T = unknown>(): T;
  reusedSocket: boolean;
}

/** A plain node:http request, so tests control headers, bodies and connection reuse exactly. */
export function request(
  url: string,
  options: { method?: string; headers?: Record<string, string | number>; body?: Buffer | string; agent?: http.Agent } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          text: body.toString('utf8'),
          json: <T>() => JSON.parse(body.toString('utf8')) as T,
          reusedSocket: req.reusedSocket,
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Collects host log entries; set LOCAL_HOST_TEST_LOGS=1 to also print them. */
export function collectingLogger(): { logger: HostLogger; entries: HostLogEntry[] } {
  const entries: HostLogEntry[] = [];
  const print = process.env.LOCAL_HOST_TEST_LOGS === '1';
  return {
    entries,
    logger: (entry) => {
      entries.push(entry);
      if (print) process.stdout.write(`${entry.level} ${entry.functionName ?? '-'}: ${entry.message}\n`);
    },
  };
}

export async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface Recorded {
  kind: string;
  at: number;
  [field: string]: unknown;
}

/** What the fixture's triggered functions saw, read back through its own HTTP function. */
export async function recorded(baseUrl: string, kind: string): Promise<Recorded[]> {
  const res = await request(`${baseUrl}/api/_recorded/${kind}`);
  if (res.status !== 200) throw new Error(`GET _recorded answered ${res.status}: ${res.text}`);
  return res.json<Recorded[]>();
}

export async function clearRecorded(baseUrl: string): Promise<void> {
  await request(`${baseUrl}/api/_recorded`, { method: 'DELETE' });
}

export interface QueueHost {
  azurite: AzuriteHandle;
  host: LocalHost;
  queues: QueueServiceClient;
  stop(): Promise<void>;
}

/** Azurite, and the fixture app on a local host with its queue triggers on (polled every 50 ms), blob and timer triggers off. */
export async function startQueueHost(logger: HostLogger, settings: Record<string, string> = {}): Promise<QueueHost> {
  const azurite = await startAzurite({ blobPort: 0, queuePort: 0 });
  const host = await startHost({
    appRoot: fixtureAppRoot,
    port: 0,
    logger,
    settings: { HostAppStorage: azurite.connectionString, FAILING_QUEUE: 'work-fails', ...settings },
    triggers: { blob: false, timer: false },
    queuePollIntervalMs: 50,
  }).catch(async (error: unknown) => {
    await azurite.stop();
    throw error;
  });
  return {
    azurite,
    host,
    queues: QueueServiceClient.fromConnectionString(azurite.connectionString),
    async stop() {
      await host.close();
      await azurite.stop();
    },
  };
}
