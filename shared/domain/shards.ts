/**
 * Where a retailer's records lie (docs/decisions/0004-bounded-partitions.md): spread over SHARDS
 * shards by id, so that no part of a large retailer outgrows what one part of the store holds.
 * A rule of the data's shape, not of a store: an event and the people it starts are kept in one
 * shard (and written at once), which is why a new person's profile id is drawn to fall beside
 * its event's.
 */
export const SHARDS = 32;

/**
 * The shard of a record id: FNV-1a over the id's anchor. A record kept beside another carries that
 * one's id after the last '@' of its own; otherwise the anchor is the whole id.
 */
export function shardOf(id: string): string {
  const at = id.lastIndexOf('@');
  const anchor = at >= 0 ? id.slice(at + 1) : id;
  let hash = 0x811c9dc5;
  for (let i = 0; i < anchor.length; i++) {
    hash ^= anchor.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return shardName((hash >>> 0) % SHARDS);
}

/** Shard n (0 ≤ n < SHARDS) as stored: two hex digits, "00" to "1f". */
export const shardName = (n: number): string => n.toString(16).padStart(2, '0');
