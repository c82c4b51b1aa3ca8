import { buildEvent } from '../domain/events/event-rules';
import type { EventInput, RetailEvent } from '../domain/events/event-schema';
import { AppError, ConflictError } from '../domain/errors';
import { auditDraftFor, type Caller } from '../audit/audited-authorize';
import { settleAudit } from '../audit/audit-outbox';
import { writeAuditOutbox, type OutboxEntry } from '../audit/audit-outbox-repository';
import { markMatchPending } from '../matching/match-pending-repository';
import { insertEvent, newEventId, readEvent } from './event-repository';
import { afterEventWritten, authorizeFor, checkGivenProfiles, eventAudit, joinProfiles, validateForRetailer, type EventReply } from './event-steps';
import { respondOnce, type StoredResponse } from './idempotency';
import { writeNewEventAtOnce } from './write-new-event';

/** Reporting an event (PRODUCT §2): at once in one batch where it can, one write at a time where it cannot, once per Idempotency-Key. */

/**
 * A new event's writes one at a time (profiles, event), each idempotent: after a failed batch, or
 * for a retried request. A retry that finds the event written answers with it (`created: false`)
 * after finishing what a crashed first attempt may have left undone (afterEventWritten).
 */
async function writeNewEventOneByOne(event: RetailEvent, storeJurisdiction: string, now: Date, audit: OutboxEntry): Promise<EventReply & { created: boolean }> {
  // A retry finds the event written: its first attempt's outbox (if still there) is the one to finish, not overwritten.
  const found = await readEvent(event.retailerId, event.id);
  if (!found) {
    await markMatchPending(event.retailerId, event.id, now);
    await joinProfiles(event, now);
    await writeAuditOutbox(event.retailerId, audit, now);
  }
  try {
    if (found) throw new ConflictError('EVENT_EXISTS', `Event ${event.id} already exists.`);
    return { event, etag: await insertEvent(event, storeJurisdiction), created: true };
  } catch (error) {
    const existing = error instanceof AppError && error.code === 'EVENT_EXISTS' ? (found ?? (await readEvent(event.retailerId, event.id))) : undefined;
    if (!existing) throw error;
    if (existing.purging) await settleAudit(event.retailerId, audit.key);
    else await afterEventWritten(existing.event, { entry: audit, fresh: false }, { before: undefined });
    return { event: existing.event, etag: existing.etag, created: false };
  }
}

/**
 * Creates an event. `eventId` comes from the idempotency claim when there is one, so every
 * retry of the same request writes the same event; a retry that finds it already written
 * answers with it instead of a second copy.
 */
export async function createEvent(caller: Caller, input: EventInput, eventId: string = newEventId(), now = new Date()): Promise<EventReply> {
  const retailerId = await authorizeFor(caller, 'event.create', eventId, false);
  const store = await validateForRetailer(caller, retailerId, input, now);
  const given = await checkGivenProfiles(retailerId, input, undefined);
  const event = buildEvent(eventId, retailerId, input, caller.principal.sub, now);
  const audit: OutboxEntry = { key: `event.create@${event.id}`, draft: auditDraftFor(caller, eventAudit('event.create', event)), proofId: event.id };
  const etag = await writeNewEventAtOnce(event, store.jurisdiction, given, now, audit);
  if (etag !== undefined) {
    // The plate index lies by plate, outside the event's batch: brought in line now the event is written.
    await afterEventWritten(event, { entry: audit, fresh: true }, { before: undefined });
    return { event, etag };
  }
  const written = await writeNewEventOneByOne(event, store.jurisdiction, now, audit);
  if (written.created) await afterEventWritten(event, { entry: audit, fresh: true }, { before: undefined });
  return { event: written.event, etag: written.etag };
}

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
