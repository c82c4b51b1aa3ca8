import { buildEvent } from '../domain/events/event-rules';
import type { EventInput, RetailEvent } from '../domain/events/event-schema';
import type { Action } from '../domain/authorization';
import type { Store } from '../domain/organisation';
import { AppError, ConflictError } from '../domain/errors';
import { auditDraftFor, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import { writeAuditOutbox, type OutboxEntry } from '../audit/audit-outbox-repository';
import { markMatchPending } from '../matching/match-pending-repository';
import { insertEvent, newEventId, readEvent, type VersionedEvent } from './event-repository';
import type { ProfileDoc } from './profile-repository';
import { afterEventWritten, authorizeFor, checkGivenProfiles, eventAudit, joinProfiles, validateForRetailer, type EventReply } from './event-steps';
import { respondOnce, type StoredResponse } from './idempotency';
import { writeNewEventAtOnce } from './write-new-event';

/** Reporting an event (PRODUCT §2): at once in one batch where it can, one write at a time where it cannot, once per Idempotency-Key. */

/** What reporting an event reads and writes: the repositories and the shared event steps in the app, in-memory records in unit tests of this logic. */
export interface EventCreationStore {
  /** Refuses (audited) a caller who may not report; answers the caller's retailer. */
  authorize(caller: Caller, action: Action, targetId: string, existing: boolean): Promise<string>;
  /** Store, scope, time, profiles and free text, as every new or corrected event must pass them: the event's store. */
  validateForRetailer(caller: Caller, retailerId: string, input: EventInput, now: Date, target: { action: Action; id: string }): Promise<Store>;
  /** The profiles the input names, which must exist (422 otherwise), as read. */
  checkGivenProfiles(retailerId: string, input: EventInput, before: undefined): Promise<Map<string, ProfileDoc>>;
  /** The event, its profiles and its entry's outbox document in as few batches as the shards allow; undefined when a batch was refused. */
  writeNewEventAtOnce(event: RetailEvent, storeJurisdiction: string, given: ReadonlyMap<string, ProfileDoc>, now: Date, audit: OutboxEntry): Promise<string | undefined>;
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  /** The event is to be matched: marked before it is written, so a crash leaves it to the sweep. */
  markMatchPending(retailerId: string, eventId: string, now: Date): Promise<void>;
  /** The event joins every profile it names (new ones created), before it is written. */
  joinProfiles(event: RetailEvent, now: Date): Promise<void>;
  writeAuditOutbox(retailerId: string, entry: OutboxEntry, now: Date): Promise<void>;
  /** Creates the event document (409 EVENT_EXISTS when the id is taken). */
  insertEvent(event: RetailEvent, storeJurisdiction: string): Promise<string>;
  /** Appends the entry an earlier attempt left in the outbox, if any. */
  settleAudit(retailerId: string, key: string): Promise<unknown>;
  /** Plates, the audit entry and the matching request, as after every write of an event. */
  afterEventWritten(event: RetailEvent, audit: { entry: OutboxEntry; fresh: boolean }, plates: { before: undefined }): Promise<void>;
}

const cosmosRecords: EventCreationStore = {
  authorize: authorizeFor,
  validateForRetailer,
  checkGivenProfiles,
  writeNewEventAtOnce,
  readEvent,
  markMatchPending,
  joinProfiles: (event, now) => joinProfiles(event, now),
  writeAuditOutbox,
  insertEvent,
  settleAudit: (retailerId, key) => settleAudit(retailerId, key),
  afterEventWritten,
};

/** Reporting events, over a store. */
export function eventCreation(store: EventCreationStore) {
  /**
   * A new event's writes one at a time (profiles, event), each idempotent: after a failed batch, or
   * for a retried request. A retry that finds the event written answers with it (`created: false`)
   * after finishing what a crashed first attempt may have left undone (afterEventWritten).
   */
  async function writeNewEventOneByOne(event: RetailEvent, storeJurisdiction: string, now: Date, audit: OutboxEntry): Promise<EventReply & { created: boolean }> {
    // A retry finds the event written: its first attempt's outbox (if still there) is the one to finish, not overwritten.
    const found = await store.readEvent(event.retailerId, event.id);
    if (!found) {
      // The profiles first: one the caller gave that went since it was checked refuses the report
      // (UNKNOWN_PROFILE) before anything marks it to be matched.
      await store.joinProfiles(event, now);
      await store.markMatchPending(event.retailerId, event.id, now);
      await store.writeAuditOutbox(event.retailerId, audit, now);
    }
    try {
      if (found) throw new ConflictError('EVENT_EXISTS', `Event ${event.id} already exists.`);
      return { event, etag: await store.insertEvent(event, storeJurisdiction), created: true };
    } catch (error) {
      const existing = error instanceof AppError && error.code === 'EVENT_EXISTS' ? (found ?? (await store.readEvent(event.retailerId, event.id))) : undefined;
      if (!existing) throw error;
      return { ...(await finishWritten(existing, audit)), created: false };
    }
  }

  /** An event an earlier attempt wrote: what may have been left undone after it finished, and the event as written. */
  async function finishWritten(existing: VersionedEvent, audit: OutboxEntry): Promise<EventReply> {
    if (existing.purging) await store.settleAudit(existing.event.retailerId, audit.key);
    else await store.afterEventWritten(existing.event, { entry: audit, fresh: false }, { before: undefined });
    return { event: existing.event, etag: existing.etag };
  }

  /**
   * Creates an event. `eventId` comes from the idempotency claim when there is one, so every
   * retry of the same request writes the same event; a retry that finds it already written
   * answers with it instead of a second copy.
   */
  async function createEvent(caller: Caller, input: EventInput, eventId: string = newEventId(), now = new Date()): Promise<EventReply> {
    const retailerId = await store.authorize(caller, 'event.create', eventId, false);
    const where = await store.validateForRetailer(caller, retailerId, input, now, { action: 'event.create', id: eventId });
    try {
      return await writeEvent(caller, retailerId, where, input, eventId, now);
    } catch (error) {
      // A retry whose first attempt wrote the event, one of whose profiles was merged away since: answered with the event as written.
      const written = error instanceof AppError && error.code === 'UNKNOWN_PROFILE' ? await store.readEvent(retailerId, eventId) : undefined;
      if (!written) throw error;
      return finishWritten(written, { key: `event.create@${eventId}`, draft: auditDraftFor(caller, eventAudit('event.create', written.event)), proofId: eventId });
    }
  }

  async function writeEvent(caller: Caller, retailerId: string, where: Store, input: EventInput, eventId: string, now: Date): Promise<EventReply> {
    const given = await store.checkGivenProfiles(retailerId, input, undefined);
    const event = buildEvent(eventId, retailerId, input, caller.principal.sub, now);
    const audit: OutboxEntry = { key: `event.create@${event.id}`, draft: auditDraftFor(caller, eventAudit('event.create', event)), proofId: event.id };
    const etag = await store.writeNewEventAtOnce(event, where.jurisdiction, given, now, audit);
    if (etag !== undefined) {
      // The plate index lies by plate, outside the event's batch: brought in line now the event is written.
      await store.afterEventWritten(event, { entry: audit, fresh: true }, { before: undefined });
      return { event, etag };
    }
    const written = await writeNewEventOneByOne(event, where.jurisdiction, now, audit);
    if (written.created) await store.afterEventWritten(event, { entry: audit, fresh: true }, { before: undefined });
    return { event: written.event, etag: written.etag };
  }

  return { createEvent };
}

export const { createEvent } = eventCreation(cosmosRecords);

/**
 * POST /events with an optional Idempotency-Key: the same key and body within 24 h answer
 * the first response and store nothing new; another body is a 409. A client error releases
 * the key, so the corrected request may reuse it.
 */
export async function createEventOnce<R extends StoredResponse>(
  caller: Caller,
  input: EventInput,
  rawBody: unknown,
  idempotencyKey: string | null,
  respond: (reply: EventReply) => R,
): Promise<R> {
  if (!idempotencyKey) return respond(await createEvent(caller, input));
  const retailerId = await authorizeFor(caller, 'event.create', '*');
  return respondOnce({ orgId: retailerId, sub: caller.principal.sub, key: idempotencyKey, rawBody }, async (eventId) => respond(await createEvent(caller, input, eventId)));
}
