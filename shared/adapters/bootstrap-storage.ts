import { PartitionKeyKind } from '@azure/cosmos';
import { blobServiceClient, cosmosClient } from './azure-clients';
import { blobContainers, physicalContainers } from './cosmos-containers';
import { settings } from '../config/settings';
import { isTransientFault } from './transient-faults';

/**
 * Creates the database, containers and blob containers when missing. Locally the start
 * script runs it; in Azure, Bicep creates them and this is never needed (it would fail
 * anyway: the data-plane role cannot create containers).
 */
export async function ensureStorage(): Promise<void> {
  const { database } = await cosmosClient().databases.createIfNotExists({ id: settings().COSMOS_DATABASE });
  for (const def of physicalContainers()) {
    await database.containers.createIfNotExists({
      id: def.id,
      // A sharded container's key is hierarchical: [orgId, shard] (cosmos-shards.ts).
      partitionKey: def.shardKey ? { paths: [def.partitionKey, def.shardKey], kind: PartitionKeyKind.MultiHash, version: 2 } : { paths: [def.partitionKey] },
      ...(def.compositeIndexes
        ? { indexingPolicy: { compositeIndexes: def.compositeIndexes.map((index) => index.map((p) => ({ ...p }))) } }
        : {}),
    });
  }
  for (const name of blobContainers) {
    await blobServiceClient().getContainerClient(name).createIfNotExists();
  }
}

export interface StartupLog {
  (message: string): void;
}

/**
 * ensureStorage() for a store that may not be ready yet: the Cosmos DB emulator answers 503 for a
 * while after it starts, and a service may be failing over. Transient faults (and a refused
 * connection) are waited out, with a line saying what is awaited, until `timeoutMs`; anything else
 * (a wrong key, a bad endpoint) fails at once.
 */
export async function ensureStorageWhenReady(log: StartupLog, timeoutMs = 180_000, pauseMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureStorage();
      if (attempt > 1) log('The data store is ready.');
      return;
    } catch (error) {
      if (!isTransientFault(error) || Date.now() + pauseMs > deadline) throw error;
      const what = error instanceof Error ? error.message.split('\n')[0]!.slice(0, 160) : String(error);
      log(`Waiting for the data store (attempt ${attempt}: ${what}); trying again in ${pauseMs / 1000} s…`);
      await new Promise((resolve) => setTimeout(resolve, pauseMs));
    }
  }
}
