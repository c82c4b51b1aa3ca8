/**
 * `npm start`: the whole system on this machine, no cloud account. Starts Azurite (blobs,
 * queues) and the Cosmos-protocol server on loopback, both in memory, creates the database
 * and containers, and serves every registered function on http://localhost:<port>/api/
 * through the local functions host. Ctrl-C stops everything.
 *
 * `--emulators-only` (npm run emulators) stops short of the host and serves the development
 * issuer's JWKS on DEV_ISSUER_JWKS_PORT instead, for running the app under `func start`.
 */
import { blobServiceClient } from '../../shared/adapters/azure-clients';
import { ensureStorageWhenReady } from '../../shared/adapters/bootstrap-storage';
import { loadOrCreateDevIssuerKey, localIssuerSettings } from '../dev-issuer/dev-issuer';
import { devSignInRoutes, SIGN_IN_PATH } from '../dev-issuer/dev-sign-in';
import { JWKS_PATH, jwksResponse, serveJwks } from '../dev-issuer/jwks-server';
import path from 'node:path';
import { startHost } from '../local-host/host';
import { assertPortFree, startAzurite, startCosmosServer } from './emulators';
import { startFaultProxy } from './fault-proxy';
import { findProjectRoot, loadLocalSettings } from './local-settings';
import { stackConfig } from './stack-config';
import { allowBrowserUploads, blobOrigin } from './upload-cors';

type Stoppable = { stop?: () => Promise<void>; close?: () => Promise<void> };

async function main(): Promise<void> {
  const root = findProjectRoot();
  const settingsFile = loadLocalSettings(root);
  const config = stackConfig(root);
  const emulatorsOnly = process.argv.includes('--emulators-only');
  const running: Stoppable[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    for (const part of running.reverse()) await (part.close ?? part.stop)?.call(part).catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));

  try {
    if (emulatorsOnly) {
      await assertPortFree(config.jwksPort, '127.0.0.1', 'development issuer JWKS', 'DEV_ISSUER_JWKS_PORT');
    } else {
      await assertPortFree(config.hostPort, '127.0.0.1', 'functions host', 'LOCAL_HOST_PORT');
    }
    if (config.embedded) {
      await assertPortFree(config.blobPort, '127.0.0.1', 'Azurite blob', 'AzureWebJobsStorage BlobEndpoint');
      await assertPortFree(config.queuePort, '127.0.0.1', 'Azurite queue', 'AzureWebJobsStorage QueueEndpoint');
      await assertPortFree(config.cosmosPort, '127.0.0.1', 'Cosmos-protocol server', 'COSMOS_ENDPOINT');
      running.push(await startAzurite({ blobPort: config.blobPort, queuePort: config.queuePort }));
      const limit = Number(process.env.LOCAL_COSMOS_PARTITION_DOC_LIMIT ?? 0);
      if (limit > 0) {
        // A logical partition that fills at `limit` documents (403/1014), for trying bounded partitions at 1/1000 scale.
        const cosmos = await startCosmosServer({ port: 0 });
        running.push(cosmos);
        running.push(await startFaultProxy({ target: cosmos.endpoint, flavour: 'cosmos', port: config.cosmosPort, partitionDocLimit: limit }));
        console.log(`Each Cosmos DB logical partition holds at most ${limit} documents (LOCAL_COSMOS_PARTITION_DOC_LIMIT).`);
      } else {
        running.push(await startCosmosServer({ port: config.cosmosPort }));
      }
    }
    const key = await loadOrCreateDevIssuerKey(config.keyFile);
    await ensureStorageWhenReady((line) => console.log(line));
    if (emulatorsOnly) {
      running.push(await serveJwks(key, config.jwksPort));
      console.log(
        `Emulators are running (Cosmos ${process.env.COSMOS_ENDPOINT}, Azurite blob ${config.blobPort}, queue ` +
          `${config.queuePort}); JWKS on http://127.0.0.1:${config.jwksPort}${JWKS_PATH}. Ctrl-C stops them.`,
      );
      return;
    }
    // Before the host answers: a caller (tools/local/stack-process.ts) takes health's 200 to mean
    // the stack is ready, uploads from the console included. Only on the embedded Azurite: an
    // external account (LOCAL_EMULATORS=external) may be a real one, whose CORS rule Bicep owns.
    if (config.embedded) await allowBrowserUploads(blobServiceClient(), config.hostPort);
    const host = await startHost({
      appRoot: root,
      port: config.hostPort,
      extraRoutes: [
        { method: 'GET', path: JWKS_PATH, handler: async () => jwksResponse(key) },
        // The console's development sign-in: local only, never in the console's bundle.
        ...devSignInRoutes(key, localIssuerSettings()),
      ],
      // The web console (npm run build puts it there) under /; the API stays under /api/.
      siteRoot: path.join(root, 'dist/console'),
      siteConnectSources: [blobOrigin(blobServiceClient())],
    });
    running.push(host);
    console.log(
      `Daybreak is running: ${host.url}/api/v1/health (settings: ${settingsFile}; ` +
        `${config.embedded ? 'embedded in-memory emulators' : 'external services'}). Ctrl-C stops it.\n` +
        `API reference: ${host.url}/api/docs (paste a token from \`npm run -s token -- --org <id> --roles <Role>\` under Authentication).\n` +
        `Console: ${host.url}/ (development sign-in at ${host.url}${SIGN_IN_PATH}).`,
    );
  } catch (error) {
    console.error(`Could not start Daybreak: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown(1);
  }
}

void main();
