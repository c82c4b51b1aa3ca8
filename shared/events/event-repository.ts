import { randomInt, randomUUID } from 'node:crypto';
import type { RetailEvent } from '../domain/events/event-schema';
import { idInShard, SHARDS, shardName } from '../domain/shards';
import { ConflictError, PreconditionFailedError } from '../domain/errors';
import { container, readIfExists, deleteIfExists, queryAll, placed, itemOf, inOrganisation } from '../adapters/cosmos-containers';
import { MAX_BATCH_OPERATIONS, batchOutcome, createOperation, readBatch, replaceOperation, tryBatch, type OperationInput, type OperationResponse } from '../adapters/cosmos-batch';
import { writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/**
 * Stored shape: the event plus fields that exist only to be filtered and sorted on
 * (normalised time, profile ids, plates) and a purge marker.
 */
export interface EventDoc extends RetailEvent {
  orgId: string;
  docType: 'event';
  occurredAtUtc: string;
  /** The store's jurisdiction when the event was written: what police sharing by jurisdiction filters on. */
  storeJurisdiction: string;
  profileIds: string[];
  plates: string[];
  purging?: boolean;
  _etag?: string;
}

export interface VersionedEvent {
  event: RetailEvent;
  etag: string;
  purging: boolean;
  storeJurisdiction: string;
}

// foldedInto: set by the retention sweep on an event it is retiring (shared/retention); never shown.
const SERVER_ONLY = ['orgId', 'docType', 'occurredAtUtc', 'storeJurisdiction', 'profileIds', 'plates', 'purging', 'foldedInto', 'shard'] as const;

function toDoc(event: RetailEvent, storeJurisdiction: string, purging?: boolean): EventDoc {
  return {
    ...event,
    orgId: event.retailerId,
    docType: 'event',
    occurredAtUtc: new Date(event.occurredAt).toISOString(),
    storeJurisdiction,
    profileIds: [...new Set(event.people.map((p) => p.profileId))],
    plates: [...new Set(event.vehicles.map((v) => v.normalisedPlate))],
    ...(purging ? { purging } : {}),
  };
}

export function fromDoc(doc: EventDoc): RetailEvent {
  const event: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    if (!k.startsWith('_') && !(SERVER_ONLY as readonly string[]).includes(k)) event[k] = v;
  }
  return event as unknown as RetailEvent;
}

/** Events minted in one shard before intake moves to the next: about one batch's worth (write-new-event.ts). */
const IDS_PER_SHARD = 32;
let minting = { shard: randomInt(SHARDS), left: IDS_PER_SHARD };

/**
 * A new event's id: a random UUID, its last digits chosen (idInShard) to fall in the shard intake
 * fills at the moment, so that events arriving together share one batch; the shard moves on every
 * IDS_PER_SHARD ids, so a retailer's events spread evenly over its shards.
 */
export function newEventId(): string {
  if (minting.left-- <= 0) minting = { shard: (minting.shard + 1) % SHARDS, left: IDS_PER_SHARD - 1 };
  return idInShard(randomUUID().replace(/-/g, ''), shardName(minting.shard));
}

export async function readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined> {
  const resource = await readIfExists<EventDoc>('events', retailerId, id);
  if (!resource || resource.docType !== 'event') return undefined;
  return versioned(resource);
}

/** Several events of one retailer, one round trip per 100, in the order of `ids` (undefined: none). */
export async function readEvents(retailerId: string, ids: readonly string[]): Promise<(VersionedEvent | undefined)[]> {
  const found: (VersionedEvent | undefined)[] = [];
  for (let i = 0; i < ids.length; i += MAX_BATCH_OPERATIONS) {
    const docs = await readBatch<EventDoc>('events', retailerId, ids.slice(i, i + MAX_BATCH_OPERATIONS));
    found.push(...docs.map((d) => (d && d.docType === 'event' ? versioned(d) : undefined)));
  }
  return found;
}

/** Of `ids`, the retailer's events that someone outside those who see its sensitive ones may know of: live, and not sensitive (PRODUCT §5). */
export async function openEvents(retailerId: string, ids: readonly string[]): Promise<RetailEvent[]> {
  return (await readEvents(retailerId, ids)).flatMap((f) => (f && !f.purging && !f.event.sensitive ? [f.event] : []));
}

export const openEventIds = async (retailerId: string, ids: readonly string[]): Promise<string[]> => (await openEvents(retailerId, ids)).map((e) => e.id);

/** Which of `ids` have no document at all in the retailer's events (one being purged is still there), one round trip per 100, in the order of `ids`. */
export async function missingEventIds(retailerId: string, ids: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (let i = 0; i < ids.length; i += MAX_BATCH_OPERATIONS) {
    const chunk = ids.slice(i, i + MAX_BATCH_OPERATIONS);
    const docs = await readBatch<EventDoc>('events', retailerId, chunk);
    docs.forEach((d, j) => {
      if (!d) missing.push(chunk[j]!);
    });
  }
  return missing;
}

/** Up to 100 event documents of a retailer in one round trip, in the order of `ids` (undefined: none; one being purged is still there). */
export const readEventDocs = (retailerId: string, ids: readonly string[]): Promise<(EventDoc | undefined)[]> => readBatch<EventDoc>('events', retailerId, ids);

/** Up to 100 operations on one shard of the retailer's events as one transactional batch: each one's result whether it succeeded or not; undefined when the store refused the batch. */
export const eventsBatchOutcome = (retailerId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined> => batchOutcome('events', retailerId, operations);

/** The same batch: every result when all succeeded, undefined when one failed or the store refused the batch. */
export const tryEventsBatch = (retailerId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined> => tryBatch('events', retailerId, operations);

export function versioned(doc: EventDoc): VersionedEvent {
  return { event: fromDoc(doc), etag: doc._etag ?? '', purging: doc.purging === true, storeJurisdiction: doc.storeJurisdiction };
}

/**
 * An event by id whatever retailer owns it: for police officers and partner retailers, who
 * do not know the owner. A query (ids are indexed), used only on those read paths.
 */
export async function findEventAnywhere(id: string): Promise<VersionedEvent | undefined> {
  const { resources } = await container('events')
    .items.query<EventDoc>({
      query: "SELECT * FROM c WHERE c.id = @id AND c.docType = 'event' AND NOT IS_DEFINED(c.purging)",
      parameters: [{ name: '@id', value: id }],
    })
    .fetchAll();
  return resources[0] ? versioned(resources[0]) : undefined;
}

/** The create of a new event, for a transactional batch with its profiles and plate index (write-new-event). */
export function newEventOperation(event: RetailEvent, storeJurisdiction: string): OperationInput {
  return createOperation(toDoc(event, storeJurisdiction));
}

/** Create only: a second create of the same id (a retried request) answers EVENT_EXISTS. */
export async function insertEvent(event: RetailEvent, storeJurisdiction: string): Promise<string> {
  try {
    const { resource } = await container('events').items.create(placed('events', toDoc(event, storeJurisdiction)));
    return resource?._etag ?? '';
  } catch (error) {
    if (isConflict(error)) throw new ConflictError('EVENT_EXISTS', `Event ${event.id} already exists.`);
    throw error;
  }
}

/**
 * Replace only the version that was read: 412 when someone else changed it first. With `audit`,
 * the change's audit entry goes in the same transactional batch as an outbox document
 * (audit-outbox.ts), after the replace: stored with it or not at all.
 */
export async function replaceEvent(event: RetailEvent, etag: string, storeJurisdiction: string, purging = false, audit?: OutboxEntry): Promise<string> {
  if (audit) {
    const results = await writeAudited(event.retailerId, [replaceOperation({ ...toDoc(event, storeJurisdiction, purging) }, etag)], { ...audit, where: 'audit-outbox' });
    if (!results) throw new PreconditionFailedError();
    return results[0]!.eTag ?? '';
  }
  try {
    const { resource } = await itemOf('events', event.retailerId, event.id).replace(placed('events', toDoc(event, storeJurisdiction, purging)), { accessCondition: { type: 'IfMatch', condition: etag } });
    return resource?._etag ?? '';
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) throw new PreconditionFailedError();
    throw error;
  }
}

export async function deleteEventDoc(retailerId: string, id: string): Promise<void> {
  await deleteIfExists('events', retailerId, id);
}

/** Ids of the retailer's events with a person of this profile (a query in its partition: merges only). */
export async function eventIdsNaming(retailerId: string, profileId: string): Promise<string[]> {
  const rows = await queryAll<{ id: string }>('events', retailerId, "SELECT c.id FROM c WHERE c.orgId = @orgId AND c.docType = 'event' AND ARRAY_CONTAINS(c.profileIds, @profileId)", { orgId: retailerId, profileId });
  return rows.map((r) => r.id);
}

/** The retailer's live events with more than one person: what groups are computed from (only the fields they need). */
/** An event more than one profiled person of the retailer appears in, with what was taken. */
export interface MultiPersonEvent {
  id: string;
  profileIds: string[];
  products?: { quantity: number; unitValue: number }[];
  prevented: boolean;
}

export async function multiPersonEvents(retailerId: string): Promise<MultiPersonEvent[]> {
  return queryAll<MultiPersonEvent>('events', retailerId, "SELECT c.id, c.profileIds, c.products, c.prevented FROM c WHERE c.orgId = @orgId AND c.docType = 'event' AND NOT IS_DEFINED(c.purging) AND ARRAY_LENGTH(c.profileIds) > 1", { orgId: retailerId });
}

/** The retailer's live sensitive events, a page at a time (subject access looks for a person in them). */
export async function* sensitiveEvents(retailerId: string): AsyncGenerator<RetailEvent> {
  const iterator = container('events').items.query<EventDoc>(
    {
      query: "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'event' AND c.sensitive = true AND NOT IS_DEFINED(c.purging)",
      parameters: [{ name: '@orgId', value: retailerId }],
    },
    inOrganisation('events', retailerId, { maxItemCount: 200 }),
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const doc of resources ?? []) yield fromDoc(doc);
  }
}
