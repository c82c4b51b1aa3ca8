import { call, createOrg, tokenFor } from '../support/api';

describe('the HTTP edge', () => {
  let admin: string;
  let platform: string;
  let org: string;
  beforeAll(async () => {
    org = await createOrg('retailer');
    admin = await tokenFor({ org, roles: ['RetailerAdmin'], mfa: true });
    platform = await tokenFor({ roles: ['PlatformAdmin'] });
  });

  it('an unknown route is a 404 problem with a request id', async () => {
    const res = await call('GET', '/api/v1/no-such-thing');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('echoes a safe incoming x-request-id and replaces an unsafe one', async () => {
    expect((await call('GET', '/api/v1/health', { headers: { 'x-request-id': 'trace-42' } })).headers.get('x-request-id')).toBe(
      'trace-42',
    );
    const res = await call('GET', '/api/v1/health', { headers: { 'x-request-id': 'x'.repeat(200) } });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['malformed JSON', { rawBody: '{"retentionDays":', headers: { 'content-type': 'application/json' } }, 400, 'MALFORMED_JSON'],
    ['a wrong content type', { rawBody: 'retentionDays=365', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    ['an empty body', { rawBody: '', headers: { 'content-type': 'application/json' } }, 400, 'BODY_REQUIRED'],
    ['a body over 1 MiB', { rawBody: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }), headers: { 'content-type': 'application/json' } }, 413, 'PAYLOAD_TOO_LARGE'],
    ['an unknown field', { body: { retentionDays: 365, favouriteColour: 'red' } }, 400, 'VALIDATION_FAILED'],
    ['a wrong type', { body: { retentionDays: 'a year' } }, 400, 'VALIDATION_FAILED'],
    ['a JSON array', { body: [1, 2] }, 400, 'VALIDATION_FAILED'],
    ['JSON null', { rawBody: 'null', headers: { 'content-type': 'application/json' } }, 400, 'VALIDATION_FAILED'],
    ['__proto__ smuggling', { rawBody: '{"__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } }, 400, 'VALIDATION_FAILED'],
  ])('%s → %i %s', async (_what, options, status, code) => {
    const res = await call('PUT', '/api/v1/settings', { token: admin, ...options });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ status, code });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('field errors name the path', async () => {
    const res = await call('PUT', '/api/v1/settings', { token: admin, body: { lprAlerts: { minEvents: 0 } } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'lprAlerts.minEvents' })]);
  });

  it('a bad query parameter is a 400, not a 5xx', async () => {
    const token = await tokenFor({ org: 'x', roles: ['Compliance'] });
    for (const q of ['from=yesterday', 'to=2026-13-45T00:00:00Z', 'unknown=1']) {
      const res = await call('GET', `/api/v1/audit/verify?${q}`, { token });
      expect(res.status).toBe(400);
    }
  });

  it('a bad id where PUT creates the resource is a 400: the client chose it', async () => {
    const res = await call('PUT', '/api/v1/stores/bad%20id%3F', { token: admin, body: { name: 'x', jurisdiction: 'NZ-AKL' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('storeId');
  });

  it('an id that could never have been issued is a 404, as one that does not exist (PRODUCT §1)', async () => {
    const investigator = await tokenFor({ org, roles: ['Investigator', 'RetailerAdmin'], mfa: true });
    for (const [method, url] of [
      ['GET', '/api/v1/events/nope'],
      ['PATCH', '/api/v1/events/nope'],
      ['DELETE', '/api/v1/events/x'.padEnd(100, 'x')],
      ['GET', '/api/v1/evidence/bad%20id'],
      ['GET', '/api/v1/profiles/nope'],
      ['GET', '/api/v1/subscriptions/nope'],
      ['GET', '/api/v1/subscriptions/nope/deliveries'],
      ['GET', '/api/v1/case-files/nope'],
      // A PUT on something that must already exist names nothing either.
      ['PUT', '/api/v1/events/nope/legal-hold'],
    ] as const) {
      const res = await call(method, url, { token: investigator, ...(method === 'PATCH' ? { body: {}, headers: { 'if-match': '"x"' } } : method === 'PUT' ? { body: { reason: 'x' } } : {}) });
      expect({ url, status: res.status, code: res.body?.code }).toEqual({ url, status: 404, code: 'NOT_FOUND' });
    }
  });

  it('no response leaks a stack trace or internal name', async () => {
    const probes = [
      await call('POST', '/api/v1/orgs', { token: platform, rawBody: '{', headers: { 'content-type': 'application/json' } }),
      await call('POST', '/api/v1/orgs', { token: platform, body: { id: 'Bad Id', type: 'x' } }),
      await call('DELETE', '/api/v1/settings', { token: admin }),
      await call('GET', '/api/v1/orgs/%00', { token: platform }),
    ];
    for (const res of probes) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.text).not.toMatch(/\bat [\w.<>]+ \(|node_modules|cosmos|azure|TypeError|ReferenceError/i);
    }
  });
});
