import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RegisteredFunction } from '../worker/functions-core';
import { toRpcHttpRequest, writeRpcHttpResponse } from './http-conversion';
import { invokeThroughStreamProxy, type StreamProxy } from './http-stream-proxy';
import type { FunctionInvoker } from '../worker/invoke-function';
import type { HostLogger } from '../worker/logger';
import { rawProblem, requestIdFrom, sendProblem, type ProblemCode } from './problem-response';
import type { RouteTable } from './route-table';
import { serveStatic, type StaticSite } from './static-site';

/** A fixed path served by the host itself, outside the route prefix (e.g. a JWKS document). */
export interface ExtraRoute {
  method: string;
  path: string;
  handler: (request: ExtraRouteRequest) => Promise<{ status: number; headers?: Record<string, string>; body: string }>;
}

export interface ExtraRouteRequest {
  url: URL;
  headers: IncomingMessage['headers'];
  body: Buffer;
  /** The origins this host is reached at (http://127.0.0.1:<port>, http://localhost:<port>, http://[::1]:<port>). */
  origins: ReadonlySet<string>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  routes: RouteTable;
  functions: ReadonlyMap<string, RegisteredFunction>;
  invoker: FunctionInvoker;
  extraRoutes: readonly ExtraRoute[];
  maxRequestBodyBytes: number;
  /** How long close() lets in-flight requests finish before cutting connections. */
  closeGraceMs: number;
  logger: HostLogger;
  /** Set when the app enabled HTTP streaming: requests and responses then go through the worker's proxy. */
  streamProxy?: StreamProxy;
  /** Static files served outside the route prefix (the web console). */
  site?: StaticSite;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** What the parser's refusals answer, by Node's error code (any other `HPE_` code: not HTTP). */
const PARSER_REFUSALS: Record<string, [ProblemCode, string]> = {
  HPE_HEADER_OVERFLOW: ['HEADERS_TOO_LARGE', 'The request headers are over 16 KB together.'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: ['PAYLOAD_TOO_LARGE', 'A chunk extension is too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: ['REQUEST_TIMEOUT', 'The request did not arrive in time.'],
  HPE_INVALID: ['MALFORMED_REQUEST', 'The request is not valid HTTP/1.1.'],
};

type BodyResult = { kind: 'body'; body: Buffer } | { kind: 'too-large' } | { kind: 'aborted' };

export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  let port = options.port;
  // Filled in once listening (port 0 picks one): the only Host headers served.
  let loopback: { hosts: ReadonlySet<string>; origins: ReadonlySet<string> } = { hosts: new Set(), origins: new Set() };

  const server: Server = createServer({ keepAlive: true }, (req, res) => {
    inFlight.add(res);
    // Once closing, finish this response and then drop the connection instead of keeping it alive.
    if (closing) res.shouldKeepAlive = false;
    res.on('close', () => inFlight.delete(res));
    handle(req, res).catch((error: unknown) => {
      options.logger({ level: 'error', category: 'host', message: 'Unhandled error serving a request.', error });
      sendProblem(res, requestIdFrom(req.headers['x-request-id']), 'INTERNAL');
    });
  });
  // Refused by Node's parser before a request exists: answered as problem+json, not a bare status line.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    // As Node's own handler: nothing is written over a response already begun on the socket.
    const begun = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
    const code = error.code ?? '';
    const answer = PARSER_REFUSALS[code] ?? (code.startsWith('HPE_') ? PARSER_REFUSALS.HPE_INVALID! : undefined);
    if (!socket.writable || begun || !answer) return void socket.destroy();
    socket.end(rawProblem(...answer));
  });
  // Node's defaults (5 s keep-alive, headers timeout above it) suit a local host; keep them explicit.
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 60_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = requestIdFrom(req.headers['x-request-id']);
    const method = (req.method ?? 'GET').toUpperCase();
    // DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 reaches this port with
    // Host: evil.example:<port>, and to it this host would be same-origin. Only our own names are served.
    if (!loopback.hosts.has(String(req.headers.host ?? '').toLowerCase())) {
      sendProblem(res, requestId, 'MISDIRECTED', `This host answers only at ${[...loopback.hosts].join(', ')}.`);
      return;
    }
    const url = requestUrl(req, options.host, port);

    const extras = options.extraRoutes.filter((route) => route.path === url.pathname);
    if (extras.length > 0) {
      const extra = extras.find((route) => route.method.toUpperCase() === method);
      if (!extra) {
        const allow = [...new Set(extras.map((r) => r.method.toUpperCase()))].sort().join(', ');
        sendProblem(res, requestId, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}.`, { allow });
        return;
      }
      const body = await readBodyOrRefuse(req, res, requestId, options.maxRequestBodyBytes);
      if (!body) return;
      const result = await extra.handler({ url, headers: req.headers, body, origins: loopback.origins });
      res.writeHead(result.status, {
        ...result.headers,
        'content-length': Buffer.byteLength(result.body),
        'x-request-id': requestId,
      });
      res.end(method === 'HEAD' ? undefined : result.body);
      return;
    }

    if (options.site && (await serveStatic(options.site, method, url.pathname, res, requestId))) return;

    const resolution = options.routes.resolve(method, url.pathname);
    if (resolution.kind === 'not-found') {
      sendProblem(res, requestId, 'NOT_FOUND', `No function serves ${url.pathname}.`);
      return;
    }
    if (resolution.kind === 'method-not-allowed') {
      const allow = resolution.allow.join(', ');
      sendProblem(res, requestId, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${url.pathname}; allowed: ${allow}.`, {
        allow,
      });
      return;
    }

    const body = await readBodyOrRefuse(req, res, requestId, options.maxRequestBodyBytes);
    if (!body) return;

    const fn = options.functions.get(resolution.route.functionName);
    if (!fn) throw new Error(`Route table names unknown function "${resolution.route.functionName}".`);
    // The function sees the id the host logs, so one request id ties both logs together.
    const headers = { ...req.headers, 'x-request-id': requestId };
    const http = toRpcHttpRequest({ method, url: url.href, headers, params: resolution.params, body });
    const triggerMetadata = {
      Headers: { json: JSON.stringify(http.headers) },
      Query: { json: JSON.stringify(Object.fromEntries(url.searchParams)) },
      ...Object.fromEntries(Object.entries(resolution.params).map(([k, v]) => [k, { string: v }])),
    };
    if (options.streamProxy) {
      await invokeThroughStreamProxy({
        proxy: options.streamProxy,
        invoker: options.invoker,
        fn,
        method,
        url,
        route: resolution.route.template.text,
        http,
        body,
        triggerMetadata,
        requestId,
        req,
        res,
      });
      return;
    }
    let result;
    try {
      result = await options.invoker.invoke(fn, {
        // The route template, never the path or query: those may carry personal values (a plate).
        reason: `HTTP ${method} ${resolution.route.template.text} (x-request-id ${requestId})`,
        inputData: [{ name: fn.triggerName, data: { http } }],
        triggerMetadata,
      });
    } catch {
      // Already logged with the invocation id; the caller learns nothing about the cause.
      sendProblem(res, requestId, 'INTERNAL');
      return;
    }
    writeRpcHttpResponse(res, result.response.returnValue?.http, method === 'HEAD');
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]', hostForUrl.toLowerCase()].map((name) => `${name}:${port}`));
  loopback = { hosts, origins: new Set([...hosts].map((h) => `http://${h}`)) };

  let closed: Promise<void> | undefined;
  return {
    url: `http://${hostForUrl}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        closing = true;
        for (const res of inFlight) res.shouldKeepAlive = false;
        const force = setTimeout(() => server.closeAllConnections(), options.closeGraceMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

function requestUrl(req: IncomingMessage, host: string, port: number): URL {
  const fallback = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const hostHeader = req.headers.host;
  const target = req.url ?? '/';
  const base = hostHeader ? `http://${hostHeader}` : fallback;
  try {
    // The path as sent: resolved against the base, '//api/items' would be read as host 'api', path '/items'.
    return new URL(target.startsWith('/') ? `${base}${target}` : target, base);
  } catch {
    return new URL(req.url ?? '/', fallback);
  }
}

/** The whole body, or undefined once the request has been answered (413) or dropped (aborted). */
async function readBodyOrRefuse(req: IncomingMessage, res: ServerResponse, requestId: string, limit: number): Promise<Buffer | undefined> {
  const body = await readBody(req, limit);
  if (body.kind === 'body') return body.body;
  if (body.kind === 'aborted') {
    res.destroy();
    return undefined;
  }
  // The rest of the body is never read; closing the connection is the only way to be rid of it.
  res.shouldKeepAlive = false;
  sendProblem(res, requestId, 'PAYLOAD_TOO_LARGE', `Request bodies are limited to ${limit} bytes.`, { connection: 'close' });
  return undefined;
}

function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.pause();
    return Promise.resolve({ kind: 'too-large' });
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: BodyResult): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.pause();
        finish({ kind: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ kind: 'body', body: Buffer.concat(chunks, size) });
    const onError = (): void => finish({ kind: 'aborted' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
