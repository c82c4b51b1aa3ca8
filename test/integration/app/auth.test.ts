import { generateKeyPair, SignJWT, exportJWK, importJWK } from 'jose';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { call, createOrg, tokenFor } from '../support/api';

const b64 = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v)).toString('base64url');
const now = () => Math.floor(Date.now() / 1000);

function claims(org: string, extra: Record<string, unknown> = {}) {
  return {
    iss: process.env.AUTH_ISSUER,
    aud: process.env.AUTH_AUDIENCE,
    sub: 'mallory',
    org,
    roles: ['RetailerAdmin'],
    amr: ['pwd', 'mfa'],
    iat: now(),
    exp: now() + 600,
    ...extra,
  };
}

async function signWithDevKey(payload: Record<string, unknown>): Promise<string> {
  const jwk = JSON.parse(readFileSync(process.env.DEV_ISSUER_KEY_FILE!, 'utf8'));
  const key = await importJWK(jwk, 'ES256');
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: jwk.kid }).sign(key);
}

describe('authentication at the edge', () => {
  let org: string;
  beforeAll(async () => {
    org = await createOrg('retailer');
  });

  it('a valid token from the development issuer is accepted', async () => {
    const res = await call('GET', '/api/v1/settings', { token: await tokenFor({ org, roles: ['RetailerAdmin'] }) });
    expect(res.status).toBe(200);
  });

  const forgeries: [string, () => Promise<string | undefined>][] = [
    ['no token', async () => undefined],
    ['garbage', async () => 'not.a.jwt'],
    ['random bytes', async () => Buffer.from('\u0000\u00ff\u0010 junk').toString('base64')],
    ['alg none', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims(org))}.`],
    [
      'tampered payload',
      async () => {
        const good = await tokenFor({ org: 'someone-else', roles: ['Reporter'] });
        const [h, , s] = good.split('.');
        return `${h}.${b64(claims(org))}.${s}`;
      },
    ],
    [
      'HS256 with the public key as secret',
      async () => {
        const jwks = await (await fetch(process.env.AUTH_JWKS_URI!)).text();
        const head = b64({ alg: 'HS256', typ: 'JWT' });
        const body = b64(claims(org));
        const sig = createHmac('sha256', jwks).update(`${head}.${body}`).digest('base64url');
        return `${head}.${body}.${sig}`;
      },
    ],
    [
      'another key with the same kid',
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const kid = JSON.parse(readFileSync(process.env.DEV_ISSUER_KEY_FILE!, 'utf8')).kid;
        return new SignJWT(claims(org)).setProtectedHeader({ alg: 'ES256', kid }).sign(privateKey);
      },
    ],
    ['expired', async () => signWithDevKey(claims(org, { iat: now() - 7200, exp: now() - 120 }))],
    ['not yet valid', async () => signWithDevKey(claims(org, { nbf: now() + 600 }))],
    ['wrong audience', async () => signWithDevKey(claims(org, { aud: 'api://someone-else' }))],
    ['wrong issuer', async () => signWithDevKey(claims(org, { iss: 'https://evil.example/' }))],
    ['no subject', async () => signWithDevKey({ ...claims(org), sub: undefined })],
  ];

  it.each(forgeries)('%s → 401 problem+json', async (_name, make) => {
    const token = await make();
    const res = await call('GET', '/api/v1/settings', token ? { token } : {});
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    expect(res.body).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('a Basic authorization header is refused', async () => {
    const res = await call('GET', '/api/v1/settings', { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
  });

  it('a token 30 s past expiry is still inside the 60 s skew', async () => {
    const res = await call('GET', '/api/v1/settings', { token: await signWithDevKey(claims(org, { exp: now() - 30 })) });
    expect(res.status).toBe(200);
  });

  it('exports the dev issuer key only as public JWKS', async () => {
    const jwks = (await (await fetch(process.env.AUTH_JWKS_URI!)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.length).toBeGreaterThan(0);
    for (const key of jwks.keys) expect(key.d).toBeUndefined();
    await expect(exportJWK((await generateKeyPair('ES256')).publicKey)).resolves.toBeDefined();
  });
});
