import { randomUUID } from 'node:crypto';
import { assertCanSeeOwnEvent, auditDetails, checkEventInput, freeTextFields, newProfileId, profileIdsOf, unknownProfile } from '../domain/events/event-rules';
import type { EventInput, RetailEvent } from '../domain/events/event-schema';
import { AppError, isClientError, NotFoundError, ValidationError } from '../domain/errors';
import { assertNoSensitiveText } from '../domain/screening';
import type { Action } from '../domain/authorization';
import type { Store } from '../domain/organisation';
import { auditDraftFor, auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleAudit, settleFreshAudit } from '../audit/audit-outbox';
import { auditOutboxId, type OutboxEntry } from '../audit/audit-outbox-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings, knownStore } from '../orgs/org-repository';
import { deleteLinks } from '../matching/link-repository';
import { purgeRecords } from './purge-event';
import { leaveProfiles as leaveProfilesOf, type CorrectionLeaveStore } from './leave-profiles';
import { leavingDone, type LeavingDoc } from './leaving-repository';
import { exclusively } from '../matching/profile-leases';
import { requestMatching } from '../matching/match-queue';
import { syncPlateIndex, writeNewEventPlates } from '../lpr/plate-index-repository';
import { findEventAnywhere, readEvent, type VersionedEvent } from './event-repository';
import { addEvent, readProfile, updateMembership, type ProfileDoc } from './profile-repository';

/** The steps every event action shares: who may, what a new or corrected event must pass, its profiles, its audit entry, and what follows its write. */

export interface EventReply {
  event: RetailEvent;
  etag: string;
}

/**
 * Role check for an event action. Refused on an event id that is not the caller's own
 * organisation's, the answer is 404, never 403: a refusal must not reveal that another
 * organisation's event exists.
 */
export async function authorizeFor(caller: Caller, action: Action, targetId: string, existing = true): Promise<string> {
  try {
    await authorizeAudited(caller, action, await callerOrgType(caller), { type: 'event', id: targetId });
  } catch (error) {
    // Only a refusal is answered as one: a store that failed to say who the caller is answers 503, not 404 with a denied entry.
    if (!existing || targetId === '*' || !(error instanceof AppError && isClientError(error))) throw error;
    const own = caller.principal.orgId ? await readEvent(caller.principal.orgId, targetId) : undefined;
    if (!own) {
      await recordDeniedElsewhere(caller, action, targetId);
      throw new NotFoundError();
    }
    throw error;
  }
  return caller.principal.orgId!;
}

/**
 * An event change's entry for its outbox: written with the change, appended after it
 * (audit-outbox.ts). Its key ends in '@' and the event's id, so its document lies in the event's shard.
 */
export function outboxEntry(caller: Caller, entry: ReturnType<typeof eventAudit>): OutboxEntry {
  return { key: `${entry.action}:${randomUUID()}@${entry.target.id}`, draft: auditDraftFor(caller, entry) };
}

export function eventAudit(action: string, event: RetailEvent, extra: Record<string, string | number | boolean | string[]> = {}) {
  return { action, target: { type: 'event', id: event.id }, details: { ...auditDetails(event), ...extra } };
}

/** Store, scope, time, profiles and free text: everything beyond the schema that a new or corrected event must pass. */
export async function validateForRetailer(caller: Caller, retailerId: string, input: EventInput, now: Date, target: { action: Action; id: string }): Promise<Store> {
  try {
    checkEventInput(input, caller.principal, now);
  } catch (error) {
    // Reporting for a store outside one's scope is a refused attempt, in the chain like a role refusal.
    if (error instanceof AppError && error.code === 'STORE_OUT_OF_SCOPE') await auditFor(caller, retailerId, deniedOn(target.action, target.id, error.code));
    throw error;
  }
  const store = await knownStore(retailerId, input.storeId);
  if (!store) throw new ValidationError([{ path: 'storeId', message: 'No such store.' }], 'Unknown store.', 'UNKNOWN_STORE');
  assertNoSensitiveText(freeTextFields(input));
  return store;
}

/** Every profile the input names that `before` did not have must exist: those profiles, as read. */
export async function checkGivenProfiles(retailerId: string, input: EventInput, before: RetailEvent | undefined): Promise<Map<string, ProfileDoc>> {
  const known = new Set(profileIdsOf(before));
  const found = new Map<string, ProfileDoc>();
  for (const person of input.people ?? []) {
    if (!person.profileId || known.has(person.profileId) || found.has(person.profileId)) continue;
    const profile = await readProfile(retailerId, person.profileId);
    if (!profile) throw unknownProfile(input.people ?? [], person.profileId);
    found.set(profile.id, profile);
  }
  return found;
}

/**
 * Adds the event to every profile it names, before the event itself is written: a profile minted
 * for a new person is created; any other is only joined. One the caller gave that went since it
 * was checked (merged away, or its last report deleted) is refused as unknown rather than made
 * again under its id: a folded profile brought back empty beside its survivor would split one
 * person in two, and a split of that merge could not restore it. One the event already named
 * that went (merged away while this ran) is left to the merge's move and the matcher (followMerge).
 */
export async function joinProfiles(event: RetailEvent, now: Date, before?: RetailEvent): Promise<void> {
  const minted = new Set(event.people.filter((p) => p.profileId === newProfileId(event.id, p.ref)).map((p) => p.profileId));
  const named = new Set(profileIdsOf(before));
  for (const id of named) minted.delete(id);
  // Existing profiles first: a refusal then leaves no new person's profile made for a report never written.
  const ids = profileIdsOf(event);
  await Promise.all(
    ids
      .filter((id) => !minted.has(id))
      .map(async (id) => {
        if ((await updateMembership(event.retailerId, id, addEvent(event.id), now, false)) === 'missing' && !named.has(id)) throw unknownProfile(event.people, id);
      }),
  );
  await Promise.all(ids.filter((id) => minted.has(id)).map((id) => updateMembership(event.retailerId, id, addEvent(event.id), now, true, true)));
}

/**
 * A corrected event leaves the profiles it no longer names (a person removed, or moved to another
 * profile), as a purged event does: each is re-indexed from the events it still has (or goes with
 * its keys and suggestions when it has none), so the person who left is no longer in its facts,
 * harm, tiers or the person lookup. The event's undecided suggestions showed them too: they go,
 * and the event's re-match (asked after this) suggests again for the people it has now.
 */
export async function leaveProfiles(retailerId: string, eventId: string, profileIds: string[], now: Date): Promise<void> {
  if (profileIds.length === 0) return;
  await deleteLinks(retailerId, { eventId }, true);
  const { settings } = await getSettings(retailerId);
  await leaveProfilesOf(correctionLeave, retailerId, eventId, profileIds, settings, now, { purge: false, store: correctionLeave });
}

const correctionLeave: CorrectionLeaveStore = purgeRecords;

/**
 * Finishes a correction's leaving that stopped part-way (the match-pending sweep finds its note):
 * the profiles noted that the event, as it stands, no longer names, under their leases (as the
 * a correction holds them; any holder's: 409, left for the next run), then the note goes. A correction
 * refused after the note (412) names them still, and leaves nothing.
 */
export async function finishLeaving(note: LeavingDoc, now: Date): Promise<void> {
  const { orgId: retailerId, eventId } = note;
  await exclusively(retailerId, note.profileIds, `leave:${eventId}`, async () => {
    const found = await readEvent(retailerId, eventId);
    const named = new Set(found ? profileIdsOf(found.event) : []);
    await leaveProfiles(retailerId, eventId, note.profileIds.filter((id) => !named.has(id)), now);
  });
  await leavingDone(retailerId, eventId, note._etag ?? '');
}

/**
 * The caller's retailer's event for `action`, or 404. A refusal is an attempt on someone's data and
 * lands, denied, in the chain of the retailer holding the event (PRODUCT §8): the caller's own for
 * one of its events they may not see, the owner's for another retailer's id.
 */
export async function visibleEvent(caller: Caller, retailerId: string, id: string, action: Action): Promise<VersionedEvent> {
  const found = await readEvent(retailerId, id);
  try {
    assertCanSeeOwnEvent(caller.principal, found && !found.purging ? found.event : undefined);
  } catch (error) {
    if (found && !found.purging) await auditFor(caller, retailerId, deniedOn(action, id, 'NOT_VISIBLE'));
    else if (!found) await recordDeniedElsewhere(caller, action, id);
    throw error;
  }
  return found!;
}

/**
 * An attempt on an event id the caller's organisation does not hold: if another retailer holds it,
 * the refusal is in that retailer's chain, so it sees who tried (the caller still gets 404). A
 * query, asked only on this path of refusals.
 */
export async function recordDeniedElsewhere(caller: Caller, action: string, id: string): Promise<void> {
  const elsewhere = await findEventAnywhere(id);
  if (elsewhere && elsewhere.event.retailerId !== caller.principal.orgId) await auditFor(caller, elsewhere.event.retailerId, deniedOn(action, id, 'NOT_VISIBLE'));
}

const deniedOn = (action: string, id: string, code: string) => ({ action, target: { type: 'event', id }, outcome: 'denied' as const, details: { code } });

/**
 * What follows every write of an event, in one place (a new event written at once or one by one,
 * a retry that finds it written, a correction). A new event: its audit entry appended from the
 * outbox, then its plates and the outbox document's removal in one bulk request
 * (writeNewEventPlates), then the matching request. Otherwise: the plate index brought to the event
 * as written (LPR; `plates`, when the write did not carry it), then its audit entry appended (or
 * finished) and the event queued for matching, side by side (the event is stored: neither waits
 * for the other). `fresh`: the entry was written by this attempt (a retry's may already be appended).
 */
export async function afterEventWritten(event: RetailEvent, audit: { entry: OutboxEntry; fresh: boolean }, plates?: { before: RetailEvent | undefined }): Promise<void> {
  if (plates && !plates.before && audit.fresh && (audit.entry.where ?? 'audit-outbox') === 'audit-outbox') {
    // A new event: its entry first, then its plates and the outbox document's removal in one bulk request.
    // The matching request after them, as before (the matcher then finds the plates written), and even when they fail.
    const thenPlates = () => writeNewEventPlates(event.retailerId, event, auditOutboxId(audit.entry.key));
    try {
      await settleFreshAudit(event.retailerId, audit.entry, thenPlates);
    } finally {
      await requestMatching(event.retailerId, event.id);
    }
    return;
  }
  if (plates) await syncPlateIndex(event.retailerId, event.id, plates.before, event);
  await Promise.all([
    audit.fresh ? settleFreshAudit(event.retailerId, audit.entry) : settleAudit(event.retailerId, audit.entry.key),
    requestMatching(event.retailerId, event.id),
  ]);
}
