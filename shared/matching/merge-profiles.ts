import type { RetailerSettings } from '../domain/retailer-settings';
import { readEvent, readEvents, replaceEvent } from '../events/event-repository';
import { addEvent, readProfile, updateMembership, updateProfile, type ProfileHistoryEntry } from '../events/profile-repository';
import { deleteIfExists } from '../adapters/cosmos-containers';
import { reindexProfile, unindexProfile } from './reindex-profile';
import { syncPlateIndex } from '../lpr/plate-index-repository';
import { createMergeRecord } from './merge-record-repository';
import { optimistically } from '../adapters/optimistic';

/** Who merged, and on which accepted suggestion: recorded so the merge can be undone. */
export interface MergeBy {
  linkId: string;
  by: string;
}

/**
 * Folds one profile into another of the same retailer after a human accepted the link. First a
 * record of what the folded profile held (its events and which person of each was theirs), so a
 * split can restore it; then every event's person moves to the surviving profile, the survivor
 * takes the events and notes the merge in its history, and the merged profile and its keys go.
 * Each step is idempotent, so a crash part-way is finished by running it again.
 */
export async function mergeProfiles(retailerId: string, fromId: string, intoId: string, settings: RetailerSettings, now: Date, merge: MergeBy): Promise<void> {
  const from = await readProfile(retailerId, fromId);
  if (!from) return;
  const events = await readEvents(retailerId, from.eventIds);
  await createMergeRecord(retailerId, {
    linkId: merge.linkId,
    fromId,
    intoId,
    at: now.toISOString(),
    by: merge.by,
    from: {
      createdAt: from.createdAt,
      eventIds: from.eventIds,
      people: from.eventIds.map((eventId, i) => ({ eventId, refs: (events[i]?.event.people ?? []).filter((p) => p.profileId === fromId).map((p) => p.ref) })),
    },
    status: 'merged',
  });
  for (const eventId of from.eventIds) {
    await movePeople(retailerId, eventId, (p) => p.profileId === fromId, intoId);
    await updateMembership(retailerId, intoId, addEvent(eventId), now, true);
  }
  await noteHistory(retailerId, intoId, { action: 'merge', linkId: merge.linkId, profileId: fromId, at: now.toISOString(), by: merge.by });
  await unindexProfile(retailerId, from);
  await deleteIfExists('profiles', retailerId, fromId);
  await reindexProfile(retailerId, intoId, settings, now);
}

/** Moves the people of one event that `which` selects to another profile (and the plate index with them). */
export async function movePeople(retailerId: string, eventId: string, which: (p: { ref: string; profileId: string }) => boolean, toId: string): Promise<void> {
  await optimistically(`Event ${eventId}`, async () => {
    const found = await readEvent(retailerId, eventId);
    if (!found || !found.event.people.some(which)) return undefined;
    const people = found.event.people.map((p) => (which(p) ? { ...p, profileId: toId } : p));
    await replaceEvent({ ...found.event, people }, found.etag, found.storeJurisdiction, found.purging);
    // LPR: the plate index lists the event's profile ids.
    if (!found.purging) await syncPlateIndex(retailerId, eventId, found.event, { ...found.event, people });
    return undefined;
  });
}

/** Adds an entry to a profile's history once (a retried step does not add it twice). */
export async function noteHistory(retailerId: string, profileId: string, entry: ProfileHistoryEntry): Promise<void> {
  await updateProfile(retailerId, profileId, (current) => {
    const history = current.history ?? [];
    if (history.some((h) => h.action === entry.action && h.linkId === entry.linkId)) return undefined;
    return { ...current, history: [...history, entry] };
  });
}
