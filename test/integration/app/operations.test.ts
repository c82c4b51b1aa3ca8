import { call } from '../support/api';

describe('health and OpenAPI', () => {
  it('health answers 200 with Cosmos DB and Storage reachable, without a token', async () => {
    const res = await call('GET', '/api/v1/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', checks: { cosmos: { ok: true }, storage: { ok: true } } });
  });

  it('serves an OpenAPI 3.1 document covering every route', async () => {
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
});
