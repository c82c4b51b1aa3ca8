import https from 'node:https';
import { CosmosClient, type Database } from '@azure/cosmos';
import { DefaultAzureCredential, ManagedIdentityCredential, type TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import { QueueServiceClient } from '@azure/storage-queue';
import { settings, type Settings } from '../config/settings';
import { CountingAgent } from './counting-agent';
import { retryingHttpClient, STORE_RETRY } from './transient-faults';

/*
 * One credential and one client per service per process, built on first use (never at
 * import time, never per request): locally with the emulators' well-known keys, in Azure
 * with the managed identity and no keys at all.
 */
let credential: TokenCredential | undefined;
let cosmos: CosmosClient | undefined;
let blobs: BlobServiceClient | undefined;
let queues: QueueServiceClient | undefined;

export function azureCredential(): TokenCredential {
  const clientId = settings().AZURE_CLIENT_ID;
  credential ??= clientId ? new ManagedIdentityCredential({ clientId }) : new DefaultAzureCredential();
  return credential;
}

/**
 * Connections to Cosmos DB per endpoint, at most; more requests at once wait for one (the SDK's
 * request timeout counts that wait). The SDK's own agent has no bound: a burst of matching opened
 * thousands of connections (each a TLS handshake on both sides) where Azure gives an instance a few
 * hundred outbound ones.
 */
export const COSMOS_SOCKETS = 64;

/**
 * The agent the Cosmos DB client connects with: the SDK's own (keep-alive, TLS 1.2 at least) with
 * the bound above; locally the counting agent, which accepts the local server's self-signed
 * certificate (settings() allows that only for a loopback endpoint). None for an http:// endpoint
 * (an emulator run without TLS): the SDK allows plain HTTP only with its own agent.
 */
export function cosmosAgent(s: Pick<Settings, 'COSMOS_ENDPOINT' | 'COSMOS_LOCAL_SELF_SIGNED_TLS'>): https.Agent | undefined {
  if (s.COSMOS_LOCAL_SELF_SIGNED_TLS) return new CountingAgent(COSMOS_SOCKETS);
  if (new URL(s.COSMOS_ENDPOINT).protocol !== 'https:') return undefined;
  return new https.Agent({ keepAlive: true, minVersion: 'TLSv1.2', maxSockets: COSMOS_SOCKETS });
}

export function cosmosClient(): CosmosClient {
  if (!cosmos) {
    const s = settings();
    cosmos = new CosmosClient({
      endpoint: s.COSMOS_ENDPOINT,
      ...(s.COSMOS_KEY ? { key: s.COSMOS_KEY } : { aadCredentials: azureCredential() }),
      agent: cosmosAgent(s),
      connectionPolicy: {
        enableEndpointDiscovery: !s.COSMOS_LOCAL_SELF_SIGNED_TLS,
        // 429s are retried by the SDK (as the store asks); within a request, not for longer than this.
        retryOptions: { maxRetryAttemptCount: 9, maxWaitTimeInSeconds: 10, fixedRetryIntervalInMilliseconds: 0 },
      },
      // 503, 408 and dropped connections: retried per HTTP request, writes included (transient-faults.ts).
      httpClient: retryingHttpClient(),
    });
  }
  return cosmos;
}

let db: Database | undefined;

export function database(): Database {
  db ??= cosmosClient().database(settings().COSMOS_DATABASE);
  return db;
}

/**
 * Storage retries 500, 503 and dropped connections itself; its default first pause (4 s, then 8,
 * 16…) is for batch jobs. A request retries within about a second and a half and then answers 503
 * with Retry-After, as for Cosmos DB (transient-faults.ts).
 */
const STORAGE_RETRY = { maxTries: STORE_RETRY.tries, retryDelayInMs: STORE_RETRY.baseMs * 2, maxRetryDelayInMs: STORE_RETRY.capMs };

export function blobServiceClient(): BlobServiceClient {
  if (!blobs) {
    const s = settings();
    blobs = s.AzureWebJobsStorage
      ? BlobServiceClient.fromConnectionString(s.AzureWebJobsStorage, { retryOptions: STORAGE_RETRY })
      : new BlobServiceClient(s.AzureWebJobsStorage__blobServiceUri!, azureCredential(), { retryOptions: STORAGE_RETRY });
  }
  return blobs;
}

export function queueServiceClient(): QueueServiceClient {
  if (!queues) {
    const s = settings();
    if (s.AzureWebJobsStorage) {
      queues = QueueServiceClient.fromConnectionString(s.AzureWebJobsStorage, { retryOptions: STORAGE_RETRY });
    } else {
      const uri = s.AzureWebJobsStorage__queueServiceUri;
      if (!uri) throw new Error('Invalid configuration: set AzureWebJobsStorage__queueServiceUri.');
      queues = new QueueServiceClient(uri, azureCredential(), { retryOptions: STORAGE_RETRY });
    }
  }
  return queues;
}

/** Whether each store answers, for health: a read of the database (Cosmos DB) and of one blob container's existence (Storage). */
export const storeProbes = {
  cosmos: (): Promise<unknown> => database().read(),
  storage: (): Promise<unknown> => blobServiceClient().getContainerClient('audit-digests').exists(),
};
