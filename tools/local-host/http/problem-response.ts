import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

export type ProblemCode = 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'MISDIRECTED' | 'PAYLOAD_TOO_LARGE' | 'INTERNAL';

const titles: Record<ProblemCode, { status: number; title: string }> = {
  NOT_FOUND: { status: 404, title: 'Not Found' },
  METHOD_NOT_ALLOWED: { status: 405, title: 'Method Not Allowed' },
  MISDIRECTED: { status: 421, title: 'Misdirected Request' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Content Too Large' },
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
  const { status, title } = titles[code];
  const body = JSON.stringify({
    type: 'about:blank',
    title,
    status,
    ...(detail !== undefined ? { detail } : {}),
    code,
  });
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
