import { HttpRequest } from '@azure/functions';
import { type AppError, NotFoundError, ValidationError } from '../../../shared/domain/errors';
import { httpStatusOf } from '../../../shared/http/error-status';
import { MAX_JSON_BYTES, readJsonBody } from '../../../shared/http/json-body';
import { problemResponse } from '../../../shared/http/problem';
import { requestIdFrom } from '../../../shared/http/request-id';

const silent = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };

const request = (body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  new HttpRequest({
    method: 'POST',
    url: 'http://localhost/api/v1/x',
    headers,
    body: { bytes: typeof body === 'string' ? Buffer.from(body) : body },
  });

describe('problemResponse', () => {
  it('maps an AppError to problem+json with its status, code and field errors', () => {
    const res = problemResponse(new ValidationError([{ path: 'a.b', message: 'bad' }]), 'req-1', silent);
    expect(res.status).toBe(400);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json', 'x-request-id': 'req-1' });
    expect(JSON.parse(res.body as string)).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      errors: [{ path: 'a.b', message: 'bad' }],
    });
  });
  it('hides everything about an unexpected error', () => {
    const res = problemResponse(new TypeError('Cannot read properties of undefined (reading cosmosClient)'), 'req-2', silent);
    expect(res.status).toBe(500);
    expect(res.body as string).not.toMatch(/cosmos|TypeError|at /i);
    expect(JSON.parse(res.body as string)).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(silent.error).toHaveBeenCalled();
  });
  it.each([
    ['a 503 from Cosmos DB', Object.assign(new Error('Service unavailable'), { code: 503 }), '1'],
    ['a 429 that outlasted the SDK, asking for 2.5 s', Object.assign(new Error('Too many requests'), { code: 429, headers: { 'x-ms-retry-after-ms': '2500' } }), '3'],
    ['a 408 time-out', Object.assign(new Error('Request timeout'), { code: 408 }), '1'],
    ["Storage's ServerBusy (its status in statusCode)", Object.assign(new Error('busy'), { code: 'ServerBusy', statusCode: 503 }), '1'],
    ['a dropped connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), '1'],
    ["the SDK's own time-out", Object.assign(new Error('Timeout Error!'), { name: 'TimeoutError', code: 'TimeoutError' }), '1'],
  ])('answers %s with 503 and Retry-After, never 500', (_what, error, retryAfter) => {
    const res = problemResponse(error, 'req-3', silent);
    expect(res.status).toBe(503);
    expect(res.headers).toMatchObject({ 'content-type': 'application/problem+json', 'retry-after': retryAfter });
    expect(JSON.parse(res.body as string)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
  });
  it.each([
    ['a 409 conflict', Object.assign(new Error('conflict'), { code: 409 })],
    ['a 400 from the store (a bug in a query)', Object.assign(new Error('bad request'), { code: 400 })],
    ["Storage's 500 after its own retries", Object.assign(new Error('internal'), { code: 'InternalError', statusCode: 500 })],
  ])('leaves %s a 500: not transient, a bug to look at', (_what, error) => {
    expect(problemResponse(error, 'req-4', silent).status).toBe(500);
  });
  it('answers a full logical partition (403/1014) with 507 STORAGE_FULL and logs it as an error: retrying would not help', () => {
    const log = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const res = problemResponse(Object.assign(new Error('Partition key reached maximum size'), { code: 403, substatus: 1014 }), 'req-5', log);
    expect(res.status).toBe(507);
    expect(res.headers).not.toHaveProperty('retry-after');
    expect(JSON.parse(res.body as string)).toMatchObject({ code: 'STORAGE_FULL', status: 507 });
    expect(log.error).toHaveBeenCalled();
    expect(problemResponse(Object.assign(new Error('forbidden'), { code: 403 }), 'req-6', silent).status).toBe(500);
  });
  it('keeps 404 detail generic', () => {
    expect(JSON.parse(problemResponse(new NotFoundError(), 'r', silent).body as string).code).toBe('NOT_FOUND');
  });
});

describe('readJsonBody', () => {
  it('parses JSON, with or without charset and +json types', async () => {
    await expect(readJsonBody(request('{"a":1}'))).resolves.toEqual({ a: 1 });
    await expect(readJsonBody(request('[1]', { 'content-type': 'application/json; charset=utf-8' }))).resolves.toEqual([1]);
    await expect(readJsonBody(request('{}', { 'content-type': 'application/merge-patch+json' }))).resolves.toEqual({});
  });
  it.each([
    ['malformed JSON', request('{"a":'), 400, 'MALFORMED_JSON'],
    ['an empty body', request(''), 400, 'BODY_REQUIRED'],
    ['text/plain', request('{}', { 'content-type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['no content type', request('{}', {}), 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['a body over 1 MiB', request(`"${'x'.repeat(MAX_JSON_BYTES)}"`), 413, 'PAYLOAD_TOO_LARGE'],
    [
      'a declared length over 1 MiB',
      request('{}', { 'content-type': 'application/json', 'content-length': String(MAX_JSON_BYTES + 1) }),
      413,
      'PAYLOAD_TOO_LARGE',
    ],
  ])('refuses %s', async (_what, req, status, code) => {
    const error = await readJsonBody(req).then(() => { throw new Error('expected a refusal'); }, (e: unknown) => e as AppError);
    expect([httpStatusOf(error), error.code]).toEqual([status, code]);
  });
});

describe('requestIdFrom', () => {
  it('echoes a safe id and replaces an unsafe one', () => {
    expect(requestIdFrom('abc-123')).toBe('abc-123');
    expect(requestIdFrom('bad id\n')).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom('x'.repeat(129))).toMatch(/^[0-9a-f-]{36}$/);
    expect(requestIdFrom(null)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
