import type { PartitionKey } from '@azure/cosmos';

/**
 * A retailer's records in a sharded container are spread over SHARDS logical partitions under a
 * hierarchical key `[orgId, shard]` (docs/decisions/0004-bounded-partitions.md): each stays far
 * below Cosmos DB's 20 GB, while a query over the retailer names the `[orgId]` prefix and reaches
 * only the physical partitions that hold it. A document's shard follows from its id, so a point
 * read needs nothing but the id, and documents that must share a transactional batch are given
 * ids that fall in the same shard.
 */
export const SHARDS = 32;

/** The second component of the key, as stored on every document of a sharded container. */
export const SHARD_PATH = '/shard';

/**
 * The shard of a document id: FNV-1a over the id's anchor. A document kept beside another (in
 * its batch) carries that one's id after the last '@' of its own; otherwise the anchor is the id.
 */
export function shardOf(id: string): string {
  const at = id.lastIndexOf('@');
  const anchor = at >= 0 ? id.slice(at + 1) : id;
  let hash = 0x811c9dc5;
  for (let i = 0; i < anchor.length; i++) {
    hash ^= anchor.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return ((hash >>> 0) % SHARDS).toString(16).padStart(2, '0');
}

/** The full partition key of a document: its organisation alone, or with the shard its id falls in. */
export function documentKey(sharded: boolean, orgId: string, id: string): PartitionKey {
  return sharded ? [orgId, shardOf(id)] : orgId;
}

/** What a query over one organisation names: its partition, or the prefix of its shards. */
export function organisationScope(sharded: boolean, orgId: string): PartitionKey {
  return sharded ? [orgId] : orgId;
}
