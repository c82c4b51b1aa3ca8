import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../../tools/local/emulators';

/**
 * The Azure signing path, for real: the app's storage client with a managed identity and no
 * account key, against Azurite in OAuth mode (HTTPS, bearer tokens), asks for a user-delegation
 * key and signs upload and read URLs with it; Azurite checks them. The identity is the App
 * Service managed-identity endpoint protocol (IDENTITY_ENDPOINT / IDENTITY_HEADER), served here
 * with a token Azurite's "basic" OAuth accepts. Runs the compiled app in a child process,
 * which trusts the test's self-signed certificate through NODE_EXTRA_CA_CERTS.
 */
const ROOT = path.resolve(__dirname, '../../..');
const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('user-delegation SAS (managed identity) against Azurite in OAuth mode', () => {
  let dir: string;
  let azurite: ChildProcess;
  let identity: http.Server;
  let blobPort: number;
  let identityPort: number;
  const tokenRequests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'daybreak-udk-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    blobPort = await findFreePort();
    azurite = spawn(process.execPath, [
      path.join(ROOT, 'node_modules/azurite/dist/src/blob/main.js'),
      '--blobHost', '127.0.0.1', '--blobPort', String(blobPort), '--oauth', 'basic',
      '--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem'),
      '--inMemoryPersistence', '--skipApiVersionCheck', '--loose', '--silent', '--disableTelemetry',
    // Azurite checks a copy source by fetching it over HTTPS itself: it must trust the certificate too.
    ], { cwd: dir, stdio: 'ignore', env: { ...process.env, NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem') } });
    const now = Math.floor(Date.now() / 1000);
    const token = [
      b64url({ alg: 'RS256', typ: 'JWT' }),
      b64url({
        aud: 'https://storage.azure.com',
        iss: 'https://sts.windows.net/72f988bf-86f1-41af-91ab-2d7cd011db47/',
        iat: now - 60, nbf: now - 60, exp: now + 3600,
        oid: '11111111-2222-3333-4444-555555555555', tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      }),
      'c2lnbmF0dXJl',
    ].join('.');
    identity = http.createServer((req, res) => {
      tokenRequests.push(`${req.url} ${req.headers['x-identity-header'] ?? ''}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ access_token: token, expires_on: String(now + 3600), resource: 'https://storage.azure.com', token_type: 'Bearer' }));
    });
    identityPort = await findFreePort();
    await new Promise<void>((resolve) => identity.listen(identityPort, '127.0.0.1', resolve));
    for (let i = 0; i < 100; i++) {
      const open = await new Promise<boolean>((resolve) => {
        const socket = net.connect(blobPort, '127.0.0.1', () => (socket.destroy(), resolve(true))).on('error', () => resolve(false));
      });
      if (open) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('Azurite (OAuth) did not start');
  });

  afterAll(async () => {
    azurite?.kill();
    await new Promise((resolve) => identity?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs with a delegation key from the identity, and the URLs do exactly what they say', async () => {
    // A clean environment (no storage connection string to fall back on), but the clock this
    // process keeps: a run under libfaketime passes its preload on, so the child's SAS times and
    // Azurite's agree as they would on one machine.
    const clock = Object.fromEntries(Object.entries(process.env).filter(([k]) => k === 'LD_PRELOAD' || k.startsWith('FAKETIME')));
    const env = {
      ...clock,
      PATH: process.env.PATH!,
      NODE_EXTRA_CA_CERTS: path.join(dir, 'cert.pem'),
      AzureWebJobsStorage__blobServiceUri: `https://127.0.0.1:${blobPort}/devstoreaccount1`,
      AZURE_CLIENT_ID: 'daybreak-test-identity',
      IDENTITY_ENDPOINT: `http://127.0.0.1:${identityPort}/msi/token`,
      IDENTITY_HEADER: 'test-header',
      COSMOS_ENDPOINT: 'https://cosmos.invalid/',
      AUTH_ISSUER: 'https://issuer.invalid/',
      AUTH_AUDIENCE: 'api://daybreak',
      AUTH_JWKS_URI: 'https://issuer.invalid/jwks',
    };
    // Asynchronously: this process serves the identity endpoint the child calls.
    const { stdout: output } = await promisify(execFile)(process.execPath, [path.join(ROOT, 'test/fixtures/user-delegation-probe.js')], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '{}' })); // the probe prints its error as JSON
    const result = JSON.parse(output.trim().split('\n').pop()!);
    expect(result).toEqual({
      mode: 'user-delegation',
      signedWithDelegationKey: true,
      permissions: 'c',
      version: '2025-07-05',
      firstPut: 201,
      overwrite: 403,
      readWithUploadUrl: 403,
      otherName: 403,
      read: 200,
      readBody: 'bytes',
      tamperedPermissions: 403,
      copy: 'copied',
      copyAgain: 'exists',
      copied: 5,
    });
    expect(tokenRequests.length).toBeGreaterThan(0);
    expect(tokenRequests[0]).toContain('test-header');
  });
});
