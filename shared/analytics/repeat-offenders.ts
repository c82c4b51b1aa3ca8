import { MAX_BATCH_OPERATIONS, readBatch } from '../adapters/cosmos-batch';
import type { ProfileDoc } from '../events/profile-repository';

/**
 * Which of these profiles have more than one event: a person whose profile holds several
 * events makes each of those a repeat-offender event. Read in batches of 100 (one round trip
 * each), so analytics and the retention sweep pay per page of events, not per person.
 */
export async function repeatProfiles(retailerId: string, profileIds: Iterable<string>): Promise<Set<string>> {
  const ids = [...new Set(profileIds)];
  const repeat = new Set<string>();
  for (let i = 0; i < ids.length; i += MAX_BATCH_OPERATIONS) {
    const chunk = ids.slice(i, i + MAX_BATCH_OPERATIONS);
    const docs = await readBatch<ProfileDoc>('profiles', retailerId, chunk);
    docs.forEach((doc, j) => {
      if (doc && doc.docType === 'profile' && doc.eventIds.length > 1) repeat.add(chunk[j]!);
    });
  }
  return repeat;
}

export const isRepeatEvent = (profileIds: readonly string[], repeat: ReadonlySet<string>): boolean => profileIds.some((id) => repeat.has(id));
