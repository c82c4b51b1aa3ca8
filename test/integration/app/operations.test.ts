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
    const { loadApp } = require('../../../tools/local-host/load-app') as typeof import('../../../tools/local-host/load-app');
    const app = loadApp(path.resolve(__dirname, '../../..'), { logger: () => {} });
    const routes = app.functions
      .filter((f) => f.trigger.type === 'httpTrigger' && f.name !== 'not-found')
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
