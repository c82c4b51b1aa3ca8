/**
 * Errors the service raises on purpose. Each carries its kind as a status number (the classes
 * below: bad request, forbidden, not found, conflict…), a stable `code`, and, for a passing
 * condition, how long to wait before trying again; `shared/http/problem.ts` is the one place that
 * turns them into problem+json responses and headers. Anything else thrown is a bug and answers a
 * generic 500 without detail.
 */
export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors: FieldError[] = [],
    /** Seconds after which the same request may succeed (a passing condition). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail ?? title);
    this.name = 'AppError';
  }
}

export class BadRequestError extends AppError {
  constructor(code: string, detail: string, errors: FieldError[] = []) {
    super(400, code, 'Bad request', detail, errors);
  }
}

export class ValidationError extends AppError {
  constructor(errors: FieldError[], detail = 'The request did not pass validation.', code = 'VALIDATION_FAILED') {
    super(400, code, 'Validation failed', detail, errors);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(detail = 'A valid bearer token is required.') {
    super(401, 'UNAUTHENTICATED', 'Unauthenticated', detail);
  }
}

export class ForbiddenError extends AppError {
  constructor(detail = 'You may not do this.', code = 'FORBIDDEN') {
    super(403, code, 'Forbidden', detail);
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
    super(404, 'NOT_FOUND', 'Not found', detail);
  }
}

/** A route that moved for good (PRODUCT §10c): the detail names the new form. */
export class GoneError extends AppError {
  constructor(detail: string, code = 'MOVED') {
    super(410, code, 'Gone', detail);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, detail: string, retryAfterSeconds?: number) {
    super(409, code, 'Conflict', detail, [], retryAfterSeconds);
  }
}

export class PreconditionFailedError extends AppError {
  constructor(detail = 'The resource has changed since you read it (ETag mismatch).') {
    super(412, 'PRECONDITION_FAILED', 'Precondition failed', detail);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail: string) {
    super(413, 'PAYLOAD_TOO_LARGE', 'Payload too large', detail);
  }
}

export class UnsupportedMediaTypeError extends AppError {
  constructor(detail = 'Send the body as application/json.') {
    super(415, 'UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', detail);
  }
}

export class UnprocessableError extends AppError {
  constructor(code: string, detail: string, errors: FieldError[] = []) {
    super(422, code, 'Unprocessable content', detail, errors);
  }
}

export class PreconditionRequiredError extends AppError {
  constructor(detail = 'Send If-Match with the ETag you read.') {
    super(428, 'PRECONDITION_REQUIRED', 'Precondition required', detail);
  }
}

export class ServiceUnavailableError extends AppError {
  constructor(detail: string, retryAfterSeconds = 1) {
    super(503, 'SERVICE_UNAVAILABLE', 'Service unavailable', detail, [], retryAfterSeconds);
  }
}

/** The store refused to grow: a logical partition is full (Cosmos DB's 403 with sub-status 1014). An operator must act; retrying will not help. */
export class StorageFullError extends AppError {
  constructor(detail = 'The data store has no room for this record. The operators have been alerted.') {
    super(507, 'STORAGE_FULL', 'Insufficient storage', detail);
  }
}
