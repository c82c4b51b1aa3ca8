import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { RpcHttpData, RpcTypedData } from './core-types';
import type { RegisteredFunction } from './functions-core';
import type { FunctionInvoker } from './invoke-function';
import type { HostLogger } from './logger';
import { sendProblem } from './problem-response';

/**
 * HTTP streaming, as the Functions host does it for an app that calls
 * `app.setup({ enableHttpStream: true })`: the library then reports an `HttpUri` capability
 * (a small HTTP server it runs in the worker), and for each HTTP invocation the host sends the
 * request there with the header `x-ms-invocation-id`, while invoking the function over the
 * usual channel. The library hands that request to the function and writes the function's
 * response back on the same connection, body chunk by chunk; the host pipes it to the client
 * with back-pressure, so no body is held in memory in full on this side.
 *
 * One limit sits in the library, not here: it writes each chunk of a streamed body without
 * waiting for its connection to drain and never tells the function the client has gone
 * (Azure/azure-functions-nodejs-library#294). An app that wants back-pressure paces its body
 * itself, as this app does (shared/http/stream-backpressure.ts); the relay here pauses the
 * worker's response while the client is slow, and drops it when the client goes away.
 */
const INVOCATION_ID_HEADER = 'x-ms-invocation-id';
/** Headers that describe one hop, never forwarded (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
/** How long to wait for the response after the invocation finished, before deciding the function returned none. */
const NO_RESPONSE_GRACE_MS = 1_000;

export interface StreamProxy {
  workerUri: string;
  agent: http.Agent;
}

export function createStreamProxy(workerUri: string): StreamProxy {
  return { workerUri, agent: new http.Agent({ keepAlive: true }) };
}

export interface ProxiedInvocation {
  proxy: StreamProxy;
  invoker: FunctionInvoker;
  fn: RegisteredFunction;
  method: string;
  url: URL;
  /** The route template that matched: what the log names (the path may hold personal values, e.g. a plate). */
  route: string;
  http: RpcHttpData;
  body: Buffer;
  triggerMetadata: Record<string, RpcTypedData>;
  requestId: string;
  res: ServerResponse;
  logger: HostLogger;
}

/** Runs one HTTP invocation through the worker's stream proxy and relays its response to `res`. */
export async function invokeThroughStreamProxy(call: ProxiedInvocation): Promise<void> {
  const { proxy, res, requestId } = call;
  const invocationId = randomUUID();
  const target = new URL(`${call.url.pathname}${call.url.search}`, proxy.workerUri);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(call.http.headers ?? {})) {
    if (!HOP_BY_HOP.has(name.toLowerCase()) && name.toLowerCase() !== 'host') headers[name] = value;
  }
  const hasBody = call.body.length > 0 && call.method !== 'GET' && call.method !== 'HEAD';
  if (!hasBody) delete headers['content-length'];
  else headers['content-length'] = String(call.body.length);

  let responded = false;
  const proxyReq = http.request(target, {
    method: call.method,
    agent: proxy.agent,
    headers: {
      ...headers,
      [INVOCATION_ID_HEADER]: invocationId,
      'x-forwarded-host': call.url.host,
      'x-forwarded-proto': call.url.protocol.replace(/:$/, ''),
    },
  });
  const relayed = new Promise<void>((resolve) => {
    proxyReq.on('response', (proxyRes: IncomingMessage) => {
      responded = true;
      relay(proxyRes, res, call.method === 'HEAD', resolve);
    });
    proxyReq.on('error', () => {
      // Only reachable before a response (afterwards errors surface on proxyRes): nothing was sent yet.
      if (!responded) sendProblem(res, requestId, 'INTERNAL');
      resolve();
    });
  });
  // If the client goes away, so does the request to the worker (and with it the worker's response).
  res.on('close', () => {
    if (!res.writableFinished) proxyReq.destroy();
  });
  proxyReq.end(hasBody ? call.body : undefined);

  try {
    await call.invoker.invoke(call.fn, {
      invocationId,
      reason: `HTTP ${call.method} ${call.route} (x-request-id ${requestId})`,
      inputData: [{ name: call.fn.triggerName, data: { http: call.http } }],
      triggerMetadata: call.triggerMetadata,
    });
  } catch {
    // Already logged with the invocation id. Before the first byte: a bare 500. After it:
    // the status is gone, so the client must see the transfer cut short, not a clean end.
    if (!responded) sendProblem(res, requestId, 'INTERNAL');
    else res.destroy();
    proxyReq.destroy();
    return;
  }
  if (!responded) {
    // The library writes the response before the invocation completes; none on the way within
    // the grace period means the function returned nothing: an empty success, as the host answers.
    const arrived = await Promise.race([relayed.then(() => true), delay(NO_RESPONSE_GRACE_MS).then(() => responded)]);
    if (!arrived && !responded) {
      proxyReq.destroy();
      if (!res.headersSent) {
        res.writeHead(204);
        res.end();
      }
      return;
    }
  }
  await relayed;
}

function relay(proxyRes: IncomingMessage, res: ServerResponse, isHead: boolean, done: () => void): void {
  const connection = String(proxyRes.headers.connection ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase());
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(proxyRes.headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || connection.includes(lower) || lower === INVOCATION_ID_HEADER) continue;
    headers[lower] = value;
  }
  res.writeHead(proxyRes.statusCode ?? 200, headers);
  if (isHead) {
    proxyRes.resume();
    proxyRes.on('end', () => {
      res.end();
      done();
    });
    proxyRes.on('error', () => done());
    return;
  }
  // pipe() pauses the worker's response while the client is slow (back-pressure on this hop).
  proxyRes.pipe(res);
  proxyRes.on('end', done);
  proxyRes.on('error', () => {
    // The worker's side broke mid-body: cut the client's transfer short rather than end it cleanly.
    res.destroy();
    done();
  });
  res.on('close', done);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
