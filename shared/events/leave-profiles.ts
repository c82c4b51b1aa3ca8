import { ServiceUnavailableError } from '../domain/errors';
import type { RetailerSettings } from '../domain/retailer-settings';
import type { MembershipOutcome, ProfileDoc } from './profile-repository';

/** What taking an event's people out of profiles reads and writes: the repositories in the app, records in memory in unit tests. */
export interface ProfileLeaveStore {
  /** Suggestions made from the event, or naming the profile (with `pendingOnly`, those still undecided; with `profileGoes` too, and the rejections kept of its pairs); how many. */
  deleteLinks(retailerId: string, of: { eventId: string } | { profileId: string }, pendingOnly?: boolean, profileGoes?: boolean): Promise<number>;
  /** Other retailers' suggestions about one of this retailer's profiles (a query across partitions; with `pendingOnly`, those undecided; with `profileGoes` too, and the rejections kept of its pairs); how many. */
  deleteForeignLinksTo(retailerId: string, profileId: string, pendingOnly?: boolean, profileGoes?: boolean): Promise<number>;
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** The profile's match keys out of the index. */
  unindexProfile(retailerId: string, profile: ProfileDoc): Promise<void>;
  /** The event out of the profile's list; the profile goes when none is left, unless it lists keys ('indexed': left as it is). */
  leaveProfile(retailerId: string, profileId: string, eventId: string, now: Date): Promise<MembershipOutcome>;
  /** The profile's facts and keys again, from the events it still has (undefined: gone meanwhile). */
  reindexProfile(retailerId: string, profileId: string, settings: RetailerSettings, now: Date): Promise<ProfileDoc | undefined>;
  /** Matches these events again (no alerts): a profile that stays has its suggestions made anew from what it holds now. */
  requestRematch(retailerId: string, eventIds: readonly string[]): Promise<void>;
}

/** What a correction's leaving reads and writes: the same. */
export type CorrectionLeaveStore = ProfileLeaveStore;

/**
 * A purge removes an emptied profile's every suggestion (the person is gone); a correction its
 * undecided ones and the rejections kept past a purge of its pairs (decided suggestions stay with
 * their reports, remembered, as after a merge), and, for a profile that stays, only the undecided
 * ones made while the person who left was in it; then it asks for the profile to be matched again.
 */
export type LeaveMode = { purge: true } | { purge: false; store: CorrectionLeaveStore };

/**
 * An event leaves profiles (it is purged, or a correction removed or moved its person), and so
 * Connect the Dots: a profile left with no events loses its keys and suggestions (its partners'
 * too) before it goes; one that stays is re-indexed from the events it still has, so nothing of
 * the person who left lingers in its facts, its harm, its tiers or the person lookup.
 */
export async function leaveProfiles(
  store: ProfileLeaveStore,
  retailerId: string,
  eventId: string,
  profileIds: readonly string[],
  settings: RetailerSettings,
  now: Date,
  mode: LeaveMode = { purge: true },
): Promise<{ updated: number; deleted: number }> {
  const result = { updated: 0, deleted: 0 };
  const pendingOnly = !mode.purge;
  // A partner's suggestions show this person too (their reasons hold its values). Only a retailer
  // matching across retailers has any; a query across partitions, so not asked of the others.
  const dropLinksOf = async (profileId: string, onlyPending: boolean, profileGoes = false) => {
    await store.deleteLinks(retailerId, { profileId }, onlyPending, profileGoes);
    if (settings.connectTheDots.crossRetailer) await store.deleteForeignLinksTo(retailerId, profileId, onlyPending, profileGoes);
  };
  for (const profileId of profileIds) {
    let before: ProfileDoc | undefined;
    let outcome: MembershipOutcome = 'indexed';
    // A profile left with nothing but this event goes out of the index first. It is deleted only once
    // it lists no key: a re-index may put keys back meanwhile, or another purge may have taken its
    // other event since it was read (each saw another event left); then it is taken out again.
    for (let attempt = 0; outcome === 'indexed'; attempt += 1) {
      if (attempt === 3) throw new ServiceUnavailableError(`Profile ${profileId} keeps being indexed while its last event leaves it: try again.`);
      before = await store.readProfile(retailerId, profileId);
      if (before && before.eventIds.every((id) => id === eventId)) {
        await store.unindexProfile(retailerId, before);
        await dropLinksOf(profileId, pendingOnly, true);
      }
      outcome = await store.leaveProfile(retailerId, profileId, eventId, now);
    }
    if (outcome === 'updated') result.updated += 1;
    if (outcome === 'deleted') result.deleted += 1;
    const stays = outcome === 'updated' || outcome === 'unchanged';
    // The profile that stays loses its pending suggestions, made while the person was in it (their
    // reasons hold the facts that left), before its re-index (a run that stopped after the re-index
    // still drops them when run again); it is matched again below. Decided ones stay.
    if (stays) await dropLinksOf(profileId, true);
    // A run that stopped after the person left but before the re-index finds them left already:
    // what the matcher holds of them still has the event's facts until indexed again.
    let after: ProfileDoc | undefined;
    if (outcome === 'updated' || (outcome === 'unchanged' && before?.match?.indexedEvents?.includes(eventId))) {
      after = await store.reindexProfile(retailerId, profileId, settings, now);
    }
    // And is matched again, so its suggestions are made anew from what it holds now.
    const newest = (after ?? before)?.eventIds.filter((id) => id !== eventId).at(-1);
    if (stays && newest) await store.requestRematch(retailerId, [newest]);
  }
  return result;
}
