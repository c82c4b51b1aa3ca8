import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { request } from '../local-host/helpers';
import { baseUrl, call } from '../support/api';

/** The local host's development sign-in: tokens the stack accepts, asked for only by its own page. */
describe('the development sign-in', () => {
  const ask = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl()}/dev/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('tells the console where sign-in is, and signs a token the API accepts', async () => {
    expect(await (await fetch(`${baseUrl()}/console-config.json`)).json()).toEqual({ signInUrl: '/dev/sign-in' });
    const res = await ask({ roles: ['PlatformAdmin'], sub: 'console-admin', mfa: true }, { origin: baseUrl() });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    expect(decodeJwt(token)).toMatchObject({ sub: 'console-admin', roles: ['PlatformAdmin'], amr: ['pwd', 'mfa'] });
    expect((await call('GET', '/api/v1/orgs/no-such-org', { token })).status).toBe(404);
  });

  it('refuses another origin, a body that is not JSON, and a role the API does not know', async () => {
    expect((await ask({ roles: ['Compliance'] }, { origin: 'http://example.test' })).status).toBe(403);
    const form = await fetch(`${baseUrl()}/dev/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"roles":["Compliance"]}' });
    expect(form.status).toBe(403);
    const unknown = await ask({ roles: ['Superuser'] });
    expect([unknown.status, ((await unknown.json()) as { error: string }).error]).toEqual([400, expect.stringContaining('roles.0')]);
  });

  it('accepts its other loopback names as origin, and refuses a page whose name was rebound to this address', async () => {
    const { port } = new URL(baseUrl());
    expect((await ask({ roles: ['Compliance'] }, { origin: `http://localhost:${port}` })).status).toBe(200);
    // DNS rebinding: evil.example now resolves to 127.0.0.1, so its page reaches this port as its own origin.
    const evil = `evil.example:${port}`;
    const body = JSON.stringify({ roles: ['Compliance'] });
    const rebound = await request(`${baseUrl()}/dev/token`, {
      method: 'POST',
      headers: { host: evil, origin: `http://${evil}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      body,
    });
    expect([rebound.status, rebound.text]).toEqual([421, expect.not.stringContaining('token')]);
    expect((await request(`${baseUrl()}/console-config.json`, { headers: { host: evil } })).status).toBe(421);
    // The Origin is checked against the host's own names, not against Host.
    const mismatched = await request(`${baseUrl()}/dev/token`, {
      method: 'POST',
      headers: { origin: `http://${evil}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      body,
    });
    expect(mismatched.status).toBe(403);
  });

  it('serves its page under a CSP that allows its own inline script and style by hash and nothing else, framed by no page', async () => {
    const res = await fetch(`${baseUrl()}/dev/sign-in`);
    const html = await res.text();
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    const csp = res.headers.get('content-security-policy');
    for (const directive of [`script-src ${hash(script)};`, `style-src ${hash(style)};`, "default-src 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
      expect(csp).toContain(directive);
    }
    expect([res.headers.get('x-content-type-options'), res.headers.get('referrer-policy')]).toEqual(['nosniff', 'no-referrer']);
  });
});
