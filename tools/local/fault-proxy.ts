import { readFileSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { mulberry32 } from '../../shared/domain/matching/random';
import { PARTITION_FULL, PartitionLimit, writesOf } from './partition-limit';

/**
 * A proxy in front of an emulator that misbehaves the way the real store does on a bad day, at a
 * chosen rate: throttling (429 with x-ms-retry-after-ms, or Storage's 503 ServerBusy), 503
 * during a failover, 408 time-outs, a connection dropped before the request reaches the store,
 * a connection dropped after the store acted (the client never learns the outcome), an answer
 * cut part-way through its body (the store acted; the client reads half an answer), and slow
 * answers. For tests and benchmarks only; it listens on loopback.
 *
 * Cosmos DB speaks TLS: the proxy terminates it with the local Cosmos-protocol server's own
 * certificate (the one the app already accepts, for a loopback endpoint only) and forwards over
 * TLS. Azurite speaks plain HTTP.
 */
export type FaultKind = 'throttle' | 'unavailable' | 'timeout' | 'reset' | 'reset-after' | 'truncate' | 'slow';
export const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'unavailable', 'timeout', 'reset', 'reset-after', 'truncate', 'slow'];

export interface FaultMix {
  /** Share of requests that get a fault, 0..1. */
  rate: number;
  /** Relative weight of each kind among faults (default: equal among all kinds). */
  weights?: Partial<Record<FaultKind, number>>;
  /** How long a slow answer is held, ms. */
  slowMs?: number;
  /** What a throttled answer asks the client to wait, ms. */
  retryAfterMs?: number;
  /** Only requests of this method whose path holds this text (and that carry this header) may get a fault (one write path, staged on purpose). */
  only?: { method?: string; path?: string; header?: string };
  /** At most this many faults from this mix on (then a plain proxy): one lost answer, and its resend meets the store. */
  limit?: number;
}

export interface FaultProxy {
  url: string;
  port: number;
  /** Changes the fault mix from now on (rate 0: a plain proxy). */
  set(mix: FaultMix): void;
  /** Requests seen, passed through unharmed, and faults injected by kind; `partitionFull`: writes refused by the partition limit. */
  readonly counts: Record<FaultKind | 'requests' | 'passed' | 'partitionFull', number>;
  /** With `partitionDocLimit`: what each logical partition holds. */
  readonly partitions?: PartitionLimit;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** The emulator's base URL (https: for the Cosmos-protocol server). */
  target: string;
  /** 'cosmos' answers faults as Cosmos DB does; 'storage' as Azure Storage does. */
  flavour: 'cosmos' | 'storage';
  port?: number;
  mix?: FaultMix;
  /** Deterministic fault choices (a small PRNG); defaults to a fixed seed. */
  seed?: number;
  /** Cosmos only: at most this many documents per logical partition, as 20 GB is in Azure (partition-limit.ts). */
  partitionDocLimit?: number;
}

function cosmosCertificate(): { key: Buffer; cert: Buffer } {
  const dir = path.dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
  return { key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) };
}

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const secure = target.protocol === 'https:';
  const agent = secure ? new https.Agent({ keepAlive: true, rejectUnauthorized: false }) : new http.Agent({ keepAlive: true });
  const random = mulberry32(options.seed ?? 20261203);
  let mix: FaultMix = options.mix ?? { rate: 0 };
  /** Faults injected since the mix was set (for its `limit`). */
  let injected = 0;
  const counts = Object.fromEntries([...FAULT_KINDS, 'requests', 'passed', 'partitionFull'].map((k) => [k, 0])) as FaultProxy['counts'];
  const partitions = options.partitionDocLimit && options.flavour === 'cosmos' ? new PartitionLimit(options.partitionDocLimit) : undefined;

  const pick = (req: IncomingMessage): FaultKind | undefined => {
    const { only } = mix;
    if (only && ((only.method && req.method !== only.method) || (only.path && !(req.url ?? '').includes(only.path)) || (only.header && req.headers[only.header] === undefined))) return undefined;
    if (mix.rate <= 0 || random() >= mix.rate || (mix.limit !== undefined && injected >= mix.limit)) return undefined;
    injected += 1;
    const weights = FAULT_KINDS.map((k) => Math.max(0, mix.weights ? (mix.weights[k] ?? 0) : 1));
    let r = random() * weights.reduce((a, b) => a + b, 0);
    for (const [i, w] of weights.entries()) if ((r -= w) < 0) return FAULT_KINDS[i];
    return undefined;
  };

  const answer = (res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}, message = 'Injected fault') => {
    if (options.flavour === 'storage') {
      res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code, ...headers });
      res.end(`<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>Injected fault</Message></Error>`);
    } else {
      res.writeHead(status, { 'content-type': 'application/json', 'x-ms-activity-id': '00000000-0000-0000-0000-000000000000', ...headers });
      res.end(JSON.stringify({ code, message }));
    }
  };

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse, writes: ReturnType<typeof writesOf>, dropAfter: boolean, truncate = false) => {
    const upstream = (secure ? https : http).request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          partitions?.settle(writes, up.statusCode ?? 0, Buffer.concat(chunks));
          // The store has acted and answered; the client never hears of it.
          if (dropAfter) return void req.socket.destroy();
          const whole = Buffer.concat(chunks);
          if (truncate && whole.length > 1) {
            // The status and the first half of the body, then the connection goes.
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.write(whole.subarray(0, Math.floor(whole.length / 2)), () => req.socket.destroy());
            return;
          }
          res.writeHead(up.statusCode ?? 502, up.headers);
          res.end(whole);
        });
        up.on('error', () => {
          partitions?.release(writes);
          req.socket.destroy();
        });
      },
    );
    upstream.on('error', () => {
      partitions?.release(writes);
      req.socket.destroy();
    });
    upstream.end(body);
  };

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      counts.requests++;
      const body = Buffer.concat(chunks);
      const writes = partitions ? writesOf({ method: req.method ?? 'GET', path: req.url ?? '', headers: req.headers, body }) : [];
      if (partitions?.refuses(writes)) {
        counts.partitionFull++;
        return answer(res, PARTITION_FULL.status, PARTITION_FULL.code, PARTITION_FULL.headers, PARTITION_FULL.message);
      }
      const fault = pick(req);
      if (fault) counts[fault]++;
      else counts.passed++;
      // Faults answered here never reach the store: what the request reserved goes back.
      if (fault === 'throttle' || fault === 'unavailable' || fault === 'timeout' || fault === 'reset') partitions?.release(writes);
      switch (fault) {
        case 'throttle':
          if (options.flavour === 'storage') return answer(res, 503, 'ServerBusy');
          return answer(res, 429, 'TooManyRequests', { 'x-ms-retry-after-ms': String(mix.retryAfterMs ?? 100), 'x-ms-substatus': '3200' });
        case 'unavailable':
          return answer(res, 503, options.flavour === 'storage' ? 'ServerBusy' : 'ServiceUnavailable');
        case 'timeout':
          return answer(res, 408, options.flavour === 'storage' ? 'OperationTimedOut' : 'RequestTimeout');
        case 'reset':
          return void req.socket.destroy();
        case 'reset-after':
          return forward(req, body, res, writes, true);
        case 'truncate':
          return forward(req, body, res, writes, false, true);
        case 'slow':
          return void setTimeout(() => forward(req, body, res, writes, false), mix.slowMs ?? 300);
        default:
          return forward(req, body, res, writes, false);
      }
    });
  };

  const server = secure ? https.createServer({ ...cosmosCertificate(), keepAlive: true }, handler) : http.createServer({ keepAlive: true }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${target.protocol}//127.0.0.1:${port}`,
    port,
    counts,
    ...(partitions ? { partitions } : {}),
    set(next) {
      mix = next;
      injected = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
