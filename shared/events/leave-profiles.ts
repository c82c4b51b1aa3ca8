import type { RetailerSettings } from '../domain/retailer-settings';
import type { ProfileDoc } from './profile-repository';

/** What taking an event's people out of profiles reads and writes: the repositories in the app, records in memory in unit tests. */
export interface ProfileLeaveStore {
  /** Suggestions made from the event, or naming the profile (with `pendingOnly`, those still undecided); how many. */
  deleteLinks(retailerId: string, of: { eventId: string } | { profileId: string }, pendingOnly?: boolean): Promise<number>;
  /** Other retailers' suggestions about one of this retailer's profiles (a query across partitions); how many. */
  deleteForeignLinksTo(retailerId: string, profileId: string): Promise<number>;
  readProfile(retailerId: string, id: string): Promise<ProfileDoc | undefined>;
  /** The profile's match keys out of the index. */
  unindexProfile(retailerId: string, profile: ProfileDoc): Promise<void>;
  /** The event out of the profile's list; the profile goes when none is left. */
  leaveProfile(retailerId: string, profileId: string, eventId: string, now: Date): Promise<'created' | 'updated' | 'deleted' | 'unchanged' | 'missing'>;
  /** The profile's facts and keys again, from the events it still has. */
  reindexProfile(retailerId: string, profileId: string, settings: RetailerSettings, now: Date): Promise<unknown>;
}

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
): Promise<{ updated: number; deleted: number }> {
  const result = { updated: 0, deleted: 0 };
  for (const profileId of profileIds) {
    const before = await store.readProfile(retailerId, profileId);
    if (before && before.eventIds.every((id) => id === eventId)) {
      await store.unindexProfile(retailerId, before);
      await store.deleteLinks(retailerId, { profileId });
      // A partner's suggestions show this person too (their reasons hold its values): they go with it. Only a
      // retailer matching across retailers has any; a query across partitions, so not asked of the others.
      if (settings.connectTheDots.crossRetailer) await store.deleteForeignLinksTo(retailerId, profileId);
    }
    const outcome = await store.leaveProfile(retailerId, profileId, eventId, now);
    if (outcome === 'updated') result.updated += 1;
    if (outcome === 'deleted') result.deleted += 1;
    // A run that stopped after the person left but before the re-index finds them left already:
    // what the matcher holds of them still has the event's facts until indexed again.
    if (outcome === 'updated' || (outcome === 'unchanged' && before?.match?.indexedEvents?.includes(eventId))) {
      await store.reindexProfile(retailerId, profileId, settings, now);
    }
  }
  return result;
}
