import { ServiceUnavailableError } from '../domain/errors';
import type { RetailerSettings } from '../domain/retailer-settings';
import { eventIdsNaming } from '../events/event-repository';
import { addEvent, deleteUnindexedProfile, type ProfileDoc } from '../events/profile-repository';
import { unindexProfile } from './reindex-profile';
import { createMergeRecord, type MergeRecord } from './merge-record-repository';
import { deleteLinks } from './link-repository';
import { requestRematch } from './match-queue';
import { movePeople, noteHistory, profileMoveRecords, type ProfileMoveStore } from './move-people';

/** Who merged, and on which accepted suggestion: recorded so the merge can be undone. */
export interface MergeBy {
  linkId: string;
  by: string;
}

/** What a merge reads and writes besides moving people. */
export interface MergeStore extends ProfileMoveStore {
  /** The record of what the folded profile held, once (a second create of the same merge changes nothing). */
  createMergeRecord(retailerId: string, record: MergeRecord): Promise<void>;
  /** The profile's match keys out of the index. */
  unindexProfile(retailerId: string, profile: ProfileDoc): Promise<void>;
  /** Ids of the retailer's events with a person of this profile. */
  eventIdsNaming(retailerId: string, profileId: string): Promise<string[]>;
  /**
   * Deletes the retailer's pending suggestions naming this profile (decided ones stay: what was
   * decided is remembered, and a split may bring the profile back; so do the rejections kept past a purge).
   */
  deletePendingLinksOf(retailerId: string, profileId: string): Promise<number>;
  /** Matches these events again, off this path, without alerts. */
  requestRematch(retailerId: string, eventIds: readonly string[]): Promise<void>;
  /** Deletes the profile unless it lists match keys ('indexed') or an event not in `known` ('changed'); one gone already is 'deleted'. */
  deleteUnindexedProfile(retailerId: string, id: string, known: readonly string[]): Promise<'deleted' | 'indexed' | 'changed'>;
}

export const mergeRecords: MergeStore = {
  ...profileMoveRecords,
  createMergeRecord,
  unindexProfile,
  eventIdsNaming,
  deleteUnindexedProfile,
  deletePendingLinksOf: (retailerId, profileId) => deleteLinks(retailerId, { profileId }, true),
  requestRematch,
};

/**
 * Folds one profile into another of the same retailer after a human accepted the link. First a
 * record of what the folded profile held (its events and which person of each was theirs), so a
 * split can restore it; then every event's person moves to the surviving profile, the survivor
 * takes the events and notes the merge in its history, and the merged profile and its keys go.
 * Each step is idempotent, so a crash part-way is finished by running it again.
 */
export function profileMerges(store: MergeStore) {
  return async function mergeProfiles(retailerId: string, fromId: string, intoId: string, settings: RetailerSettings, now: Date, merge: MergeBy): Promise<void> {
    const from = await store.readProfile(retailerId, fromId);
    // Gone already: a merge run again after the folded profile went, whose last step (the
    // survivor indexed with the events it took) may not have run.
    if (!from) {
      await store.reindexProfile(retailerId, intoId, settings, now);
      // A retry: the first may have removed the suggestions and stopped before asking for the re-match.
      return retireSuggestionsOf(store, retailerId, fromId, intoId, true);
    }
    const events = await store.readEvents(retailerId, from.eventIds);
    await store.createMergeRecord(retailerId, {
      linkId: merge.linkId,
      fromId,
      intoId,
      at: now.toISOString(),
      by: merge.by,
      from: {
        createdAt: from.createdAt,
        eventIds: from.eventIds,
        people: from.eventIds.map((eventId, i) => ({ eventId, refs: (events[i]?.event.people ?? []).filter((p) => p.profileId === fromId).map((p) => p.ref) })),
        history: from.history ?? [],
      },
      status: 'merged',
    });
    // The reports it held, then any that named it while it was being merged (intake adds a report
    // to its profiles before writing it): none is left naming a profile that is gone.
    const movedIn = new Set<string>();
    const moveIn = async (eventId: string) => {
      // One listed but not written (intake lists a report on its profiles first), or gone since, is not
      // put on the survivor: there is no person in it to move.
      if (await movePeople(store, retailerId, eventId, (p) => p.profileId === fromId, intoId)) await store.updateMembership(retailerId, intoId, addEvent(eventId), now, true);
      movedIn.add(eventId);
    };
    for (const eventId of from.eventIds) await moveIn(eventId);
    for (const eventId of await store.eventIdsNaming(retailerId, fromId)) if (!from.eventIds.includes(eventId)) await moveIn(eventId);
    await noteHistory(store, retailerId, intoId, { action: 'merge', linkId: merge.linkId, profileId: fromId, at: now.toISOString(), by: merge.by });
    // Out of the index, then deleted only once it lists no key and no report not moved: a report that
    // joined it since (whose re-index put keys back) moves to the survivor first.
    for (let attempt = 0, outcome = 'indexed'; outcome !== 'deleted'; attempt += 1) {
      if (attempt === 3) throw new ServiceUnavailableError(`Profile ${fromId} keeps changing while it is merged away: try again.`);
      const current = attempt === 0 ? from : await store.readProfile(retailerId, fromId);
      for (const eventId of current?.eventIds ?? []) if (!movedIn.has(eventId)) await moveIn(eventId);
      if (current) await store.unindexProfile(retailerId, current);
      outcome = await store.deleteUnindexedProfile(retailerId, fromId, [...movedIn]);
    }
    await store.reindexProfile(retailerId, intoId, settings, now);
    await retireSuggestionsOf(store, retailerId, fromId, intoId);
  };
}

/**
 * The folded profile's pending suggestions name a profile that is gone (accepting one would be
 * refused): they go, and where there were any, the survivor's newest report is matched again, so
 * that any of them that still holds is suggested for the survivor instead.
 */
async function retireSuggestionsOf(store: MergeStore, retailerId: string, fromId: string, intoId: string, retried = false): Promise<void> {
  if ((await store.deletePendingLinksOf(retailerId, fromId)) === 0 && !retried) return;
  const survivor = await store.readProfile(retailerId, intoId);
  const newest = survivor?.eventIds.at(-1);
  if (newest) await store.requestRematch(retailerId, [newest]);
}

export const mergeProfiles = profileMerges(mergeRecords);
