import { buildEvent, profileIdsOf, toInput } from '../domain/events/event-rules';
import type { Action } from '../domain/authorization';
import { EventInputSchema, type EventInput, type RetailEvent } from '../domain/events/event-schema';
import { applyMergePatch } from '../domain/events/merge-patch';
import { canonicalJson } from '../domain/canonical-json';
import { PreconditionFailedError, PreconditionRequiredError } from '../domain/errors';
import { assertNoSensitiveFields } from '../domain/screening';
import { parseWith } from '../domain/validation';
import type { Store } from '../domain/organisation';
import type { Caller } from '../audit/audited-authorize';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { markMatchPending } from '../matching/match-pending-repository';
import { exclusively } from '../matching/profile-leases';
import { leavingDone, noteLeaving, unfinishedLeaving } from './leaving-repository';
import { replaceEvent, type VersionedEvent } from './event-repository';
import { afterEventWritten, authorizeFor, checkGivenProfiles, eventAudit, joinProfiles, leaveProfiles, outboxEntry, validateForRetailer, visibleEvent, type EventReply } from './event-steps';

/** What a correction reads and writes: the repositories and the shared event steps in the app, in-memory records in unit tests of this logic. */
export interface EventCorrectionStore {
  /** Refuses (audited) a caller who may not correct events (another organisation's event: 404); answers the caller's retailer. */
  authorize(caller: Caller, id: string): Promise<string>;
  /** The retailer's event if the caller may see it; 404 otherwise (or while it is being purged). */
  visibleEvent(caller: Caller, retailerId: string, id: string, action: Action): Promise<VersionedEvent>;
  /** Store, scope, time and free text, as a new event must pass them: the event's store. */
  validateForRetailer(caller: Caller, retailerId: string, input: EventInput, now: Date, target: { action: Action; id: string }): Promise<Store>;
  /** Every profile the input names that the event did not have must exist (422 otherwise). */
  checkGivenProfiles(retailerId: string, input: EventInput, before: RetailEvent): Promise<unknown>;
  /** The event joins every profile it names (new ones created), before it is written. */
  joinProfiles(event: RetailEvent, now: Date, before: RetailEvent): Promise<void>;
  /** The event is to be matched again: marked before it is written, so a crash leaves it to the sweep. */
  markMatchPending(retailerId: string, eventId: string, now: Date): Promise<void>;
  /** Profiles an earlier correction of the event noted and never finished leaving. */
  unfinishedLeaving(retailerId: string, eventId: string): Promise<string[]>;
  /** Notes the profiles the event is to leave, before it is written (a crash leaves them to the sweep); the version written. */
  noteLeaving(retailerId: string, eventId: string, profileIds: readonly string[], now: Date): Promise<string>;
  /** The note goes once they are left (unless changed since). */
  leavingDone(retailerId: string, eventId: string, etag: string): Promise<void>;
  /** Runs `work` holding these profiles' leases (a merge, split or erasure holding one: 409 PROFILE_BUSY). */
  exclusively<T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>): Promise<T>;
  /** Replaces the event over the version read (412 if it moved), with its entry's outbox document in the same batch. */
  replaceEvent(event: RetailEvent, etag: string, storeJurisdiction: string, audit: OutboxEntry): Promise<string>;
  /** The event leaves profiles it no longer names (one emptied goes). */
  leaveProfiles(retailerId: string, eventId: string, profileIds: string[], now: Date): Promise<void>;
  /** Plates, the audit entry and the matching request, as after every write of an event. */
  afterEventWritten(event: RetailEvent, audit: { entry: OutboxEntry; fresh: boolean }, plates: { before: RetailEvent }): Promise<void>;
}

const cosmosRecords: EventCorrectionStore = {
  authorize: (caller, id) => authorizeFor(caller, 'event.update', id),
  visibleEvent,
  validateForRetailer,
  checkGivenProfiles,
  joinProfiles,
  markMatchPending,
  unfinishedLeaving,
  noteLeaving,
  leavingDone,
  exclusively,
  replaceEvent: (event, etag, storeJurisdiction, audit) => replaceEvent(event, etag, storeJurisdiction, false, audit),
  leaveProfiles,
  afterEventWritten,
};

/** Correcting events (PRODUCT §3), over a store. */
export function eventCorrections(store: EventCorrectionStore) {
  /**
   * JSON merge patch over the client-editable fields, validated and screened exactly like a
   * new event, applied only to the version the caller read (If-Match).
   */
  return async function patchEvent(caller: Caller, id: string, patch: unknown, ifMatch: ((current: string) => boolean) | null, now = new Date()): Promise<EventReply> {
    const retailerId = await store.authorize(caller, id);
    if (!ifMatch) throw new PreconditionRequiredError();
    const current = await store.visibleEvent(caller, retailerId, id, 'event.update');
    if (!ifMatch(current.etag)) throw new PreconditionFailedError();
    assertNoSensitiveFields(patch);
    const input = parseWith(EventInputSchema, applyMergePatch(toInput(current.event), patch), 'patched event');
    const where = await store.validateForRetailer(caller, retailerId, input, now, { action: 'event.update', id });
    await store.checkGivenProfiles(retailerId, input, current.event);
    const next = buildEvent(id, retailerId, input, caller.principal.sub, now, current.event);
    const fields = changedFields(current.event, next);
    // A patch that changes nothing writes nothing: no new version, no entry, no re-match, no webhook of a "correction".
    if (fields.length === 0) return { event: current.event, etag: current.etag };
    const before = profileIdsOf(current.event);
    const after = profileIdsOf(next);
    // The profiles the event leaves: those it no longer names, and any an earlier correction left unfinished.
    const leaving = [...new Set([...before, ...(await store.unfinishedLeaving(retailerId, id))])].filter((p) => !after.includes(p));
    const joining = after.filter((p) => !before.includes(p));
    const write = async (): Promise<EventReply> => {
      await store.joinProfiles(next, now, current.event);
      await store.markMatchPending(retailerId, id, now);
      const noted = leaving.length ? await store.noteLeaving(retailerId, id, leaving, now) : undefined;
      const audit = outboxEntry(caller, eventAudit('event.update', next, { fields }));
      const etag = await store.replaceEvent(next, current.etag, where.jurisdiction, audit);
      await store.leaveProfiles(retailerId, id, leaving, now);
      if (noted !== undefined) await store.leavingDone(retailerId, id, noted);
      await store.afterEventWritten(next, { entry: audit, fresh: true }, { before: current.event });
      return { event: next, etag };
    };
    // A person leaving or joining a profile changes it in Connect the Dots (suggestions, keys, the
    // profile itself when emptied): not while a merge, split or erasure of it is under way.
    const touched = [...leaving, ...joining];
    return touched.length ? store.exclusively(retailerId, touched, `correct:${id}`, write) : write();
  };
}

export const patchEvent = eventCorrections(cosmosRecords);

function changedFields(before: RetailEvent, after: RetailEvent): string[] {
  const a = toInput(before);
  const b = toInput(after);
  // By value, not key order: a person sent back as it was, its keys in another order, is unchanged.
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null));
}
