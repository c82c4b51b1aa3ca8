import { retailerWorld } from '../support/world';
import path from 'node:path';
import { call } from '../support/api';

describe('health and OpenAPI', () => {
  it('health answers 200 with Cosmos DB and Storage reachable, without a token', async () => {
    const res = await call('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { cosmos: { ok: true }, storage: { ok: true } } });
  });

  it('serves an OpenAPI 3.1 document with its security scheme and request schemas', async () => {
    const res = await call('GET', '/api/v1/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const paths = res.body.paths as Record<string, Record<string, { operationId: string }>>;
    const ops = Object.entries(paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));
    expect(ops).toEqual(
      expect.arrayContaining([
        'POST /api/v1/orgs',
        'GET /api/v1/orgs/{orgId}',
        'PUT /api/v1/stores/{storeId}',
        'GET /api/v1/stores',
        'GET /api/v1/settings',
        'PUT /api/v1/settings',
        'GET /api/v1/audit/verify',
        'GET /api/v1/audit/export',
        'POST /api/v1/admin/jobs/audit-digest',
        'GET /api/v1/health',
        'GET /api/v1/openapi.json',
      ]),
    );
    expect(res.body.paths['/api/v1/settings'].put.requestBody.content['application/json'].schema).toBeDefined();
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('documents every registered HTTP route, and nothing that is not one', async () => {
    // The app's registrations, loaded as the worker loads them (the compiled app the stack runs).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { loadApp } = require('../../../tools/local-host/worker/load-app') as typeof import('../../../tools/local-host/worker/load-app');
    const app = loadApp(path.resolve(__dirname, '../../..'), { logger: () => {} });
    const routes = app.functions
      .filter((f) => f.trigger.type === 'httpTrigger' && f.name !== 'not-found' && !f.name.endsWith('-moved'))
      .flatMap((f) => ((f.trigger.methods as string[] | undefined) ?? []).map((m) => `${m.toUpperCase()} /api/${String(f.trigger.route).replace(/\{(\w+)(:[^}]*)?\??\}/g, '{$1}')}`))
      .sort();
    const doc = (await call('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
      .sort();
    expect(routes.length).toBeGreaterThan(40);
    expect(documented).toEqual(routes);
  });
});

describe('no personal value in a URL (PRODUCT §10c)', () => {
  // Opaque ids may travel in URLs; anything that can hold a name, plate, phone, date of birth or free text may not.
  const OPAQUE = /^(id|orgId|storeId|eventId|evidenceId|profileId|linkId|alertId|agreementId|subscriptionId|caseFileId)$/;
  const PERSONAL = /name|given|family|alias|plate|phone|birth|dob|feature|description|text|note|reason|search|q$|query|email|address|clothing/i;

  it('no path parameter is anything but an opaque id, and no query parameter can carry a personal value', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    };
    const params = Object.entries(doc.paths).flatMap(([p, methods]) =>
      Object.entries(methods).flatMap(([m, op]) => (op.parameters ?? []).map((q) => ({ at: `${m.toUpperCase()} ${p}`, ...q }))),
    );
    expect(params.length).toBeGreaterThan(30);
    const badPath = params.filter((q) => q.in === 'path' && !OPAQUE.test(q.name));
    const badQuery = params.filter((q) => q.in === 'query' && PERSONAL.test(q.name));
    expect({ badPath, badQuery }).toEqual({ badPath: [], badQuery: [] });
  });

  it('the retired forms answer 410 MOVED, naming the body-carrying form', async () => {
    for (const [url, to] of [
      ['/api/v1/profiles/search?name=Jon%20Smith', 'POST /api/v1/profiles/search'],
      ['/api/v1/vehicles/ABC123/events', 'POST /api/v1/vehicles/enquiries'],
      ['/api/v1/events?plate=ABC123&pageSize=5', 'POST /api/v1/vehicles/enquiries'],
    ] as const) {
      const res = await call('GET', url);
      expect([res.status, res.body.code]).toEqual([410, 'MOVED']);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.detail).toContain(to);
      expect(res.text).not.toMatch(/Jon|ABC123/);
    }
  });
});

describe('what the OpenAPI document tells a client (issue 23)', () => {
  type Op = { parameters?: { in: string; name: string }[]; responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>; requestBody?: unknown };
  let ops: [string, Op][];
  beforeAll(async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Op>> };
    ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => [`${m.toUpperCase()} ${p}`, op] as [string, Op]));
  });

  it('every operation documents its error statuses as problem+json, and x-request-id on every response', () => {
    for (const [name, op] of ops) {
      const statuses = Object.keys(op.responses);
      expect({ name, has: ['400', '404', '503'].every((s) => statuses.includes(s)) }).toEqual({ name, has: true });
      if (op.requestBody) expect({ name, has: ['413', '415', '422'].every((s) => statuses.includes(s)) }).toEqual({ name, has: true });
      for (const [status, r] of Object.entries(op.responses)) {
        expect({ name, status, requestId: Boolean(r.headers?.['x-request-id']) }).toEqual({ name, status, requestId: true });
        // Health's 503 is its own report (which check failed), as load balancers read it.
        if (Number(status) >= 400 && name !== 'GET /api/v1/health') expect({ name, status, problem: Object.keys(r.content ?? {}) }).toEqual({ name, status, problem: ['application/problem+json'] });
      }
      if (name !== 'GET /api/v1/health') expect({ name, retryAfter: Boolean(op.responses['503']!.headers?.['retry-after']) }).toEqual({ name, retryAfter: true });
    }
  });

  it('request and response headers: If-Match with 412/428, Idempotency-Key, ETag, Location', () => {
    const op = (name: string) => ops.find(([n]) => n === name)![1];
    const headerParams = (o: Op) => (o.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    for (const name of ['PATCH /api/v1/events/{id}', 'PUT /api/v1/settings']) {
      expect(headerParams(op(name))).toContain('if-match');
      expect(Object.keys(op(name).responses)).toContain('412');
      expect(op(name).responses['200']!.headers?.etag).toBeDefined();
    }
    // Required on a correction (PRODUCT §2), optional on settings (§5 asks none): only the first answers 428.
    expect(Object.keys(op('PATCH /api/v1/events/{id}').responses)).toContain('428');
    expect(Object.keys(op('PUT /api/v1/settings').responses)).not.toContain('428');
    expect(headerParams(op('POST /api/v1/events'))).toContain('idempotency-key');
    for (const [name, o] of ops) if (o.responses['201'] && name !== 'POST /api/v1/events/{id}/messages') expect({ name, location: Boolean(o.responses['201'].headers?.location) }).toEqual({ name, location: true });
  });
});

describe('the API reference page (issue 23)', () => {
  it('serves an interactive reference of the published document, with its script from the app itself', async () => {
    const page = await call('GET', '/api/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('data-url="/api/v1/openapi.json"');
    expect(page.text).toContain('src="/api/docs/scalar.js"');
    expect(page.text).not.toMatch(/https?:\/\//);
    const script = await fetch(`${process.env.DAYBREAK_BASE_URL}/api/docs/scalar.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('javascript');
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    const doc = (await call('GET', '/api/v1/openapi.json')).body as { tags: { name: string }[]; paths: Record<string, Record<string, { tags: string[] }>> };
    const used = new Set(Object.values(doc.paths).flatMap((m) => Object.values(m).flatMap((o) => o.tags)));
    expect(doc.tags.map((t) => t.name).sort()).toEqual([...used].sort());
  });

  it('may load and call only this service, in no frame, without its web fonts (people paste tokens into it)', async () => {
    const page = await call('GET', '/api/docs');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self';");
    expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.text).toContain('"withDefaultFonts":false');
  });
});

describe('every answer', () => {
  it('forbids content sniffing and asks for HTTPS; one a caller was authorised to read is kept by no cache', async () => {
    const w = await retailerWorld();
    const authorised = await call('GET', '/api/v1/settings', { token: w.admin });
    const refused = await call('GET', '/api/v1/events/00000000-0000-4000-8000-000000000000', { token: w.admin });
    const anonymous = await call('GET', '/api/v1/openapi.json');
    const noRoute = await call('GET', '/api/v1/no-such-route');
    expect(noRoute.status).toBe(404);
    for (const res of [authorised, refused, anonymous, noRoute]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    }
    expect(authorised.headers.get('cache-control')).toBe('no-store');
    expect(refused.headers.get('cache-control')).toBe('no-store');
    // A route's own policy stands (the public report may be cached for five minutes).
    expect((await call('GET', '/api/v1/transparency/public?year=2026')).headers.get('cache-control')).toBe('public, max-age=300');
  });
});
