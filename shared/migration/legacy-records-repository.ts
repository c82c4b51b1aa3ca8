import { container, deleteIfExists } from '../adapters/cosmos-containers';

/** Containers kept from before shards, each emptied by the shard migration job into its sharded successor. */
export type LegacyContainer = 'matchkeys-unsharded' | 'idempotency-unsharded';

/** Up to `max` documents still in a container from before shards, of any organisation. */
export async function legacyPage<T extends { id: string; orgId: string }>(name: LegacyContainer, max: number): Promise<T[]> {
  const { resources } = await container(name)
    .items.query<T>({ query: `SELECT TOP ${max} * FROM c` }, { maxItemCount: max })
    .fetchNext();
  return resources ?? [];
}

/** Removes a document that has been taken into its sharded successor. */
export async function dropLegacy(name: LegacyContainer, doc: { id: string; orgId: string }): Promise<void> {
  await deleteIfExists(name, doc.orgId, doc.id);
}
