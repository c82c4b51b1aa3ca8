import type { AppError, ErrorKind } from '../domain/errors';

/** What each kind of domain error answers over HTTP: its status and the problem+json title. */
export const ERROR_STATUS: Record<ErrorKind, { status: number; title: string }> = {
  'bad-request': { status: 400, title: 'Bad request' },
  validation: { status: 400, title: 'Validation failed' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  gone: { status: 410, title: 'Gone' },
  conflict: { status: 409, title: 'Conflict' },
  'precondition-failed': { status: 412, title: 'Precondition failed' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable content' },
  'precondition-required': { status: 428, title: 'Precondition required' },
  unavailable: { status: 503, title: 'Service unavailable' },
  'storage-full': { status: 507, title: 'Insufficient storage' },
};

/** The HTTP status a domain error answers. */
export function httpStatusOf(error: AppError): number {
  return ERROR_STATUS[error.kind].status;
}
