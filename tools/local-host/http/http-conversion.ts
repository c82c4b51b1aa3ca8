import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { RpcHttpCookie, RpcHttpData, RpcTypedData } from '../worker/core-types';

/**
 * The RPC shape the Functions host sends for an HTTP trigger, as `@azure/functions` reads it
 * (HttpRequest: url, method, headers, params, body.bytes). Query is left to the URL so repeated
 * keys survive.
 */
export function toRpcHttpRequest(input: {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
  body: Buffer;
}): RpcHttpData {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers)) {
    if (value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: input.method,
    url: input.url,
    headers,
    params: input.params,
    ...(input.body.length > 0 ? { body: { bytes: input.body } } : {}),
  };
}

/** Writes the function's RPC HTTP response unchanged: status, headers, cookies, body bytes. */
export function writeRpcHttpResponse(res: ServerResponse, http: RpcHttpData | null | undefined, isHead: boolean): void {
  if (!http) {
    // The handler returned nothing: an empty success, as the Functions host answers.
    res.writeHead(204);
    res.end();
    return;
  }
  const parsed = Number.parseInt(http.statusCode ?? '200', 10);
  const status = Number.isInteger(parsed) && parsed >= 100 && parsed <= 999 ? parsed : 200;

  const setCookies: string[] = [];
  for (const [name, value] of Object.entries(http.headers ?? {})) {
    if (name.toLowerCase() === 'set-cookie') setCookies.push(value);
    else res.setHeader(name, value);
  }
  for (const cookie of http.cookies ?? []) setCookies.push(formatCookie(cookie));
  if (setCookies.length > 0) res.setHeader('set-cookie', setCookies);

  const body = bodyBytes(http.body);
  const bodyless = isHead || status === 204 || status === 304 || (status >= 100 && status < 200);
  if (!bodyless) res.setHeader('content-length', body.length);
  res.writeHead(status);
  res.end(bodyless ? undefined : body);
}

function bodyBytes(data: RpcTypedData | null | undefined): Buffer {
  if (!data) return Buffer.alloc(0);
  if (data.bytes) return Buffer.from(data.bytes.buffer, data.bytes.byteOffset, data.bytes.byteLength);
  if (data.stream) return Buffer.from(data.stream.buffer, data.stream.byteOffset, data.stream.byteLength);
  if (typeof data.string === 'string') return Buffer.from(data.string, 'utf8');
  if (typeof data.json === 'string') return Buffer.from(data.json, 'utf8');
  return Buffer.alloc(0);
}

function formatCookie(cookie: RpcHttpCookie): string {
  const parts = [`${cookie.name ?? ''}=${cookie.value ?? ''}`];
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === 'number') parts.push(`Expires=${new Date(seconds * 1000).toUTCString()}`);
  if (typeof cookie.maxAge?.value === 'number') parts.push(`Max-Age=${Math.trunc(cookie.maxAge.value)}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  if (cookie.sameSite === 'lax') parts.push('SameSite=Lax');
  else if (cookie.sameSite === 'strict') parts.push('SameSite=Strict');
  else if (cookie.sameSite === 'explicitNone') parts.push('SameSite=None');
  return parts.join('; ');
}
