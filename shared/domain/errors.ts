/**
 * Errors the service raises on purpose. Each carries its domain kind (the classes below: bad
 * request, forbidden, not found, conflict…), a stable `code`, a detail for the caller, and, for a
 * passing condition, how long to wait before trying again. What a kind means on the wire (its
 * HTTP status and title) is not the domain's business: `shared/http/error-status.ts` maps each kind,
 * and `shared/http/problem.ts` is the one place that turns these errors into problem+json responses
 * and headers. Anything else thrown is a bug and answers a generic 500 without detail.
 */
export interface FieldError {
  path: string;
  message: string;
}

/** What went wrong, in the domain's terms: one per class below. */
export type ErrorKind =
  | 'bad-request'
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'gone'
  | 'conflict'
  | 'precondition-failed'
  | 'payload-too-large'
  | 'unsupported-media-type'
  | 'unprocessable'
  | 'precondition-required'
  | 'unavailable'
  | 'storage-full';

export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    detail: string,
    readonly errors: FieldError[] = [],
    /** Seconds after which the same request may succeed (a passing condition). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = 'AppError';
  }
}

/**
 * The caller's to correct (the request, its credentials or the state it assumed), not the
 * service's: everything but a store that is briefly unavailable or full.
 */
export function isClientError(error: AppError): boolean {
  return error.kind !== 'unavailable' && error.kind !== 'storage-full';
}

export class BadRequestError extends AppError {
  constructor(code: string, detail: string, errors: FieldError[] = []) {
    super('bad-request', code, detail, errors);
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = 'The request did not pass validation.', code = 'VALIDATION_FAILED') {
    super('validation', code, detail, errors);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(detail = 'A valid bearer token is required.') {
    super('unauthenticated', 'UNAUTHENTICATED', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You may not do this.', code = 'FORBIDDEN') {
    super('forbidden', code, detail);
  }
}

export class MfaRequiredError extends ForbiddenError {
  constructor() {
    super('This action needs a sign-in with multi-factor authentication.', 'MFA_REQUIRED');
  }
}

/** Also what a caller gets for a resource that exists but is not visible to them. */
export class NotFoundError extends AppError {
  constructor(detail = 'The resource does not exist.') {
    super('not-found', 'NOT_FOUND', detail);
  }
}

/** A route that moved for good (PRODUCT §10c): the detail names the new form; or what a request made is deleted since (RESOURCE_DELETED). */
export class GoneError extends AppError {
  constructor(detail: string, code = 'MOVED') {
    super('gone', code, detail);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string, retryAfterSeconds?: number) {
    super('conflict', code, detail, [], retryAfterSeconds);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(detail = 'The resource has changed since you read it (ETag mismatch).') {
    super('precondition-failed', 'PRECONDITION_FAILED', detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail: string) {
    super('payload-too-large', 'PAYLOAD_TOO_LARGE', detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail = 'Send the body as application/json.') {
    super('unsupported-media-type', 'UNSUPPORTED_MEDIA_TYPE', detail);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, detail: string, errors: FieldError[] = []) {
    super('unprocessable', code, detail, errors);
  }
}

export class PreconditionRequiredError extends AppError {
  constructor(detail = 'Send If-Match with the ETag you read.') {
    super('precondition-required', 'PRECONDITION_REQUIRED', detail);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, retryAfterSeconds = 1) {
    super('unavailable', 'SERVICE_UNAVAILABLE', detail, [], retryAfterSeconds);
  }
}

/** The store refused to grow: a logical partition is full (Cosmos DB's Forbidden with sub-status 1014). An operator must act; retrying will not help. */
export class StorageFullError extends AppError {
  constructor(detail = 'The data store has no room for this record. The operators have been alerted.') {
    super('storage-full', 'STORAGE_FULL', detail);
  }
}
