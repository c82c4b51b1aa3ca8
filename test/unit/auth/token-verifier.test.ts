import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type JWK,
  type JWTPayload,
  type KeyLike,
} from 'jose';
import { AppError, ServiceUnavailableError, UnauthenticatedError } from '../../../shared/domain/errors';
import { createTokenVerifier } from '../../../shared/auth/token-verifier';

const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'api://daybreak-test';
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

interface TestKey {
  privateKey: KeyLike;
  publicKey: KeyLike;
  publicJwk: JWK;
  kid: string;
  alg: 'ES256' | 'RS256';
}

async function makeKey(alg: 'ES256' | 'RS256', kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { privateKey, publicKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }, kid, alg };
}

let ec: TestKey;
let rsa: TestKey;
let other: TestKey;

beforeAll(async () => {
  ec = await makeKey('ES256', 'ec-1');
  rsa = await makeKey('RS256', 'rsa-1');
  other = await makeKey('ES256', 'ec-1'); // same kid, different key: a forger's guess
});

const verifier = (orgClaim = 'org') =>
  createTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    orgClaim,
    keySet: createLocalJWKSet({ keys: [ec.publicJwk, rsa.publicJwk] }),
  });

function sign(key: TestKey, claims: JWTPayload = {}, header: Record<string, unknown> = {}): Promise<string> {
  const t = now();
  return new SignJWT({ sub: 'user-1', roles: ['Reporter'], org: 'retailer-1', iat: t, exp: t + 600, ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .sign(key.privateKey);
}

async function rejection(header: string | undefined | null, orgClaim?: string): Promise<AppError> {
  try {
    await verifier(orgClaim).verify(header);
  } catch (err) {
    return err as AppError;
  }
  throw new Error('expected the token to be rejected');
}

const SAFE_DETAILS = [
  'A bearer token is required.',
  'Use the Bearer authorization scheme.',
  'The token is not valid.',
  'The token has expired.',
  'The token is not yet valid.',
  'The token was not issued for this service.',
  'The token has no "sub" claim.',
  'The token has no "exp" claim.',
];

async function expectUnauthenticated(header: string | undefined | null, detail?: string): Promise<void> {
  const err = await rejection(header);
  expect(err).toBeInstanceOf(UnauthenticatedError);
  expect(err.kind).toBe('unauthenticated');
  expect(SAFE_DETAILS).toContain(err.message);
  if (detail) expect(err.message).toBe(detail);
}

describe('createTokenVerifier: accepted tokens', () => {
  it('maps a valid ES256 token to a Principal', async () => {
    const token = await sign(ec, { roles: ['Reporter', 'Investigator', 'Wizard'], stores: ['s1', 's2'], amr: ['pwd', 'mfa'] });
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toEqual({
      sub: 'user-1',
      orgId: 'retailer-1',
      roles: ['Reporter', 'Investigator'],
      stores: ['s1', 's2'],
      mfa: true,
    });
  });

  it('accepts a single role string, comma-separated stores, and no MFA', async () => {
    const token = await sign(ec, { roles: 'Compliance', stores: 's1, s2', amr: ['pwd'] });
    const p = await verifier().verify(`Bearer ${token}`);
    expect(p).toMatchObject({ roles: ['Compliance'], stores: ['s1', 's2'], mfa: false });
  });

  it('drops a platform role held from a retailer or an agency, and keeps it from the platform organisation or none', async () => {
    const of = async (org: string | undefined) => (await verifier().verify(`Bearer ${await sign(ec, { org, roles: ['PlatformAdmin', 'RetailerAdmin'] })}`)).roles;
    expect(await of('retailer-1')).toEqual(['RetailerAdmin']);
    expect(await of('agency-7')).toEqual(['RetailerAdmin']);
    expect(await of('platform')).toEqual(['PlatformAdmin', 'RetailerAdmin']);
    expect(await of(undefined)).toEqual(['PlatformAdmin', 'RetailerAdmin']);
  });

  it('gives null stores and orgId when absent, and no roles when none are known', async () => {
    const t = now();
    const token = await new SignJWT({ sub: 'admin', roles: ['Root'], exp: t + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: ec.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(ec.privateKey);
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toEqual({
      sub: 'admin',
      orgId: null,
      roles: [],
      stores: null,
      mfa: false,
    });
  });

  it('gives an empty store scope, not every store, for a stores claim that is present and empty', async () => {
    for (const stores of [[], '', ' , ']) {
      const token = await sign(ec, { roles: ['Reporter'], stores });
      await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ roles: ['Reporter'], stores: [] });
    }
  });

  it('does not take mfa from a non-array amr', async () => {
    const token = await sign(ec, { amr: 'mfa' });
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ mfa: false });
  });

  it('reads the organisation from a configured claim name', async () => {
    const token = await sign(ec, { org: 'wrong', 'https://daybreak/org': 'agency-7', roles: ['PoliceOfficer'] });
    await expect(verifier('https://daybreak/org').verify(`Bearer ${token}`)).resolves.toMatchObject({
      orgId: 'agency-7',
      roles: ['PoliceOfficer'],
    });
  });

  it('accepts RS256 from the key set', async () => {
    const token = await sign(rsa);
    await expect(verifier().verify(`Bearer ${token}`)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('accepts a token 30 s past exp and 30 s before nbf (60 s skew)', async () => {
    const expired = await sign(ec, { exp: now() - 30 });
    const early = await sign(ec, { nbf: now() + 30 });
    await expect(verifier().verify(`Bearer ${expired}`)).resolves.toMatchObject({ sub: 'user-1' });
    await expect(verifier().verify(`Bearer ${early}`)).resolves.toMatchObject({ sub: 'user-1' });
  });

  it('treats the scheme name case-insensitively', async () => {
    const token = await sign(ec);
    await expect(verifier().verify(`bearer ${token}`)).resolves.toMatchObject({ sub: 'user-1' });
  });
});

describe('createTokenVerifier: rejected tokens', () => {
  it('rejects a missing header', async () => {
    await expectUnauthenticated(undefined, 'A bearer token is required.');
    await expectUnauthenticated(null);
    await expectUnauthenticated('');
  });

  it('rejects a non-Bearer scheme', async () => {
    const token = await sign(ec);
    await expectUnauthenticated(`Basic ${Buffer.from('a:b').toString('base64')}`, 'Use the Bearer authorization scheme.');
    await expectUnauthenticated(token, 'Use the Bearer authorization scheme.');
    await expectUnauthenticated('Bearer', 'Use the Bearer authorization scheme.');
  });

  it('rejects garbage', async () => {
    await expectUnauthenticated('Bearer not-a-jwt', 'The token is not valid.');
    await expectUnauthenticated('Bearer a.b.c', 'The token is not valid.');
    await expectUnauthenticated(`Bearer ${'x'.repeat(20_000)}`, 'The token is not valid.');
  });

  it('rejects alg none', async () => {
    const t = now();
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: t + 600, roles: ['PlatformAdmin'] })}.`;
    await expectUnauthenticated(`Bearer ${unsigned}`, 'The token is not valid.');
  });

  it('rejects HS256 signed with the public key material as the secret', async () => {
    const secrets = [
      new TextEncoder().encode(await exportSPKI(ec.publicKey)),
      new TextEncoder().encode(await exportSPKI(rsa.publicKey)),
      new TextEncoder().encode(JSON.stringify(ec.publicJwk)),
    ];
    for (const secret of secrets) {
      const t = now();
      const token = await new SignJWT({ sub: 'user-1', roles: ['PlatformAdmin'], exp: t + 600 })
        .setProtectedHeader({ alg: 'HS256', kid: ec.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(secret);
      await expectUnauthenticated(`Bearer ${token}`, 'The token is not valid.');
    }
  });

  it('rejects an algorithm outside the allow-list even with a matching key', async () => {
    const token = await sign({ ...rsa, alg: 'PS256' as 'RS256' });
    await expectUnauthenticated(`Bearer ${token}`, 'The token is not valid.');
  });

  it('rejects a tampered payload', async () => {
    const [header, , signature] = (await sign(ec)).split('.');
    const [, payload] = (await sign(ec, { roles: ['PlatformAdmin'] })).split('.');
    await expectUnauthenticated(`Bearer ${header}.${payload}.${signature}`, 'The token is not valid.');

    const forged = b64({ sub: 'user-1', iss: ISSUER, aud: AUDIENCE, exp: now() + 600, roles: ['PlatformAdmin'] });
    await expectUnauthenticated(`Bearer ${header}.${forged}.${signature}`, 'The token is not valid.');
  });

  it('rejects a token signed by another key, with a known or an unknown kid', async () => {
    await expectUnauthenticated(`Bearer ${await sign(other)}`, 'The token is not valid.');
    await expectUnauthenticated(`Bearer ${await sign({ ...other, kid: 'nope' })}`, 'The token is not valid.');
  });

  it('rejects a token expired beyond the skew', async () => {
    await expectUnauthenticated(`Bearer ${await sign(ec, { exp: now() - 90 })}`, 'The token has expired.');
  });

  it('rejects a token whose nbf is beyond the skew', async () => {
    await expectUnauthenticated(`Bearer ${await sign(ec, { nbf: now() + 120 })}`, 'The token is not yet valid.');
  });

  it('rejects a wrong audience or issuer', async () => {
    const wrongAud = await new SignJWT({ sub: 'u', exp: now() + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: ec.kid })
      .setIssuer(ISSUER)
      .setAudience('api://someone-else')
      .sign(ec.privateKey);
    const wrongIss = await new SignJWT({ sub: 'u', exp: now() + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: ec.kid })
      .setIssuer('https://evil.test/')
      .setAudience(AUDIENCE)
      .sign(ec.privateKey);
    await expectUnauthenticated(`Bearer ${wrongAud}`, 'The token was not issued for this service.');
    await expectUnauthenticated(`Bearer ${wrongIss}`, 'The token was not issued for this service.');
  });

  it('rejects a missing sub, an empty sub or a missing exp', async () => {
    const noSub = await new SignJWT({ exp: now() + 60 })
      .setProtectedHeader({ alg: 'ES256', kid: ec.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(ec.privateKey);
    const noExp = await new SignJWT({ sub: 'u' })
      .setProtectedHeader({ alg: 'ES256', kid: ec.kid })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .sign(ec.privateKey);
    await expectUnauthenticated(`Bearer ${noSub}`, 'The token has no "sub" claim.');
    await expectUnauthenticated(`Bearer ${await sign(ec, { sub: '' })}`, 'The token is not valid.');
    await expectUnauthenticated(`Bearer ${noExp}`, 'The token has no "exp" claim.');
  });

  it('rejects malformed claims rather than guessing', async () => {
    await expectUnauthenticated(`Bearer ${await sign(ec, { org: 42 })}`, 'The token is not valid.');
    await expectUnauthenticated(`Bearer ${await sign(ec, { roles: [1, 2] })}`, 'The token is not valid.');
  });
});

describe('createTokenVerifier: remote JWKS', () => {
  let server: Server;
  let fetches = 0;
  let status = 200;
  let uri: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      fetches++;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [ec.publicJwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    uri = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('fetches the key set once and caches it', async () => {
    const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, orgClaim: 'org', jwksUri: uri });
    const token = await sign(ec);
    await v.verify(`Bearer ${token}`);
    await v.verify(`Bearer ${token}`);
    expect(fetches).toBe(1);
  });

  it('answers 503 (not 401, not the library message) when the JWKS is unreachable or broken', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadUri = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/jwks.json`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    status = 500;
    for (const jwksUri of [deadUri, uri]) {
      const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, orgClaim: 'org', jwksUri });
      const err = await v.verify(`Bearer ${await sign(ec)}`).catch((e: unknown) => e as AppError);
      expect(err).toBeInstanceOf(ServiceUnavailableError);
      expect((err as AppError).kind).toBe('unavailable');
      expect((err as AppError).message).toBe('The token could not be checked right now; try again shortly.');
    }
    status = 200;
  });

  it('still rejects a bad token with 401 without fetching when it can be refused up front', async () => {
    const v = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, orgClaim: 'org', jwksUri: 'http://127.0.0.1:1/jwks' });
    await expect(v.verify('Bearer garbage')).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});

describe('createTokenVerifier: tokens verified recently', () => {
  /** A verifier whose key look-ups are counted: each is one full verification. */
  function counted() {
    const keys = createLocalJWKSet({ keys: [ec.publicJwk, rsa.publicJwk] });
    const state = { lookups: 0 };
    const v = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      orgClaim: 'org',
      keySet: (header, token) => {
        state.lookups += 1;
        return keys(header, token);
      },
    });
    return { v, state };
  }

  afterEach(() => jest.useRealTimers());

  it('verifies the same token once, and answers the same principal, frozen', async () => {
    const { v, state } = counted();
    const token = await sign(ec, { stores: ['s1'] });
    const first = await v.verify(`Bearer ${token}`);
    const second = await v.verify(`bearer ${token}`);
    expect(state.lookups).toBe(1);
    expect(second).toEqual(first);
    expect(Object.isFrozen(second) && Object.isFrozen(second.roles) && Object.isFrozen(second.stores)).toBe(true);
    await v.verify(`Bearer ${await sign(ec, { sub: 'user-2' })}`);
    expect(state.lookups).toBe(2);
  });

  it('does not keep a token that failed, nor one changed by a byte', async () => {
    const { v, state } = counted();
    const token = await sign(ec);
    await v.verify(`Bearer ${token}`);
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(v.verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    await expect(v.verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(UnauthenticatedError);
    expect(state.lookups).toBe(3);
  });

  it('refuses a remembered token once it expires (with the skew), and verifies again after a minute', async () => {
    jest.useFakeTimers({ now: Date.now(), doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    const { v, state } = counted();
    const shortLived = await sign(ec, { exp: now() + 5 });
    const longLived = await sign(ec);
    await v.verify(`Bearer ${shortLived}`);
    await v.verify(`Bearer ${longLived}`);
    jest.setSystemTime(Date.now() + 30_000);
    await v.verify(`Bearer ${shortLived}`); // within the 60 s skew: still remembered
    await v.verify(`Bearer ${longLived}`);
    expect(state.lookups).toBe(2);
    jest.setSystemTime(Date.now() + 40_000); // 70 s on: past exp + skew, and past the minute
    await expect(v.verify(`Bearer ${shortLived}`)).rejects.toMatchObject({ message: 'The token has expired.' });
    await v.verify(`Bearer ${longLived}`);
    expect(state.lookups).toBe(4);
  });
});
