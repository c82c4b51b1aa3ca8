import { randomUUID } from 'node:crypto';
import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { RpcHttpData, RpcTypedData } from '../worker/core-types';
import type { RegisteredFunction } from '../worker/functions-core';
import type { FunctionInvoker } from '../worker/invoke-function';
import { sendProblem } from './problem-response';

/**
 * HTTP streaming, as the Functions host does it for an app that calls
 * `app.setup({ enableHttpStream: true })`: the library then reports an `HttpUri` capability
 * (a small HTTP server it runs in the worker), and for each HTTP invocation the host hands the
 * request to that server with the header `x-ms-invocation-id`, while invoking the function over
 * the usual channel. The library gives that request to the function and writes the function's
 * response on that request's response, body chunk by chunk.
 *
 * In Azure the host is another process and relays over loopback HTTP. Here host and worker share
 * one process, so the host hands over in memory: the client's request (its body already read
 * within the limit) goes to the library's server as a `request` event, and the library writes to
 * the client's own response. The same server, listener and response writing as a relayed request,
 * without a second HTTP round through the same process (measured: 1.3–1.4 → 0.8–0.9 ms of CPU for
 * an empty request). Node announces every request a server receives on the diagnostics channel
 * `http.server.request.start`; the host announces a handed-over one there too, as Node would, so
 * code that watches the worker's responses (this app's back-pressure) sees it the same way.
 *
 * The library writes each chunk of a streamed body without waiting for its connection to drain
 * and never tells the function the client has gone (Azure/azure-functions-nodejs-library#294):
 * an app that wants back-pressure paces its body itself, as this app does
 * (shared/http/stream-backpressure.ts); handed over, that pacing follows the client's connection.
 */
const INVOCATION_ID_HEADER = 'x-ms-invocation-id';
const requestStart = channel('http.server.request.start');

export interface StreamProxy {
  /** The library's own HTTP server (the `HttpUri` it reported). */
  server: Server;
}

/**
 * Finds the library's server behind `workerUri`: one request to it, recognised on the diagnostics
 * channel as it arrives. The library keeps that one request (its id is never invoked).
 */
export async function connectStreamProxy(workerUri: string): Promise<StreamProxy> {
  const probeId = `local-host-probe-${randomUUID()}`;
  let found: Server | undefined;
  const onRequest = (message: unknown): void => {
    const { request, response, server } = message as { request: IncomingMessage; response: ServerResponse; server: Server };
    if (request.headers[INVOCATION_ID_HEADER] !== probeId) return;
    found = server;
    response.end();
  };
  subscribe('http.server.request.start', onRequest);
  try {
    await new Promise<void>((resolve, reject) => {
      const req = http.get(workerUri, { headers: { [INVOCATION_ID_HEADER]: probeId }, agent: false }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      // A server of another process would keep the request waiting for an invocation that never comes.
      req.setTimeout(5_000, () => req.destroy(new Error(`The worker's HttpUri ${workerUri} did not answer.`)));
    });
  } finally {
    unsubscribe('http.server.request.start', onRequest);
  }
  if (!found) throw new Error(`No HTTP server of this process answered at the worker's HttpUri ${workerUri}.`);
  return { server: found };
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
  req: IncomingMessage;
  res: ServerResponse;
}

/** Runs one HTTP invocation with the worker's stream proxy writing the response to `res`. */
export async function invokeThroughStreamProxy(call: ProxiedInvocation): Promise<void> {
  const { proxy, req, res, requestId } = call;
  const invocationId = randomUUID();
  // The request as the library's server would have parsed it from the host: the path and query,
  // the method, the forwarded host and scheme, the invocation id; the body from what was read.
  const hasBody = call.body.length > 0 && call.method !== 'GET' && call.method !== 'HEAD';
  const handed = Object.assign(Readable.from(hasBody ? [call.body] : []), {
    method: call.method,
    url: `${call.url.pathname}${call.url.search}`,
    headers: {
      ...req.headers,
      [INVOCATION_ID_HEADER]: invocationId,
      'x-forwarded-host': call.url.host,
      'x-forwarded-proto': call.url.protocol.replace(/:$/, ''),
    },
  });
  // The library marks its responses with the invocation id; the host never passes that on.
  const setHeader = res.setHeader.bind(res);
  res.setHeader = (name, value) => (name.toLowerCase() === INVOCATION_ID_HEADER ? res : setHeader(name, value));
  // Writes after the client went away fail on the response; they are nobody's to hear.
  res.on('error', () => undefined);
  requestStart.publish({ request: handed, response: res, socket: res.socket, server: proxy.server });
  proxy.server.emit('request', handed, res);

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
    if (!res.headersSent) sendProblem(res, requestId, 'INTERNAL');
    else res.destroy();
    return;
  }
  // The library writes the whole response (to its end) before the invocation completes; one it
  // never began means the function returned nothing: an empty success, as the host answers.
  if (!res.headersSent && !res.writableEnded) {
    res.writeHead(204);
    res.end();
    return;
  }
  await finished(res);
}

/** Until the response is fully written or its connection closed. */
function finished(res: ServerResponse): Promise<void> {
  if (res.writableFinished || res.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    res.once('finish', resolve);
    res.once('close', resolve);
  });
}
