import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type ProblemCode = 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'MISDIRECTED' | 'PAYLOAD_TOO_LARGE' | 'HEADERS_TOO_LARGE' | 'MALFORMED_REQUEST' | 'REQUEST_TIMEOUT' | 'INTERNAL';

const titles: Record<ProblemCode, { status: number; title: string }> = {
  NOT_FOUND: { status: 404, title: 'Not Found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed' },
  MISDIRECTED: { status: 421, title: 'Misdirected Request' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Content Too Large' },
  HEADERS_TOO_LARGE: { status: 431, title: 'Request Header Fields Too Large' },
  MALFORMED_REQUEST: { status: 400, title: 'Bad Request' },
  REQUEST_TIMEOUT: { status: 408, title: 'Request Timeout' },
  INTERNAL: { status: 500, title: 'Internal Server Error' },
};

const acceptableRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's x-request-id when it is safe to echo, else makes one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && acceptableRequestId.test(value) ? value : randomUUID();
}

/**
 * Answers with RFC 9457 problem+json. Used only for responses the host itself produces; a 500
 * carries no detail, so nothing about the failure leaks to the caller.
 */
export function sendProblem(
  res: ServerResponse,
  requestId: string,
  code: ProblemCode,
  detail?: string,
  headers: Record<string, string> = {},
): void {
  const { status, body } = problemOf(code, detail);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
    'x-request-id': requestId,
  });
  res.end(body);
}

function problemOf(code: ProblemCode, detail?: string): { status: number; title: string; body: string } {
  const { status, title } = titles[code];
  return { status, title, body: JSON.stringify({ type: 'about:blank', title, status, ...(detail !== undefined ? { detail } : {}), code }) };
}

/**
 * The whole HTTP response, as bytes for a socket, to a request Node's parser refused before there
 * was a request to answer (headers over its limit, a malformed request line): problem+json with
 * an x-request-id like every other answer, where Node would send a bare status line.
 */
export function rawProblem(code: ProblemCode, detail: string): string {
  const { status, title, body } = problemOf(code, detail);
  return (
    `HTTP/1.1 ${status} ${title}\r\nconnection: close\r\ncontent-type: application/problem+json\r\n` +
    `content-length: ${Buffer.byteLength(body)}\r\nx-request-id: ${randomUUID()}\r\n\r\n${body}`
  );
}
