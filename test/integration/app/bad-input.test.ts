import { randomUUID } from 'node:crypto';
import { call, tokenFor } from '../support/api';
import { retailerWorld } from '../support/world';

/**
 * Bad input gets a clear 4xx problem+json on every route that takes input, driven by the
 * published OpenAPI document (so a new route is covered the day it is added): path parameters
 * too long or naming another tenant's (or no one's) record, query parameters of the wrong type or
 * outside their enum, and bodies that are malformed, of the wrong type, with an unknown field or
 * too large. Never a 2xx, never a 5xx.
 */
interface Operation {
  parameters?: { name: string; in: 'path' | 'query'; schema?: { type?: string; enum?: unknown[] } }[];
  requestBody?: unknown;
}

const SKIP = new Set(['/api/v1/health', '/api/v1/openapi.json']);

describe('bad input on every route that takes input', () => {
  it('answers 4xx problem+json, never 2xx or 5xx', async () => {
    const w = await retailerWorld();
    const token = await tokenFor({ org: w.org, roles: ['RetailerAdmin', 'Investigator', 'Compliance', 'Reporter'], sub: 'all-roles', mfa: true });
    const platform = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
    const doc = (await call('GET', '/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>> };
    const wrong: string[] = [];
    let cases = 0;
    const expect4xx = async (what: string, method: string, url: string, init: { rawBody?: string; headers?: Record<string, string> } = {}) => {
      cases++;
      for (const bearer of url.includes('/admin/') || url.startsWith('/api/v1/orgs') ? [platform] : [token]) {
        const res = await call(method, url, { token: bearer, ...init });
        const problem = (res.headers.get('content-type') ?? '').startsWith('application/problem+json');
        if (res.status < 400 || res.status >= 500 || !problem) wrong.push(`${method} ${url} (${what}): ${res.status} ${res.text.slice(0, 120)}`);
      }
    };
    for (const [template, methods] of Object.entries(doc.paths)) {
      if (SKIP.has(template)) continue;
      for (const [m, op] of Object.entries(methods)) {
        const method = m.toUpperCase();
        const params = op.parameters ?? [];
        const pathParams = params.filter((p) => p.in === 'path');
        const fill = (value: (name: string) => string) => template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(value(name)));
        const good = fill(() => randomUUID());
        const json = { 'content-type': 'application/json' };
        for (const p of pathParams) {
          await expect4xx(`${p.name} too long`, method, template.replace(`{${p.name}}`, 'x'.repeat(300)).replace(/\{(\w+)\}/g, () => randomUUID()), op.requestBody ? { rawBody: '{}', headers: json } : {});
          await expect4xx(`${p.name} of no one's record`, method, good, op.requestBody ? { rawBody: '{}', headers: json } : {});
        }
        for (const p of params.filter((x) => x.in === 'query')) {
          const bad = p.schema?.enum ? 'zz-not-a-value' : p.schema?.type === 'integer' || p.schema?.type === 'number' ? 'abc' : p.schema?.type === 'boolean' ? 'maybe' : undefined;
          if (bad) await expect4xx(`query ${p.name}=${bad}`, method, `${good}?${p.name}=${bad}`);
        }
        if (op.requestBody) {
          await expect4xx('malformed JSON', method, good, { rawBody: '{"a":', headers: json });
          await expect4xx('a body of the wrong type', method, good, { rawBody: '[1,2,3]', headers: json });
          await expect4xx('an unknown field', method, good, { rawBody: JSON.stringify({ zzUnknownField: 1 }), headers: json });
          await expect4xx('too large', method, good, { rawBody: JSON.stringify({ description: 'x'.repeat(1_100_000) }), headers: json });
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cases).toBeGreaterThan(100);
  }, 180_000);
});
