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
  return shardName((fnv1a(at >= 0 ? id.slice(at + 1) : id) >>> 0) % SHARDS);
}

/** FNV-1a over `text`, continuing from `hash` (the offset basis by default). */
function fnv1a(text: string, hash = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash;
}

const HEX = Array.from({ length: 256 }, (_, n) => n.toString(16).padStart(2, '0'));

/**
 * A UUID-shaped id from 32 hex digits whose shard is `shard`: its last two digits are the first of
 * 00…ff that put it there (one hash of the rest, then two characters per try). One always does:
 * the shard is the hash's low five bits, which depend only on the low five bits of the state and
 * of each character, and the sixteen hex digits reach every shard from every state.
 */
export function idInShard(hex: string, shard: string): string {
  const prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 30)}`;
  const state = fnv1a(prefix);
  for (const last of HEX) if (shardName((fnv1a(last, state) >>> 0) % SHARDS) === shard) return prefix + last;
  throw new Error(`No id falls in shard ${shard}`);
}

/** Shard n (0 ≤ n < SHARDS) as stored: two hex digits, "00" to "1f". */
export const shardName = (n: number): string => n.toString(16).padStart(2, '0');
