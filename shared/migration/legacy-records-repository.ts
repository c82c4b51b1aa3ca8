import { container, deleteIfExists, placed, readIfExists, withoutSystemProperties, type ContainerName } from '../adapters/cosmos-containers';
import { isConflict, isNotFound } from '../adapters/cosmos-errors';

/** Containers kept from before shards, each emptied by the shard migration job into its sharded successor. */
export type LegacyContainer = 'matchkeys-unsharded' | 'idempotency-unsharded' | 'events-unsharded' | 'links-unsharded' | 'evidence-unsharded' | 'lpr-alerts-unsharded';

/**
 * The documents still in a container from before shards, of any organisation, in pages of
 * `pageSize`, read once from start to end (a document the caller fails to move is passed over,
 * not read again); none once the container is deleted.
 */
export async function* legacyPages<T extends { id: string; orgId: string }>(name: LegacyContainer, pageSize: number): AsyncGenerator<T[]> {
  const pages = container(name).items.query<T>({ query: 'SELECT * FROM c' }, { maxItemCount: pageSize });
  while (pages.hasMoreResults()) {
    let page: T[];
    try {
      page = (await pages.fetchNext()).resources ?? [];
    } catch (error) {
      if (isNotFound(error)) return;
      throw error;
    }
    if (page.length) yield page;
  }
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
 * Whether an organisation still has events, evidence records, links or match keys in the
 * containers from before shards (the shard migration has not moved them all; what retention
 * and the evidence processor must not take for gone): one query in its partition of each, none
 * once migrated or once the container is deleted.
 */
export async function legacyRecordsRemain(orgId: string): Promise<boolean> {
  for (const name of ['events-unsharded', 'evidence-unsharded', 'links-unsharded', 'matchkeys-unsharded'] as const) {
    if ((await legacyPageOf(name, orgId)).length > 0) return true;
  }
  return false;
}

async function legacyPageOf(name: LegacyContainer, orgId: string): Promise<{ id: string }[]> {
  try {
    const { resources } = await container(name)
      .items.query<{ id: string }>({ query: 'SELECT TOP 1 c.id FROM c WHERE c.orgId = @orgId', parameters: [{ name: '@orgId', value: orgId }] }, { partitionKey: orgId })
      .fetchAll();
    return resources;
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}
