import { ConflictError } from '../domain/errors';
import { profileIdsOf } from '../domain/events/event-rules';
import type { RetailEvent } from '../domain/events/event-schema';
import { deleteEventDoc, readEvent, replaceEvent } from './event-repository';
import { removeEvent, updateMembership } from './profile-repository';

export interface PurgeResult {
  eventId: string;
  purged: boolean;
  profilesUpdated: number;
  profilesDeleted: number;
}

/**
 * The one way an event leaves the store: self-remediation, erasure and the retention sweep
 * all call it. Crash-safe by order: the event is first marked `purging` (reads treat it as
 * gone), then everything that points at it is removed, and the event document goes last,
 * so a run that dies part-way is finished by the next one and nothing is left orphaned.
 * Later features (evidence, match keys, suggestions) add their steps here.
 */
export async function purgeEvent(retailerId: string, eventId: string, now = new Date()): Promise<PurgeResult> {
  const result: PurgeResult = { eventId, purged: false, profilesUpdated: 0, profilesDeleted: 0 };
  const current = await readEvent(retailerId, eventId);
  if (!current) return result;
  if (current.event.legalHold) throw new ConflictError('LEGAL_HOLD', 'The event is under legal hold and cannot be deleted.');
  if (!current.purging) await replaceEvent(current.event, current.etag, true);
  await removeFromProfiles(current.event, now, result);
  await deleteEventDoc(retailerId, eventId);
  result.purged = true;
  return result;
}

async function removeFromProfiles(event: RetailEvent, now: Date, result: PurgeResult): Promise<void> {
  for (const profileId of profileIdsOf(event)) {
    const outcome = await updateMembership(event.retailerId, profileId, removeEvent(event.id), now, false);
    if (outcome === 'updated') result.profilesUpdated += 1;
    if (outcome === 'deleted') result.profilesDeleted += 1;
  }
}
