import type { HttpRequest } from '../adapters/functions-runtime';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../domain/errors';

export const MAX_JSON_BYTES = 1024 * 1024;

const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\s*(;|$)/i;

/**
 * Reads a JSON body within the 1 MiB limit: 415 for another media type, 413 when too
 * large (judged from Content-Length before reading, and from the bytes after), 400 when
 * absent or not JSON.
 */
export async function readJsonBody(request: HttpRequest, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const type = request.headers.get('content-type') ?? '';
  const bytes = Buffer.from(await request.arrayBuffer());
  if (bytes.length > maxBytes) throw tooLarge(maxBytes);
  if (bytes.length === 0) throw new BadRequestError('BODY_REQUIRED', 'A JSON body is required.');
  if (!JSON_TYPE.test(type)) throw new UnsupportedMediaTypeError();
  const text = bytes.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BadRequestError('MALFORMED_JSON', 'The body is not valid JSON.');
  }
}

function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`JSON bodies are limited to ${maxBytes} bytes.`);
}
