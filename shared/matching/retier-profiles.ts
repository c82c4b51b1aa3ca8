import { getSettings } from '../orgs/org-repository';
import { profileIdsAfter } from '../events/profile-repository';
import { reindexProfile } from './reindex-profile';
import { requestRetier, type RetierMessage } from './retier-queue';
import type { RetailerSettings } from '../domain/retailer-settings';

const PAGE = 100;

/** What re-tiering reads and writes: the repositories and the queue in the app, fakes in unit tests. */
export interface RetierStore {
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  /** Ids of up to `limit` of the retailer's profiles after `after`, in id order. */
  profileIdsAfter(retailerId: string, after: string | undefined, limit: number): Promise<string[]>;
  /** The profile's facts, harm and tiers again from its events, under these settings. */
  reindexProfile(retailerId: string, profileId: string, settings: RetailerSettings, now: Date): Promise<unknown>;
  requestRetier(retailerId: string, after: string): Promise<void>;
}

const cosmosRecords: RetierStore = { getSettings, profileIdsAfter, reindexProfile: (r, id, settings, now) => reindexProfile(r, id, settings, now), requestRetier };

/** One page of a re-tiering (retier-queue.ts), and the next asked for when the page was full; how many profiles. */
export function profileRetiering(store: RetierStore) {
  return async function retierProfiles({ retier: { retailerId, after } }: RetierMessage, now = new Date()): Promise<number> {
    const { settings } = await store.getSettings(retailerId);
    const ids = await store.profileIdsAfter(retailerId, after, PAGE);
    for (const id of ids) await store.reindexProfile(retailerId, id, settings, now);
    if (ids.length === PAGE) await store.requestRetier(retailerId, ids.at(-1)!);
    return ids.length;
  };
}

export const retierProfiles = profileRetiering(cosmosRecords);
