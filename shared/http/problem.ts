import type { HttpResponseInit } from '../adapters/functions-runtime';
import { AppError, ServiceUnavailableError, StorageFullError } from '../domain/errors';
import { ERROR_STATUS, httpStatusOf } from './error-status';
import { isTransientFault, retryAfterSeconds } from '../adapters/transient-faults';
import { isPartitionFull } from '../adapters/cosmos-errors';
import type { Logger } from '../telemetry/logger';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * The one place an error becomes an HTTP response (RFC 9457 problem+json). Errors raised on
 * purpose answer their kind's status and title (error-status.ts) with their code and detail;
 * anything else is logged with its stack and answers a bare 500, so no stack trace or internal
 * name ever leaves the service.
 */
export function problemResponse(thrown: unknown, requestId: string, log: Logger): HttpResponseInit {
  const error = asServiceError(thrown, log);
  const known = error instanceof AppError;
  const status = known ? httpStatusOf(error) : 500;
  if (!known) {
    log.error('Unhandled error', { error: error instanceof Error ? error.stack ?? error.message : String(error) });
  } else if (status >= 500) {
    log.warn('Service error', { code: error.code, detail: error.message });
  }
  const code = known ? error.code : 'INTERNAL';
  const body = {
    type: `urn:daybreak:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: known ? ERROR_STATUS[error.kind].title : 'Internal error',
    status,
    detail: known ? error.message : `Something went wrong on our side. Quote request id ${requestId}.`,
    code,
    errors: known ? error.errors : [],
  };
  return {
    status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'x-request-id': requestId,
      ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
      ...(known && error.retryAfterSeconds !== undefined ? { 'retry-after': String(error.retryAfterSeconds) } : {}),
    },
    body: JSON.stringify(body),
  };
}

/**
 * A store or storage fault that outlasted the retries (throttling, failover, time-out, a dropped
 * connection) is the moment's, not the request's: 503 with Retry-After, so the client retries
 * (with the same Idempotency-Key where it writes). Never 500: that is for bugs.
 */
function asServiceError(error: unknown, log: Logger): unknown {
  if (isPartitionFull(error)) {
    // Not the moment's: the design bounds every partition (docs/decisions/0004), so this one outgrew it.
    log.error('A Cosmos DB logical partition is full; answered 507', { error: error instanceof Error ? error.message : String(error) });
    return new StorageFullError();
  }
  if (error instanceof AppError || !isTransientFault(error)) return error;
  const seconds = retryAfterSeconds(error);
  log.warn('Transient store fault; answered 503', { error: error instanceof Error ? error.message : String(error), retryAfter: seconds });
  return new ServiceUnavailableError('The data store is busy or briefly unavailable; retry after the time in Retry-After.', seconds);
}
