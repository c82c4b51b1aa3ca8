import { randomUUID } from 'node:crypto';
import { container, deleteIfUnchanged, placed, readIfExists, replaceIfUnchanged } from '../adapters/cosmos-containers';
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
  /** This taking of it: only the call that took it gives it back. */
  token: string;
  expiresAt: string;
  _etag?: string;
}

const leaseId = (profileId: string) => `lease@${profileId}`;
/** Times a lease found given back between a create and a read is asked for again. */
const GIVEN_BACK_TRIES = 5;

/**
 * Takes the lease on a profile for `holder` until `until`: the token to give it back with; '' when
 * the same operation holds it already (a retry, or the same request twice at once: it goes on, the
 * lease extended, and the first gives it back); undefined while another holder's has not lapsed.
 */
export async function takeProfileLease(retailerId: string, profileId: string, holder: string, until: Date, now: Date, tries = GIVEN_BACK_TRIES): Promise<string | undefined> {
  const doc: LeaseDoc = { id: leaseId(profileId), orgId: retailerId, docType: 'profile-lease', holder, token: randomUUID(), expiresAt: until.toISOString() };
  try {
    await container('profiles').items.create(placed('profiles', doc));
    return doc.token;
  } catch (error) {
    if (!isConflict(error)) throw error;
  }
  const current = await readIfExists<LeaseDoc>('profiles', retailerId, doc.id);
  // Given back meanwhile: free for whoever asks next (this caller, once more). Requests of one
  // operation at once (ten DELETEs of one person) take and give it back in turn: asked again only
  // once, one of ten answered 409 PROFILE_BUSY though no other operation held it.
  if (!current) return tries > 1 ? takeProfileLease(retailerId, profileId, holder, until, now, tries - 1) : undefined;
  const lapsed = Date.parse(current.expiresAt) <= now.getTime();
  // A lapsed lease is taken over, whoever held it (a retry after a crash gives it back when done).
  if (lapsed) return (await replaceIfUnchanged('profiles', current, doc)) ? doc.token : undefined;
  if (current.holder !== holder) return undefined;
  // The same operation, while its first taking runs: it goes on, the lease extended (by it or by another of its kind).
  // Changed since it was read (given back, or extended by another run): asked again, so as not to go on without it.
  if (!(await replaceIfUnchanged('profiles', current, { ...current, expiresAt: until.toISOString() })) && tries > 1) return takeProfileLease(retailerId, profileId, holder, until, now, tries - 1);
  return '';
}

/**
 * Gives the lease back if this taking of it still holds it (one taken over after it lapsed is the
 * new holder's). Extended meanwhile by another request of the same operation (the token stays):
 * read again and given back all the same, or it would stay held, every other operation refused
 * PROFILE_BUSY, until it lapsed.
 */
export async function releaseProfileLease(retailerId: string, profileId: string, token: string): Promise<void> {
  for (let attempt = 0; attempt < GIVEN_BACK_TRIES; attempt += 1) {
    const current = await readIfExists<LeaseDoc>('profiles', retailerId, leaseId(profileId));
    if (current?.token !== token || (await deleteIfUnchanged('profiles', current))) return;
  }
}
