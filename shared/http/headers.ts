import type { HttpRequest } from '../adapters/functions-runtime';
import { ValidationError } from '../domain/errors';

const KEY = /^[\x21-\x7e]{1,128}$/;

/** Idempotency-Key: optional, 1–128 visible ASCII characters. */
export function idempotencyKey(request: HttpRequest): string | null {
  const value = request.headers.get('idempotency-key');
  if (value === null) return null;
  if (!KEY.test(value)) {
    throw new ValidationError([{ path: 'Idempotency-Key', message: 'Use 1–128 visible ASCII characters.' }], 'Bad Idempotency-Key header.');
  }
  return value;
}
