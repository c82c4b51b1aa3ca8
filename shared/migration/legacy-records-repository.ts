import { container, deleteIfExists, placed, readIfExists, withoutSystemProperties, type ContainerName } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';

/** Containers kept from before shards, each emptied by the shard migration job into its sharded successor. */
export type LegacyContainer = 'matchkeys-unsharded' | 'idempotency-unsharded' | 'events-unsharded' | 'links-unsharded' | 'evidence-unsharded' | 'lpr-alerts-unsharded';

/** Up to `max` documents still in a container from before shards, of any organisation. */
export async function legacyPage<T extends { id: string; orgId: string }>(name: LegacyContainer, max: number): Promise<T[]> {
  const { resources } = await container(name)
    .items.query<T>({ query: `SELECT TOP ${max} * FROM c` }, { maxItemCount: max })
    .fetchAll();
  return resources ?? [];
}

/** One document still in a container from before shards, or undefined. */
export const readLegacy = <T extends object>(name: LegacyContainer, orgId: string, id: string) => readIfExists<T>(name, orgId, id);

/** Removes a document that has been taken into its sharded successor. */
export async function dropLegacy(name: LegacyContainer, doc: { id: string; orgId: string }): Promise<void> {
  await deleteIfExists(name, doc.orgId, doc.id);
}

/**
 * Copies a document as it is into its sharded successor (in the shard its id falls in), unless one
 * with its id is there already: written since the deployment, it is the newer.
 */
export async function copyIfAbsent(name: ContainerName, doc: { id: string; orgId: string }): Promise<void> {
  try {
    await container(name).items.create(placed(name, withoutSystemProperties(doc)));
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
}

/**
 * Whether an organisation still has events or evidence records in the containers from before
 * shards (the shard migration has not moved them all): one query in its partition of each, empty
 * once migrated.
 */
export async function legacyRecordsRemain(orgId: string): Promise<boolean> {
  for (const name of ['events-unsharded', 'evidence-unsharded'] as const) {
    const { resources } = await container(name)
      .items.query<{ id: string }>({ query: 'SELECT TOP 1 c.id FROM c WHERE c.orgId = @orgId', parameters: [{ name: '@orgId', value: orgId }] }, { partitionKey: orgId })
      .fetchAll();
    if (resources.length > 0) return true;
  }
  return false;
}
