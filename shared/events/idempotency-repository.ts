import { container, keyOf, placed, readIfExists, deleteIfExists, queryAll, replaceIfUnchanged, scopeOf, withoutSystemProperties } from '../adapters/cosmos-containers';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';
import type { IdempotencyStore, StoredResponse } from './idempotency';
import { findEventAnywhere } from './event-repository';

/** An Idempotency-Key's record, in the organisation's shard of the `idempotency` container that its id falls in. */
export interface IdempotencyDoc {
  id: string;
  orgId: string;
  docType: 'idempotency';
  requestHash: string;
  /** Chosen when the key is first seen, so every attempt of this request writes the same event. */
  resourceId: string;
  /** The event a request adds to (a message, evidence): its purge retires this response too. */
  eventId?: string;
  /** failed: the attempt ended in a server-side fault; a retry takes the key over, with the same resource id. */
  state: 'pending' | 'done' | 'failed';
  response?: StoredResponse;
  createdAt: string;
  expiresAt: string;
  /** Set by each claim's write: a write applied with its answer lost is known for the claim's own on the next read. */
  claimId?: string;
  _etag?: string;
}

/** The record, or undefined. */
export async function readRecord(orgId: string, docId: string): Promise<IdempotencyDoc | undefined> {
  return readIfExists<IdempotencyDoc>('idempotency', orgId, docId);
}

/** Creates a new record; false when one with its id exists (another attempt's, or this create's whose answer was lost). */
export async function createRecord(doc: IdempotencyDoc): Promise<boolean> {
  try {
    await container('idempotency').items.create(placed('idempotency', doc));
    return true;
  } catch (error) {
    if (isConflict(error)) return false;
    throw error;
  }
}

/** Writes the record as it is now (the first attempt's answer, stored for retries). */
export async function upsertRecord(doc: IdempotencyDoc): Promise<void> {
  const { _etag: _, ...rest } = doc;
  await container('idempotency').items.upsert(placed('idempotency', rest));
}

export async function deleteRecord(orgId: string, docId: string): Promise<void> {
  await deleteIfExists('idempotency', orgId, docId);
}

/** Replaces `existing` with `next` only if it is unchanged since read; undefined when it changed or went. */
export async function replaceRecordIfUnchanged(existing: IdempotencyDoc, next: IdempotencyDoc): Promise<IdempotencyDoc | undefined> {
  return (await replaceIfUnchanged('idempotency', existing, next)) ? next : undefined;
}

/** The records whose stored answers are of these resources (a query over the organisation's shards). */
export async function recordsOfResources(orgId: string, resourceIds: string[], withPending = false, aboutEvents = false): Promise<IdempotencyDoc[]> {
  const answered = withPending ? '' : ' AND IS_DEFINED(c.response)';
  const about = aboutEvents ? '(ARRAY_CONTAINS(@ids, c.resourceId) OR ARRAY_CONTAINS(@ids, c.eventId))' : 'ARRAY_CONTAINS(@ids, c.resourceId)';
  return queryAll<IdempotencyDoc>('idempotency', orgId, `SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'idempotency' AND ${about}${answered}`, { orgId, ids: resourceIds });
}

/**
 * Removes up to `max` of an organisation's records past their 24 h window (the retention
 * sweep): one query over the organisation's shards, then a delete of each only if it is
 * still the expired version (a retry may have just taken an expired key over). Returns
 * how many went; fewer than `max` means none are left.
 */
export async function deleteExpiredKeys(orgId: string, now: Date, max: number): Promise<number> {
  const { resources } = await container('idempotency')
    .items.query<{ id: string; _etag: string }>(
      {
        query: `SELECT TOP ${max} c.id, c._etag FROM c WHERE c.orgId = @orgId AND c.docType = 'idempotency' AND c.expiresAt <= @now`,
        parameters: [
          { name: '@orgId', value: orgId },
          { name: '@now', value: now.toISOString() },
        ],
      },
      { partitionKey: scopeOf('idempotency', orgId), maxItemCount: max },
    )
    .fetchAll();
  let deleted = 0;
  for (const r of resources ?? []) {
    try {
      await container('idempotency').item(r.id, keyOf('idempotency', orgId, r.id)).delete({ accessCondition: { type: 'IfMatch', condition: r._etag } });
      deleted += 1;
    } catch (error) {
      if (!isNotFound(error) && !isPreconditionFailed(error)) throw error;
    }
  }
  return deleted;
}

/**
 * A record from the container before shards, taken in by the shard migration job while its 24 h
 * last: copied unless the key has been used since the deployment (that record is the newer one).
 */
export async function adoptLegacyRecord(legacy: IdempotencyDoc, now: Date): Promise<void> {
  if (legacy.expiresAt <= now.toISOString()) return;
  const { _etag: _, ...old } = withoutSystemProperties(legacy);
  await createRecord(old);
}

/** The records in Cosmos DB, as the Idempotency-Key logic reads and writes them. */
export const idempotencyRecords: IdempotencyStore = {
  read: readRecord,
  create: createRecord,
  replaceIfUnchanged: replaceRecordIfUnchanged,
  upsert: upsertRecord,
  delete: deleteRecord,
  ofResources: recordsOfResources,
  eventGone: async (eventId) => (await findEventAnywhere(eventId)) === undefined,
};
