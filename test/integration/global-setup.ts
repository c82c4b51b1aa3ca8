import { spawn } from 'node:child_process';
import { mkdtempSync, openSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findFreePort } from '../../tools/local/emulators';
import { loadLocalSettings } from '../../tools/local/local-settings';

const ROOT = path.resolve(__dirname, '../..');
const AZURITE_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * Starts the real stack the way `npm start` does (compiled app, local host, Azurite and
 * the Cosmos-protocol server), on free ports so it never collides with a running one.
 * Settings go to the tests through process.env, which jest workers inherit.
 */
export default async function globalSetup(): Promise<void> {
  const [host, blob, queue, cosmos] = [await findFreePort(), await findFreePort(), await findFreePort(), await findFreePort()];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'daybreak-it-'));
  const env: Record<string, string> = {
    LOCAL_HOST_PORT: String(host),
    LOCAL_EMULATORS: 'embedded',
    AzureWebJobsStorage:
      `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;`,
    COSMOS_ENDPOINT: `https://127.0.0.1:${cosmos}`,
    AUTH_JWKS_URI: `http://127.0.0.1:${host}/.well-known/jwks.json`,
    DEV_ISSUER_KEY_FILE: path.join(dir, 'dev-issuer-key.json'),
    DAYBREAK_BASE_URL: `http://127.0.0.1:${host}`,
    DAYBREAK_STACK_LOG: path.join(dir, 'stack.log'),
  };
  Object.assign(process.env, env);
  // The rest (keys, issuer, audience) from the sample settings, so tests can also reach the emulators directly.
  loadLocalSettings(ROOT);
  const log = openSync(env.DAYBREAK_STACK_LOG!, 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/tools/local/start.js')], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', log, log],
  });
  (globalThis as { __daybreakStack?: typeof child }).__daybreakStack = child;
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The local stack exited early; see ${env.DAYBREAK_STACK_LOG}`);
    try {
      const res = await fetch(`${env.DAYBREAK_BASE_URL}/api/v1/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`The local stack did not become healthy in 90 s; see ${env.DAYBREAK_STACK_LOG}`);
}
