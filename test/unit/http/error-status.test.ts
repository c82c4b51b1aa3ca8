import { AppError, type ErrorKind, isClientError } from '../../../shared/domain/errors';
import { ERROR_STATUS, httpStatusOf } from '../../../shared/http/error-status';

/** The statuses and titles each kind answered before kinds replaced them in shared/domain (unchanged on the wire). */
const BEFORE: Record<ErrorKind, [number, string]> = {
  'bad-request': [400, 'Bad request'],
  validation: [400, 'Validation failed'],
  unauthenticated: [401, 'Unauthenticated'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  gone: [410, 'Gone'],
  conflict: [409, 'Conflict'],
  'precondition-failed': [412, 'Precondition failed'],
  'payload-too-large': [413, 'Payload too large'],
  'unsupported-media-type': [415, 'Unsupported media type'],
  unprocessable: [422, 'Unprocessable content'],
  'precondition-required': [428, 'Precondition required'],
  unavailable: [503, 'Service unavailable'],
  'storage-full': [507, 'Insufficient storage'],
};
const KINDS = Object.keys(BEFORE) as ErrorKind[];

describe('ERROR_STATUS', () => {
  it('gives every kind, and only those, the status and title it answered before', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) expect([kind, ERROR_STATUS[kind].status, ERROR_STATUS[kind].title]).toEqual([kind, ...BEFORE[kind]]);
  });

  it.each(KINDS)('httpStatusOf an error of kind %s is its status', (kind) => {
    expect(httpStatusOf(new AppError(kind, 'X', 'detail'))).toBe(BEFORE[kind][0]);
  });

  it.each(KINDS)('a %s error is the client\'s exactly when it answers below 500', (kind) => {
    expect(isClientError(new AppError(kind, 'X', 'detail'))).toBe(BEFORE[kind][0] < 500);
  });
});
