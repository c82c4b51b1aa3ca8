import { ConflictError } from '../domain/errors';
import { profileIdsOf } from '../domain/events/event-rules';
import type { RetailEvent } from '../domain/events/event-schema';
import { deleteEventDoc, readEvent, replaceEvent } from './event-repository';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { readProfile, removeEvent, updateMembership } from './profile-repository';
import { getSettings } from '../orgs/org-repository';
import { deleteLinks } from '../matching/link-repository';
import { reindexProfile, unindexProfile } from '../matching/reindex-profile';
import { purgeEvidenceOfEvent } from '../evidence/event-evidence';
import { syncPlateIndex } from '../lpr/plate-index-repository';

export interface PurgeResult {
  eventId: string;
  purged: boolean;
  profilesUpdated: number;
  profilesDeleted: number;
  evidenceDeleted: number;
}

/**
 * The one way an event leaves the store: self-remediation, erasure and the retention sweep
 * all call it. Crash-safe by order: the event is first marked `purging` (reads treat it as
 * gone), then everything that points at it is removed, and the event document goes last,
 * so a run that dies part-way is finished by the next one and nothing is left orphaned.
 * Evidence, match keys and suggestions are removed here too.
 */
export async function purgeEvent(retailerId: string, eventId: string, now = new Date(), audit?: OutboxEntry): Promise<PurgeResult> {
  const result: PurgeResult = { eventId, purged: false, profilesUpdated: 0, profilesDeleted: 0, evidenceDeleted: 0 };
  const current = await readEvent(retailerId, eventId);
  if (!current) return result;
  if (current.event.legalHold) throw new ConflictError('LEGAL_HOLD', 'The event is under legal hold and cannot be deleted.');
  // The audit entry of a deletion asked for (not a sweep's, which records its own) rides with the mark.
  if (!current.purging) await replaceEvent(current.event, current.etag, current.storeJurisdiction, true, audit);
  await removeFromProfiles(current.event, now, result);
  // LPR: the event's vehicles leave the plate index before the event goes.
  await syncPlateIndex(retailerId, eventId, current.event, undefined);
  // Evidence: blobs then records, after the event is marked purging and before it goes (issue 4).
  result.evidenceDeleted = await purgeEvidenceOfEvent(retailerId, eventId);
  await deleteEventDoc(retailerId, eventId);
  result.purged = true;
  return result;
}

/**
 * Takes the event's people out of their profiles, and out of Connect the Dots with them: a
 * profile left with no events loses its keys and suggestions before it goes; one that stays
 * is re-indexed from the events it still has, so nothing of the purged event lingers.
 */
async function removeFromProfiles(event: RetailEvent, now: Date, result: PurgeResult): Promise<void> {
  const retailerId = event.retailerId;
  await deleteLinks(retailerId, { eventId: event.id });
  const { settings } = await getSettings(retailerId);
  for (const profileId of profileIdsOf(event)) {
    const before = await readProfile(retailerId, profileId);
    if (before && before.eventIds.every((id) => id === event.id)) {
      await unindexProfile(retailerId, before);
      await deleteLinks(retailerId, { profileId });
    }
    const outcome = await updateMembership(retailerId, profileId, removeEvent(event.id), now, false);
    if (outcome === 'updated') {
      result.profilesUpdated += 1;
      await reindexProfile(retailerId, profileId, settings, now);
    }
    if (outcome === 'deleted') result.profilesDeleted += 1;
  }
}
