import type { RetailEvent } from '../domain/events/event-schema';
import { profileIdsOf, unknownProfile } from '../domain/events/event-rules';
import { shardOf } from '../domain/shards';
import { MAX_BATCH_OPERATIONS, type OperationInput, type OperationResponse } from '../adapters/cosmos-batch';
import { GroupCommit, REQUEST_PATH_LINGER_MS } from '../batching/group-commit';
import { nextBatchRound, type BatchShare } from '../batching/batch-rounds';
import { matchPendingOperation } from '../matching/match-pending-repository';
import { eventsBatchOutcome, newEventOperation, tryEventsBatch } from './event-repository';
import { auditOutboxOperation, type OutboxEntry } from '../audit/audit-outbox-repository';
import { joinProfile, joinProfileOperation, type ProfileDoc } from './profile-repository';

interface NewEvent {
  event: RetailEvent;
  storeJurisdiction: string;
  /** The existing profiles the event names, as read while checking them. */
  given: ReadonlyMap<string, ProfileDoc>;
  now: Date;
  /** Its audit entry, stored with it in the outbox (audit-outbox.ts) and appended once it is written. */
  audit: OutboxEntry;
}

type Written = { etag: string | undefined } | { error: unknown };

/** A transactional batch carries at most 2 MB; the rest of the room is the operations' envelopes. */
const MAX_BATCH_BYTES = 1_500_000;
/** About one batch of events (one with a new person is four operations: the profile, its matching request, the event, its outbox document). */
const MAX_EVENTS_PER_DRAIN = 32;

/** What writing a new event at once writes: the events container's transactional batches and the profile repository in the app, documents in memory in unit tests of this logic. */
export interface NewEventWriteStore {
  /** Adds the event to an existing profile as `current` was read (one conditional replace), or as it is now when it changed since; false when it is gone. */
  joinProfile(retailerId: string, profileId: string, eventId: string, now: Date, current: ProfileDoc | undefined): Promise<boolean>;
  /** Up to 100 operations on one shard of the retailer's events as one transactional batch: each one's result whether it succeeded or not; undefined when the store refused the batch; throws on a failure that is not the store's answer (the network). */
  batchOutcome(retailerId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined>;
  /** The same batch: every result when all succeeded, undefined when one failed or the store refused the batch; throws as batchOutcome. */
  tryBatch(retailerId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined>;
}

const cosmosRecords: NewEventWriteStore = {
  joinProfile,
  batchOutcome: eventsBatchOutcome,
  tryBatch: tryEventsBatch,
};

/** Writing new events at once, over a store. Made once per store: each call starts writers of its own per shard, and group commit needs one per shard in a process. */
export function newEventWriting(store: NewEventWriteStore) {
  /** One writer per shard of a retailer: new events arriving together in a shard share a batch. */
  const newEvents = new GroupCommit<NewEvent, Written>((shardKey, events) => writeTogether(store, shardKey, events), MAX_EVENTS_PER_DRAIN, REQUEST_PATH_LINGER_MS);

  /**
   * Writes a new event, the profiles its people start or join, its pending matching request and its
   * audit outbox document in one transactional batch in the event's shard: all or nothing in Azure.
   * A new person's profile is minted in that shard (newProfileId); a profile the event names that
   * lies in another shard is joined first, on its own (as the one-by-one path joins every profile
   * before the event), and the plate index, whose documents lie by plate, is brought in line after
   * the event is written (afterEventWritten). Events of one retailer's shard that arrive while its
   * batch is in flight go together in the next one (intake mints event ids a run at a time in one
   * shard: newEventId), so under load an event costs a fraction of a round trip.
   *
   * Undefined when the event's own operations failed: a profile changed since it was read, or a
   * retried request finds its records written. The caller then writes them one by one, reading
   * afresh, which also finishes whatever a failed batch applied on the local server (it applies
   * operations up to the failing one). The event goes last, so it is never stored without them.
   */
  async function writeNewEventAtOnce(
    event: RetailEvent,
    storeJurisdiction: string,
    given: ReadonlyMap<string, ProfileDoc>,
    now: Date,
    audit: NewEvent['audit'],
  ): Promise<string | undefined> {
    const shard = shardOf(event.id);
    // A profile of another shard is one the caller gave (a new person's is minted in this one):
    // gone since it was checked (merged away, or its last report deleted), it is refused as unknown.
    await Promise.all(
      profileIdsOf(event)
        .filter((id) => shardOf(id) !== shard)
        .map(async (id) => {
          if (!(await store.joinProfile(event.retailerId, id, event.id, now, given.get(id)))) throw unknownProfile(event.people, id);
        }),
    );
    const written = await newEvents.submit(`${event.retailerId}@${shard}`, { event, storeJurisdiction, given, now, audit });
    if ('error' in written) throw written.error;
    return written.etag;
  }

  return { writeNewEventAtOnce };
}

export const { writeNewEventAtOnce } = newEventWriting(cosmosRecords);

/** One event's operations in its shard's batch, built when the batch is assembled. */
function writesOf({ event, storeJurisdiction, given, now, audit }: NewEvent): OperationInput[] {
  const shard = shardOf(event.id);
  return [
    ...profileIdsOf(event)
      .filter((id) => shardOf(id) === shard)
      .map((id) => joinProfileOperation(event.retailerId, id, event.id, now, given.get(id))),
    matchPendingOperation(event.retailerId, event.id, now),
    newEventOperation(event, storeJurisdiction),
    // After the event: where a batch is applied up to a failing operation (the local server), a retry's conflicting event leaves the first attempt's outbox as it was.
    auditOutboxOperation(event.retailerId, audit, now),
  ];
}

function shareOf(operations: OperationInput[]): BatchShare {
  const bodies = operations.map((op) => (op as { id?: string; resourceBody?: { id?: string } }).resourceBody);
  return {
    ids: bodies.map((body) => body?.id ?? ''),
    operations: operations.length,
    bytes: bodies.reduce((sum, body) => sum + Buffer.byteLength(JSON.stringify(body ?? null)), 0),
  };
}

/** The events waiting in one shard of a retailer ("<retailer>@<shard>"), in rounds of one batch each; every event gets its own outcome. */
async function writeTogether(store: NewEventWriteStore, shardKey: string, events: NewEvent[]): Promise<Written[]> {
  const retailerId = shardKey.slice(0, shardKey.lastIndexOf('@'));
  const written: Written[] = new Array<Written>(events.length);
  let waiting = events.map((_, i) => i);
  while (waiting.length > 0) {
    const writes = waiting.map((i) => writesOf(events[i]!));
    const { taken, deferred } = nextBatchRound(writes.map(shareOf), { maxOperations: MAX_BATCH_OPERATIONS, maxBytes: MAX_BATCH_BYTES });
    const members = taken.map((t) => ({ index: waiting[t]!, event: events[waiting[t]!]!, writes: writes[t]! }));
    await writeRound(store, retailerId, members, written);
    waiting = deferred.map((d) => waiting[d]!);
  }
  return written;
}

type Member = { index: number; event: NewEvent; writes: OperationInput[] };

async function writeRound(store: NewEventWriteStore, retailerId: string, members: Member[], written: Written[]): Promise<void> {
  if (members.length === 1) {
    written[members[0]!.index] = await outcome(() => writeAlone(store, members[0]!.writes, retailerId));
    return;
  }
  let results: OperationResponse[] | undefined;
  try {
    results = await store.batchOutcome(retailerId, members.flatMap((m) => m.writes));
  } catch (error) {
    for (const m of members) written[m.index] = { error };
    return;
  }
  const alone: Member[] = [];
  let offset = 0;
  for (const m of members) {
    const mine = results?.slice(offset, (offset += m.writes.length));
    if (mine?.every((r) => r.statusCode < 300)) {
      // All applied: the batch succeeded, or (the local server only) it failed after this event.
      written[m.index] = { etag: eventEtag(mine) };
    } else if (mine?.some((r) => r.statusCode >= 300 && r.statusCode !== 424)) {
      // This event's own operation failed: as if its batch had been its own.
      written[m.index] = { etag: undefined };
    } else {
      // Failed only with the batch (424), or the batch was refused: this event tries again, on its own.
      alone.push(m);
    }
  }
  await Promise.all(
    alone.map(async (m) => {
      written[m.index] = await outcome(() => writeAlone(store, writesOf(m.event), retailerId));
    }),
  );
}

async function writeAlone(store: NewEventWriteStore, writes: OperationInput[], retailerId: string): Promise<string | undefined> {
  const results = await store.tryBatch(retailerId, writes);
  return results ? eventEtag(results) : undefined;
}

/** The event's own result: second to last, its outbox document follows it. */
const eventEtag = (results: OperationResponse[]): string => results.at(-2)?.eTag ?? '';

async function outcome(write: () => Promise<string | undefined>): Promise<Written> {
  try {
    return { etag: await write() };
  } catch (error) {
    return { error };
  }
}
