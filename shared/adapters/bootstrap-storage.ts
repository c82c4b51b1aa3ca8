import { blobServiceClient, cosmosClient } from './azure-clients';
import { blobContainers, physicalContainers } from './cosmos-containers';
import { settings } from '../config/settings';

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
      partitionKey: { paths: [def.partitionKey] },
      ...(def.compositeIndexes
        ? { indexingPolicy: { compositeIndexes: def.compositeIndexes.map((index) => index.map((p) => ({ ...p }))) } }
        : {}),
    });
  }
  for (const name of blobContainers) {
    await blobServiceClient().getContainerClient(name).createIfNotExists();
  }
}
