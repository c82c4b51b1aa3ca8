import { readEvent, replaceEvent } from '../events/event-repository';
import { addEvent, readProfile, updateMembership } from '../events/profile-repository';
import { deleteIfExists } from '../adapters/cosmos-containers';
import { reindexProfile, unindexProfile } from './reindex-profile';
import { syncPlateIndex } from '../lpr/plate-index-repository';

/**
 * Folds one profile into another of the same retailer after a human accepted the link:
 * every event's person moves to the surviving profile, then the survivor takes the events,
 * then the merged profile and its keys go. Each step is idempotent, so a crash part-way is
 * finished by running it again.
 */
export async function mergeProfiles(retailerId: string, fromId: string, intoId: string, imageMatching: boolean, now = new Date()): Promise<void> {
  const from = await readProfile(retailerId, fromId);
  if (!from) return;
  for (const eventId of from.eventIds) {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const found = await readEvent(retailerId, eventId);
      if (!found || !found.event.people.some((p) => p.profileId === fromId)) break;
      const people = found.event.people.map((p) => (p.profileId === fromId ? { ...p, profileId: intoId } : p));
      try {
        await replaceEvent({ ...found.event, people }, found.etag, found.storeJurisdiction, found.purging);
        // LPR: the plate index lists the event's profile ids.
        if (!found.purging) await syncPlateIndex(retailerId, eventId, found.event, { ...found.event, people });
        break;
      } catch (error) {
        if (attempt === 4) throw error;
      }
    }
    await updateMembership(retailerId, intoId, addEvent(eventId), now, true);
  }
  await unindexProfile(retailerId, from);
  await deleteIfExists('profiles', retailerId, fromId);
  await reindexProfile(retailerId, intoId, imageMatching, now);
}
