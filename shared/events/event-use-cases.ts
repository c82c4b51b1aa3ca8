import { randomUUID } from 'node:crypto';
import {
  assertCanSeeOwnEvent,
  assertMayDelete,
  auditDetails,
  buildEvent,
  checkEventInput,
  freeTextFields,
  newProfileId,
  placeHold,
  profileIdsOf,
  toInput,
} from '../domain/events/event-rules';
import { EventInputSchema, type EventInput, type RetailEvent } from '../domain/events/event-schema';
import { applyMergePatch } from '../domain/events/merge-patch';
import { etagMatches } from '../http/etag';
import { AppError, ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, ValidationError } from '../domain/errors';
import { assertNoSensitiveFields, assertNoSensitiveText } from '../domain/screening';
import { may, type Action } from '../domain/authorization';
import { auditDraftFor, auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleAudit, settleFreshAudit } from '../audit/audit-outbox';
import { writeAuditOutbox, type OutboxEntry } from '../audit/audit-outbox-repository';
import { parseWith } from '../domain/validation';
import { callerOrgType } from '../orgs/org-use-cases';
import { knownStore } from '../orgs/org-repository';
import type { Store } from '../domain/organisation';
import { readEvent, replaceEvent, insertEvent, type VersionedEvent } from './event-repository';
import { addEvent, readProfile, removeEvent, updateMembership, type ProfileDoc } from './profile-repository';
import { writeNewEventAtOnce } from './write-new-event';
import { purgeEvent, type PurgeResult } from './purge-event';
import { evidenceSummaries } from '../evidence/event-evidence';
import { queryEvents } from './event-query-repository';
import { requestMatching } from '../matching/match-queue';
import { markMatchPending } from '../matching/match-pending-repository';
import { syncPlateIndex } from '../lpr/plate-index-repository';
import { loadVisibleEvent, viewerOf } from '../sharing/event-access';
import { listSharedWithAgency } from '../sharing/police-listing';
import { respondOnce, type StoredResponse } from './idempotency';
import { decodeCursor, encodeCursor, type EventListQuery } from '../domain/events/event-list';
import { optimistically } from '../adapters/optimistic';

export interface EventReply {
  event: RetailEvent;
  etag: string;
}

/**
 * Role check for an event action. Refused on an event id that is not the caller's own
 * organisation's, the answer is 404, never 403: a refusal must not reveal that another
 * organisation's event exists.
 */
async function authorizeFor(caller: Caller, action: Action, targetId: string, existing = true): Promise<string> {
  try {
    await authorizeAudited(caller, action, await callerOrgType(caller), { type: 'event', id: targetId });
  } catch (error) {
    if (!existing || targetId === '*') throw error;
    const own = caller.principal.orgId ? await readEvent(caller.principal.orgId, targetId) : undefined;
    if (!own) throw new NotFoundError();
    throw error;
  }
  return caller.principal.orgId!;
}

function audit(caller: Caller, retailerId: string, action: string, event: RetailEvent, extra: Record<string, string | number | boolean | string[]> = {}) {
  return auditFor(caller, retailerId, eventAudit(action, event, extra));
}

/** An event change's entry for its outbox: written with the change, appended after it (audit-outbox.ts). */
function outboxEntry(caller: Caller, entry: ReturnType<typeof eventAudit>): OutboxEntry {
  return { key: `${entry.action}:${entry.target.id}:${randomUUID()}`, draft: auditDraftFor(caller, entry) };
}

function eventAudit(action: string, event: RetailEvent, extra: Record<string, string | number | boolean | string[]> = {}) {
  return { action, target: { type: 'event', id: event.id }, details: { ...auditDetails(event), ...extra } };
}

/** Store, scope, time, profiles and free text: everything beyond the schema that a new or corrected event must pass. */
async function validateForRetailer(caller: Caller, retailerId: string, input: EventInput, now: Date): Promise<Store> {
  checkEventInput(input, caller.principal, now);
  const store = await knownStore(retailerId, input.storeId);
  if (!store) throw new ValidationError([{ path: 'storeId', message: 'No such store.' }], 'Unknown store.', 'UNKNOWN_STORE');
  assertNoSensitiveText(freeTextFields(input));
  return store;
}

/** Every profile the input names that `before` did not have must exist: those profiles, as read. */
async function checkGivenProfiles(retailerId: string, input: EventInput, before: RetailEvent | undefined): Promise<Map<string, ProfileDoc>> {
  const known = new Set(profileIdsOf(before));
  const found = new Map<string, ProfileDoc>();
  for (const [i, person] of (input.people ?? []).entries()) {
    if (!person.profileId || known.has(person.profileId) || found.has(person.profileId)) continue;
    const profile = await readProfile(retailerId, person.profileId);
    if (!profile) {
      throw new ValidationError([{ path: `people.${i}.profileId`, message: 'No such profile.' }], 'Unknown profile.', 'UNKNOWN_PROFILE');
    }
    found.set(profile.id, profile);
  }
  return found;
}

/** Adds the event to every profile it names (creating new ones), before the event itself is written. */
async function joinProfiles(event: RetailEvent, now: Date, before?: RetailEvent): Promise<void> {
  const minted = new Set(event.people.filter((p) => p.profileId === newProfileId(event.id, p.ref)).map((p) => p.profileId));
  for (const p of before?.people ?? []) minted.delete(p.profileId);
  await Promise.all(
    profileIdsOf(event).map((id) => updateMembership(event.retailerId, id, addEvent(event.id), now, true, minted.has(id))),
  );
}

/**
 * A new event's writes one at a time (profiles, event, plate index), each idempotent: after a
 * failed batch, or for a retried request. A retry that finds the event written answers with
 * it (`created: false`) after finishing what a crashed first attempt may have left undone: the
 * plate index (LPR) and the matching request.
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
    const etag = await insertEvent(event, storeJurisdiction);
    await syncPlateIndex(event.retailerId, event.id, undefined, event);
    return { event, etag, created: true };
  } catch (error) {
    const existing = error instanceof AppError && error.code === 'EVENT_EXISTS' ? (found ?? (await readEvent(event.retailerId, event.id))) : undefined;
    if (!existing) throw error;
    await settleAudit(event.retailerId, audit.key);
    if (!existing.purging) {
      await syncPlateIndex(event.retailerId, event.id, undefined, existing.event);
      await requestMatching(event.retailerId, event.id);
    }
    return { event: existing.event, etag: existing.etag, created: false };
  }
}

async function leaveProfiles(retailerId: string, eventId: string, profileIds: string[], now: Date): Promise<void> {
  await Promise.all(profileIds.map((id) => updateMembership(retailerId, id, removeEvent(eventId), now, false)));
}

/**
 * Creates an event. `eventId` comes from the idempotency claim when there is one, so every
 * retry of the same request writes the same event; a retry that finds it already written
 * answers with it instead of a second copy.
 */
export async function createEvent(caller: Caller, input: EventInput, eventId: string = randomUUID(), now = new Date()): Promise<EventReply> {
  const retailerId = await authorizeFor(caller, 'event.create', eventId, false);
  const store = await validateForRetailer(caller, retailerId, input, now);
  const given = await checkGivenProfiles(retailerId, input, undefined);
  const event = buildEvent(eventId, retailerId, input, caller.principal.sub, now);
  const audit: OutboxEntry = { key: `event.create:${event.id}`, draft: auditDraftFor(caller, eventAudit('event.create', event)), proofId: event.id };
  let etag = await writeNewEventAtOnce(event, store.jurisdiction, given, now, audit);
  if (etag === undefined) {
    const written = await writeNewEventOneByOne(event, store.jurisdiction, now, audit);
    if (!written.created) return { event: written.event, etag: written.etag };
    etag = written.etag;
  }
  // The entry and the matching request side by side: neither waits for the other (the event is stored).
  await Promise.all([settleFreshAudit(retailerId, audit), requestMatching(retailerId, event.id)]);
  return { event, etag };
}

async function visibleEvent(caller: Caller, retailerId: string, id: string): Promise<VersionedEvent> {
  const found = await readEvent(retailerId, id);
  assertCanSeeOwnEvent(caller.principal, found && !found.purging ? found.event : undefined);
  return found!;
}

/** The owner, a police officer it is shared with, or a partner investigator: the one rule decides; the owner's chain records it. */
export async function getEvent(caller: Caller, id: string): Promise<EventReply> {
  await authorizeFor(caller, 'event.read', id);
  const { event, etag, access } = await loadVisibleEvent(caller, id);
  await audit(caller, event.retailerId, 'event.read', event, { relation: access.relation });
  // Evidence locker (issue 4): the event's evidence, summarised.
  const evidence = await evidenceSummaries(event.retailerId, id);
  return { event: { ...event, evidence }, etag };
}

/**
 * JSON merge patch over the client-editable fields, validated and screened exactly like a
 * new event, applied only to the version the caller read (If-Match).
 */
export async function patchEvent(caller: Caller, id: string, patch: unknown, ifMatch: string | null, now = new Date()): Promise<EventReply> {
  const retailerId = await authorizeFor(caller, 'event.update', id);
  if (!ifMatch) throw new PreconditionRequiredError();
  const current = await visibleEvent(caller, retailerId, id);
  if (!etagMatches(ifMatch, current.etag)) throw new PreconditionFailedError();
  assertNoSensitiveFields(patch);
  const input = parseWith(EventInputSchema, applyMergePatch(toInput(current.event), patch), 'patched event');
  const store = await validateForRetailer(caller, retailerId, input, now);
  await checkGivenProfiles(retailerId, input, current.event);
  const next = buildEvent(id, retailerId, input, caller.principal.sub, now, current.event);
  await joinProfiles(next, now, current.event);
  await markMatchPending(retailerId, id, now);
  const audit = outboxEntry(caller, eventAudit('event.update', next, { fields: changedFields(current.event, next) }));
  const etag = await replaceEvent(next, current.etag, store.jurisdiction, false, audit);
  await settleFreshAudit(retailerId, audit);
  await syncPlateIndex(retailerId, id, current.event, next);
  const gone = profileIdsOf(current.event).filter((p) => !profileIdsOf(next).includes(p));
  await leaveProfiles(retailerId, id, gone, now);
  await requestMatching(retailerId, id);
  return { event: next, etag };
}

function changedFields(before: RetailEvent, after: RetailEvent): string[] {
  const a = toInput(before);
  const b = toInput(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

export async function deleteEvent(caller: Caller, id: string, now = new Date()): Promise<PurgeResult> {
  const retailerId = await authorizeFor(caller, 'event.delete', id);
  const { event } = await visibleEvent(caller, retailerId, id);
  try {
    assertMayDelete(caller.principal, event, now);
  } catch (error) {
    await auditFor(caller, retailerId, {
      action: 'event.delete',
      target: { type: 'event', id },
      outcome: 'denied',
      details: { code: (error as AppError).code },
    });
    throw error;
  }
  // The entry rides with the mark that makes the event gone to every reader; once purged, it is appended with what went.
  const entry = outboxEntry(caller, eventAudit('event.delete', event));
  const result = await purgeEvent(retailerId, id, now, entry);
  await settleFreshAudit(retailerId, { ...entry, draft: { ...entry.draft, details: { ...entry.draft.details, profilesDeleted: result.profilesDeleted } } });
  return result;
}

/** Places (reason given) or lifts (null) a legal hold, retrying on concurrent edits. */
export async function setLegalHold(caller: Caller, id: string, reason: string | null, now = new Date()): Promise<EventReply> {
  const retailerId = await authorizeFor(caller, 'event.hold', id);
  return optimistically(`Event ${id}`, async () => {
    const current = await visibleEvent(caller, retailerId, id);
    const next: RetailEvent = { ...current.event, legalHold: reason === null ? null : placeHold(reason, caller.principal.sub, now) };
    const audit = outboxEntry(caller, eventAudit(reason === null ? 'event.legal-hold.remove' : 'event.legal-hold.place', next));
    const etag = await replaceEvent(next, current.etag, current.storeJurisdiction, false, audit);
    await settleFreshAudit(retailerId, audit);
    return { event: next, etag };
  });
}

export async function listEvents(caller: Caller, query: EventListQuery): Promise<{ items: RetailEvent[]; continuationToken: string | null }> {
  await authorizeFor(caller, 'event.read', '*');
  const viewer = await viewerOf(caller);
  if (viewer.org?.type === 'agency') return listSharedWithAgency(caller, viewer, query);
  if (viewer.org?.type !== 'retailer' || !may(caller.principal, 'event.read.own')) throw new ForbiddenError('Your organisation or role cannot list events.');
  const retailerId = viewer.org.id;
  const { principal } = caller;
  const privileged = may(principal, 'store.all');
  const page = await queryEvents(
    retailerId,
    {
      ...query,
      storeScope: privileged ? null : principal.stores,
      includeSensitive: privileged,
    },
    query.pageSize,
    query.continuationToken ? decodeCursor(query.continuationToken) : undefined,
  );
  await auditFor(caller, retailerId, {
    action: 'event.list',
    target: { type: 'event', id: '*' },
    details: { count: page.items.length, eventIds: page.items.map((e) => e.id) },
  });
  return { items: page.items, continuationToken: page.next ? encodeCursor(page.next) : null };
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
