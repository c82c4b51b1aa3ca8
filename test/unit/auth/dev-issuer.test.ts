import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader } from 'jose';
import { createTokenVerifier } from '../../../shared/auth/token-verifier';
import { devIssuerJwks, loadOrCreateDevIssuerKey, signDevToken } from '../../../tools/dev-issuer/dev-issuer';

const ROOT = path.resolve(__dirname, '../../..');
const ISSUER = 'https://daybreak.local/dev-issuer';
const AUDIENCE = 'api://daybreak';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'daybreak-dev-issuer-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('dev issuer key', () => {
  it('is created once (private, mode 0600) and then reused', async () => {
    const file = path.join(dir, 'nested', 'key.json');
    const first = await loadOrCreateDevIssuerKey(file);
    const second = await loadOrCreateDevIssuerKey(file);
    expect(second).toEqual(first);
    expect(first).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(first.kid).toBeTruthy();
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('gives the same key to concurrent first starts', async () => {
    const file = path.join(dir, 'key.json');
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateDevIssuerKey(file)));
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(keys[0]);
  });

  it('refuses a corrupt key file rather than replacing it', async () => {
    const file = path.join(dir, 'key.json');
    await writeFile(file, '{"kty":"oct"}');
    await expect(loadOrCreateDevIssuerKey(file)).rejects.toThrow(/not a valid dev issuer key/);
  });

  it('publishes a JWKS without private parts', async () => {
    const key = await loadOrCreateDevIssuerKey(path.join(dir, 'key.json'));
    const jwks = devIssuerJwks(key);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(JSON.stringify(jwks)).not.toContain(key.d);
  });
});

describe('signDevToken', () => {
  it('signs a token the verifier accepts', async () => {
    const key = await loadOrCreateDevIssuerKey(path.join(dir, 'key.json'));
    const token = await signDevToken(key, {
      issuer: ISSUER,
      audience: AUDIENCE,
      orgClaim: 'tid',
      org: 'retailer-1',
      roles: ['Reporter'],
      stores: ['s1'],
      mfa: true,
    });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'ES256', kid: key.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: 'dev-user', amr: ['pwd', 'mfa'] });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(claims.jti).toBeTruthy();

    const verifier = createTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      orgClaim: 'tid',
      keySet: createLocalJWKSet(devIssuerJwks(key)),
    });
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      sub: 'dev-user',
      orgId: 'retailer-1',
      roles: ['Reporter'],
      stores: ['s1'],
      mfa: true,
    });
  });

  it('omits org and stores when not given, and amr has no mfa by default', async () => {
    const key = await loadOrCreateDevIssuerKey(path.join(dir, 'key.json'));
    const token = await signDevToken(key, { issuer: ISSUER, audience: AUDIENCE, orgClaim: 'org', roles: ['PlatformAdmin'], sub: 'admin', ttlSeconds: 60 });
    const claims = decodeJwt(token);
    expect(claims).not.toHaveProperty('org');
    expect(claims).not.toHaveProperty('stores');
    expect(claims).toMatchObject({ sub: 'admin', amr: ['pwd'] });
    expect(claims.exp! - claims.iat!).toBe(60);
  });
});

describe('token CLI', () => {
  function run(args: string[], keyFile: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn('npx', ['tsx', 'tools/token.ts', ...args], {
        cwd: ROOT,
        env: {
          ...process.env,
          DEV_ISSUER_KEY_FILE: keyFile,
          AUTH_ISSUER: ISSUER,
          AUTH_AUDIENCE: AUDIENCE,
          AUTH_ORG_CLAIM: 'org',
        },
        shell: process.platform === 'win32',
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it('prints exactly one JWT signed with the key file', async () => {
    const keyFile = path.join(dir, 'key.json');
    const result = await run(['--org', 'retailer-1', '--roles', 'Reporter,Investigator', '--stores', 's1,s2', '--mfa', '--ttl', '120'], keyFile);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);

    const key = await loadOrCreateDevIssuerKey(keyFile);
    const verifier = createTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, orgClaim: 'org', keySet: createLocalJWKSet(devIssuerJwks(key)) });
    await expect(verifier.verify(`Bearer ${result.stdout.trim()}`)).resolves.toEqual({
      sub: 'dev-user',
      orgId: 'retailer-1',
      roles: ['Reporter', 'Investigator'],
      stores: ['s1', 's2'],
      mfa: true,
    });
  }, 60_000);

  it.each([
    [['--roles', 'Wizard']],
    [['--org', 'r1']],
    [['--roles', 'Reporter', '--ttl', 'soon']],
    [['--roles', 'Reporter', '--colour', 'red']],
  ])('exits 2 with one line on stderr for %j', async (args) => {
    const result = await run(args, path.join(dir, 'key.json'));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    const ours = result.stderr.split('\n').filter((line) => line.startsWith('token: '));
    expect(ours).toHaveLength(1);
  }, 60_000);
});
