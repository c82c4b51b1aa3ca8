import { ConflictError } from '../domain/errors';
import { releaseProfileLease, takeProfileLease } from './profile-lease-repository';

/** How long a lease holds: longer than any merge, split or erasure takes (as long as the audit outbox waits); one left by a crash lapses after it. */
export const PROFILE_LEASE_MS = 5 * 60_000;

export interface LeaseStore {
  /** The token to give it back with; '' when the same holder has it already (it goes on, and does not give it back); undefined when another holds it. */
  takeProfileLease(retailerId: string, profileId: string, holder: string, until: Date, now: Date): Promise<string | undefined>;
  releaseProfileLease(retailerId: string, profileId: string, token: string): Promise<void>;
}

/**
 * Runs `work` while holding the leases of these profiles: a merge, a split and an erasure each
 * change several documents one by one, and two of them on one profile at once interleave (a split
 * racing the merge of its survivor left an event in two profiles). Taken in id order, so two
 * operations never wait on each other in a circle; the same `holder` (a retry of the same
 * operation) takes them again. Another holder's: 409 PROFILE_BUSY, nothing changed.
 */
export async function withProfileLeases<T>(store: LeaseStore, retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>, now = new Date()): Promise<T> {
  const ids = [...new Set(profileIds)].sort();
  const until = new Date(now.getTime() + PROFILE_LEASE_MS);
  const taken: [string, string][] = [];
  try {
    for (const id of ids) {
      const token = await store.takeProfileLease(retailerId, id, holder, until, now);
      if (token === undefined) throw new ConflictError('PROFILE_BUSY', `Profile ${id} is being merged, split or erased by another request; try again in a moment.`);
      if (token) taken.push([id, token]);
    }
    return await work();
  } finally {
    // Best effort: a lease not given back lapses.
    await Promise.all(taken.map(([id, token]) => store.releaseProfileLease(retailerId, id, token).catch(() => undefined)));
  }
}

const leaseRecords: LeaseStore = { takeProfileLease, releaseProfileLease };

/** withProfileLeases over the profiles container. */
export const exclusively = <T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>): Promise<T> =>
  withProfileLeases(leaseRecords, retailerId, profileIds, holder, work);
