import { container, deleteIfExists, placed, readIfExists, replaceIfUnchanged } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';

/**
 * A short lease on one profile, held by the one merge, split or erasure changing it (profile-leases.ts).
 * In the profiles container beside the profile (every query there asks for its own docType).
 */
interface LeaseDoc {
  id: string;
  orgId: string;
  docType: 'profile-lease';
  holder: string;
  expiresAt: string;
  _etag?: string;
}

const leaseId = (profileId: string) => `lease@${profileId}`;

/**
 * Takes the lease on a profile for `holder` until `until`: true when taken, or already this
 * holder's (a retry of the same operation); false while another holder's has not lapsed.
 */
export async function takeProfileLease(retailerId: string, profileId: string, holder: string, until: Date, now: Date, again = true): Promise<boolean> {
  const doc: LeaseDoc = { id: leaseId(profileId), orgId: retailerId, docType: 'profile-lease', holder, expiresAt: until.toISOString() };
  try {
    await container('profiles').items.create(placed('profiles', doc));
    return true;
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  const current = await readIfExists<LeaseDoc>('profiles', retailerId, doc.id);
  // Released meanwhile: free for whoever asks next (this caller, once more).
  if (!current) return again && takeProfileLease(retailerId, profileId, holder, until, now, false);
  // The same operation asking again (a retry, or the same request sent twice at once): it goes on.
  if (current.holder === holder) return true;
  if (Date.parse(current.expiresAt) > now.getTime()) return false;
  return replaceIfUnchanged('profiles', current, doc);
}

/** Gives the lease back if this holder still has it (one taken over after it lapsed is the new holder's). */
export async function releaseProfileLease(retailerId: string, profileId: string, holder: string): Promise<void> {
  const current = await readIfExists<LeaseDoc>('profiles', retailerId, leaseId(profileId));
  if (current?.holder === holder) await deleteIfExists('profiles', retailerId, current.id);
}
