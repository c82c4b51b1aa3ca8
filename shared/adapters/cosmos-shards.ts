import type { PartitionKey } from '@azure/cosmos';
import { shardOf } from '../domain/shards';

/*
 * A retailer's records in a sharded container lie in SHARDS logical partitions under a
 * hierarchical key `[orgId, shard]` (docs/decisions/0004-bounded-partitions.md): each stays far
 * below Cosmos DB's 20 GB, while a query over the retailer names the `[orgId]` prefix and reaches
 * only the physical partitions that hold it. A document's shard follows from its id (shardOf), so
 * a point read needs nothing but the id, and documents that must share a transactional batch are
 * given ids that fall in the same shard.
 */
/** The second component of the key, as stored on every document of a sharded container. */
export const SHARD_PATH = '/shard';

/** The full partition key of a document: its organisation alone, or with the shard its id falls in. */
export function documentKey(sharded: boolean, orgId: string, id: string): PartitionKey {
  return sharded ? [orgId, shardOf(id)] : orgId;
}

/** What a query over one organisation names: its partition, or the prefix of its shards. */
export function organisationScope(sharded: boolean, orgId: string): PartitionKey {
  return sharded ? [orgId] : orgId;
}
