import { randomUUID } from 'node:crypto';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuse a caller's x-request-id when it is safe to echo and log; otherwise mint one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && SAFE_ID.test(header) ? header : randomUUID();
}
