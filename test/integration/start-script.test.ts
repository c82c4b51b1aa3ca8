import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { assertPortFree, AZURITE_ACCOUNT_KEY, findFreePort } from '../../tools/local/emulators';

const ROOT = path.resolve(__dirname, '../..');

async function stackEnv() {
  const [host, blob, queue, cosmos, jwks] = await Promise.all([1, 2, 3, 4, 5].map(() => findFreePort()));
  return {
    ports: { host: host!, blob: blob!, queue: queue!, cosmos: cosmos!, jwks: jwks! },
    env: {
      ...process.env,
      LOCAL_HOST_PORT: String(host),
      DEV_ISSUER_JWKS_PORT: String(jwks),
      AzureWebJobsStorage:
        `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_ACCOUNT_KEY};` +
        `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;`,
      COSMOS_ENDPOINT: `https://127.0.0.1:${cosmos}`,
      AUTH_JWKS_URI: `http://127.0.0.1:${host}/.well-known/jwks.json`,
      DEV_ISSUER_KEY_FILE: path.join(mkdtempSync(path.join(os.tmpdir(), 'daybreak-start-')), 'key.json'),
    },
  };
}

function run(env: NodeJS.ProcessEnv, args: string[] = []) {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/tools/local/start.js'), ...args], { cwd: ROOT, env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, out: () => out, err: () => err };
}

async function waitFor(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm start (the start script)', () => {
  it('a port already in use gives one clear line and exit code 1, no stack trace', async () => {
    const { ports, env } = await stackEnv();
    const blocker = net.createServer().listen(ports.cosmos, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    try {
      const started = run(env);
      expect(await started.exited).toBe(1);
      expect(started.err().trim()).toBe(
        `Could not start Daybreak: Port ${ports.cosmos} (Cosmos-protocol server) is already in use on 127.0.0.1; stop what uses it or set COSMOS_ENDPOINT.`,
      );
      expect(started.err()).not.toMatch(/\n\s+at /);
      // Nothing was left listening by the failed start.
      await assertPortFree(ports.blob, '127.0.0.1', 'blob');
    } finally {
      blocker.close();
    }
  });

  it('serves health, and Ctrl-C stops the host and every emulator', async () => {
    const { ports, env } = await stackEnv();
    const started = run(env);
    await waitFor(() => started.out().includes('Daybreak is running'), 60_000);
    const health = await fetch(`http://127.0.0.1:${ports.host}/api/v1/health`);
    expect(health.status).toBe(200);
    started.child.kill('SIGINT');
    expect(await started.exited).toBe(0);
    for (const port of [ports.host, ports.blob, ports.queue, ports.cosmos]) {
      await expect(assertPortFree(port, '127.0.0.1', 'check')).resolves.toBeUndefined();
    }
  });

  it('--emulators-only serves the JWKS and storage, but no functions', async () => {
    const { ports, env } = await stackEnv();
    const started = run(env, ['--emulators-only']);
    try {
      await waitFor(() => started.out().includes('Emulators are running'), 60_000);
      const jwks = await fetch(`http://127.0.0.1:${ports.jwks}/.well-known/jwks.json`);
      expect(((await jwks.json()) as { keys: { d?: string }[] }).keys[0]!.d).toBeUndefined();
      await expect(fetch(`http://127.0.0.1:${ports.host}/api/v1/health`)).rejects.toThrow();
    } finally {
      started.child.kill('SIGTERM');
      await started.exited;
    }
  });
});
