import type { RetailerSettings } from '../domain/retailer-settings';
import type { RetailEvent } from '../domain/events/event-schema';
import { readEvent, readEvents, replaceEvent, type VersionedEvent } from '../events/event-repository';
import { addEvent, readProfile, removeEvent, updateMembership, updateProfile, type MembershipOutcome, type ProfileDoc, type ProfileHistoryEntry } from '../events/profile-repository';
import { reindexProfile } from './reindex-profile';
import { syncPlateIndex } from '../lpr/plate-index-repository';
import { mergeFolding, readMergeRecord, replaceMergeRecord, type MergeRecord } from './merge-record-repository';
import { exclusively } from './profile-leases';
import { AppError, ServiceUnavailableError } from '../domain/errors';
import { optimistically } from '../adapters/optimistic';

// Moving people of events between profiles: what a merge, a split and a report that names a profile merged away share.

/** What moving people between profiles reads and writes (a merge, a split): the repositories in the app, in-memory records in unit tests of this logic. */
export interface ProfileMoveStore {
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  /** Several events of one retailer, in the order of `ids` (undefined: none). */
  readEvents(retailerId: string, ids: readonly string[]): Promise<(VersionedEvent | undefined)[]>;
  /** Replaces the event over the version read (412 if it moved), keeping its purging mark. */
  replaceEvent(event: RetailEvent, etag: string, storeJurisdiction: string, purging: boolean): Promise<string>;
  /** The plate index from `before` to `after` (it lists each event's profile ids). */
  syncPlateIndex(retailerId: string, eventId: string, before: RetailEvent | undefined, after: RetailEvent | undefined): Promise<void>;
  /** Applies `change` to the profile's event list (creating it when absent and asked to; deleting it when emptied, unless it lists keys: 'indexed'). */
  updateMembership(retailerId: string, profileId: string, change: (eventIds: string[]) => string[], now: Date, createIfMissing: boolean): Promise<MembershipOutcome>;
  /** Read-modify-write of one profile; `mutate` answers undefined to leave it. */
  updateProfile(retailerId: string, profileId: string, mutate: (current: ProfileDoc) => ProfileDoc | undefined): Promise<unknown>;
  /** The profile's facts and keys again, from the events it holds. */
  reindexProfile(retailerId: string, profileId: string, settings: RetailerSettings, now: Date): Promise<unknown>;
}

export const profileMoveRecords: ProfileMoveStore = {
  readProfile: (retailerId, id) => readProfile(retailerId, id),
  readEvent,
  readEvents,
  replaceEvent: (event, etag, storeJurisdiction, purging) => replaceEvent(event, etag, storeJurisdiction, purging),
  syncPlateIndex,
  updateMembership: (retailerId, profileId, change, now, createIfMissing) => updateMembership(retailerId, profileId, change, now, createIfMissing),
  updateProfile: (retailerId, profileId, mutate) => updateProfile(retailerId, profileId, mutate),
  reindexProfile: (retailerId, profileId, settings, now) => reindexProfile(retailerId, profileId, settings, now),
};

/** Moves the people of one event that `which` selects to another profile (and the plate index with them); false when there is no such event. */
export async function movePeople(store: ProfileMoveStore, retailerId: string, eventId: string, which: (p: { ref: string; profileId: string }) => boolean, toId: string): Promise<boolean> {
  return optimistically(`Event ${eventId}`, async () => {
    const found = await store.readEvent(retailerId, eventId);
    if (!found || !found.event.people.some(which)) return Boolean(found);
    const people = found.event.people.map((p) => (which(p) ? { ...p, profileId: toId } : p));
    await store.replaceEvent({ ...found.event, people }, found.etag, found.storeJurisdiction, found.purging);
    // LPR: the plate index lists the event's profile ids.
    if (!found.purging) await store.syncPlateIndex(retailerId, eventId, found.event, { ...found.event, people });
    return true;
  });
}

/** Adds an entry to a profile's history once (a retried step does not add it twice). */
export async function noteHistory(store: ProfileMoveStore, retailerId: string, profileId: string, entry: ProfileHistoryEntry): Promise<void> {
  await store.updateProfile(retailerId, profileId, (current) => {
    const history = current.history ?? [];
    if (history.some((h) => h.action === entry.action && h.linkId === entry.linkId)) return undefined;
    return { ...current, history: [...history, entry] };
  });
}

/** What following a merge reads and writes: moving people, the merges that folded profiles away, and the profiles' leases. */
export interface FollowMergeStore extends ProfileMoveStore {
  /** The accepted merge, not undone, that folded this profile into another. */
  mergeFolding(retailerId: string, profileId: string): Promise<MergeRecord | undefined>;
  readMergeRecord(retailerId: string, linkId: string): Promise<{ record: MergeRecord; etag: string } | undefined>;
  /** Replaces the version read (412 if it moved). */
  replaceMergeRecord(retailerId: string, record: MergeRecord, etag: string): Promise<void>;
  /** Runs `work` holding the leases of these profiles (409 PROFILE_BUSY while another change holds one). */
  exclusively<T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>): Promise<T>;
}

/** At most this many merges are followed from a report's profile to the one that holds its person now. */
const MAX_MERGES_FOLLOWED = 8;

/** Tries of a report following a merge while other reports following it hold the leases (each a moment). */
const FOLLOW_TRIES = 5;

/**
 * A person of a report that names a profile merged away: the intake listed the report on that
 * profile and wrote it after a merge had found it listed and not yet written (so moved nobody in
 * it). The person follows the merge, through any later ones, to the profile that holds the rest of
 * their reports, under the leases of every profile on the way (as a merge, a split and an
 * erasure hold theirs). Each merge's record first notes the report and its person as the profile
 * it folded away had them, so splits give the report back, one merge at a time, as it was; then
 * the report is listed on the survivor and the person moved, so a crash between leaves it for the
 * next run. The profile the person is in now; undefined when no merge folded the profile away
 * (nothing to follow) or the last profile is gone too (erased). While a split of one of the merges
 * is under way: 503, the report is matched once it is done.
 */
export async function followMerge(store: FollowMergeStore, retailerId: string, eventId: string, person: { ref: string; profileId: string }, now: Date): Promise<string | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await followOnce(store, retailerId, eventId, person, now);
    } catch (error) {
      // Reports following one merge take the same leases: each waits a moment for the others.
      if (attempt === FOLLOW_TRIES || !(error instanceof AppError && error.code === 'PROFILE_BUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 200));
    }
  }
}

async function followOnce(store: FollowMergeStore, retailerId: string, eventId: string, person: { ref: string; profileId: string }, now: Date): Promise<string | undefined> {
  const chain = await mergesFrom(store, retailerId, person.profileId);
  if (!chain.length) return undefined;
  const ids = [person.profileId, ...chain.map((r) => r.intoId)];
  return store.exclusively(retailerId, ids, `follow:${eventId}`, async () => {
    const again = await mergesFrom(store, retailerId, person.profileId);
    if (again.map((r) => r.linkId).join() !== chain.map((r) => r.linkId).join()) throw new ServiceUnavailableError(`The merges of profile ${person.profileId} changed while a report followed them: try again.`);
    for (const record of chain) await noteFoldedPerson(store, retailerId, record.linkId, eventId, person.ref);
    const into = chain.at(-1)!.intoId;
    if ((await store.updateMembership(retailerId, into, addEvent(eventId), now, false)) === 'missing') return undefined;
    if (await movePeople(store, retailerId, eventId, (p) => p.ref === person.ref && p.profileId === person.profileId, into)) return into;
    // The report went meanwhile: the survivor does not keep it listed.
    await store.updateMembership(retailerId, into, removeEvent(eventId), now, false);
    return undefined;
  });
}

/** The merges, not undone, from a profile to the one that holds what it held now (at most MAX_MERGES_FOLLOWED); 503 while a split of one is under way. */
async function mergesFrom(store: FollowMergeStore, retailerId: string, profileId: string): Promise<MergeRecord[]> {
  const chain: MergeRecord[] = [];
  for (let at = profileId; chain.length < MAX_MERGES_FOLLOWED; at = chain.at(-1)!.intoId) {
    const record = await store.mergeFolding(retailerId, at);
    if (!record) break;
    if (record.status !== 'merged') throw new ServiceUnavailableError(`A split of the merge that took profile ${at} is under way: the report is matched once it is done.`);
    chain.push(record);
  }
  return chain;
}

/**
 * A merge's record of what the folded profile held gains this report and its person (once): as if
 * the merge had found it written. Each of these people is the folded profile's on its own record:
 * the first merge took the person from the profile the report names, each later one from the one
 * before's survivor.
 */
async function noteFoldedPerson(store: FollowMergeStore, retailerId: string, linkId: string, eventId: string, ref: string): Promise<void> {
  await optimistically(`Merge ${linkId}`, async () => {
    const found = await store.readMergeRecord(retailerId, linkId);
    const from = found?.record.from;
    if (!found || !from || found.record.status !== 'merged') return;
    const entry = from.people.find((p) => p.eventId === eventId);
    if (from.eventIds.includes(eventId) && entry?.refs.includes(ref)) return;
    const people = entry ? from.people.map((p) => (p === entry ? { ...p, refs: [...new Set([...p.refs, ref])] } : p)) : [...from.people, { eventId, refs: [ref] }];
    const eventIds = from.eventIds.includes(eventId) ? from.eventIds : [...from.eventIds, eventId];
    await store.replaceMergeRecord(retailerId, { ...found.record, from: { ...from, eventIds, people } }, found.etag);
  });
}

export const followMergeRecords: FollowMergeStore = {
  ...profileMoveRecords,
  mergeFolding,
  readMergeRecord,
  replaceMergeRecord: (retailerId, record, etag) => replaceMergeRecord(retailerId, record, etag),
  exclusively,
};
