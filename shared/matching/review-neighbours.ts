import { consistentWithNeighbours } from '../domain/matching/score';
import type { Holder } from '../domain/matching/candidates';
import type { PersonFacts } from '../domain/matching/facts';
import { readProfiles, type ProfileDoc } from '../events/profile-repository';
import { pendingPairsAmong } from './link-repository';

type Candidate = { retailerId: string; profile: ProfileDoc };

/** What the review graph reads: the repositories in the app, in-memory links and profiles in unit tests of this logic. */
export interface ReviewNeighboursStore {
  /** The retailer's pending suggestions touching any of these profiles, as pairs of profile ids. */
  pendingPairsAmong(retailerId: string, profileIds: readonly string[]): Promise<[string, string][]>;
  /** Those of these profiles that exist and are not being erased. */
  readProfiles(retailerId: string, ids: readonly string[]): Promise<ProfileDoc[]>;
}

const cosmosRecords: ReviewNeighboursStore = {
  pendingPairsAmong: (retailerId, profileIds) => pendingPairsAmong(retailerId, profileIds),
  readProfiles: (retailerId, ids) => readProfiles(retailerId, ids),
};

/**
 * The review graph around one subject while its suggestions are made (consistentWithNeighbours), over a store.
 * The pending suggestions of the subject and of every candidate about to be suggested are read
 * in one query, the subject's grown with each suggestion made here; each neighbour's profile is
 * read once. A person with many lookalikes costs one query and a few batches of reads, not the
 * whole neighbourhood again for every candidate. Suggestions made meanwhile by another event's
 * matching (another process, or a sibling event of the same queue message) are not seen until
 * the next match, as a suggestion made between two reads was not seen before.
 */
export function neighbourReview(store: ReviewNeighboursStore) {
  return function reviewNeighbours(retailerId: string, subject: ProfileDoc, candidates: readonly Candidate[]) {
    const own = candidates.filter((c) => c.retailerId === retailerId).map((c) => c.profile);
    const profiles = new Map<string, Holder | null>([subject, ...own].filter((p) => p.match).map((p) => [p.id, holder(p)]));
    let graph: Promise<Map<string, string[]>> | undefined;
    const neighbours = () =>
      (graph ??= store.pendingPairsAmong(retailerId, [subject.id, ...own.map((p) => p.id)]).then((pairs) => {
        const of = new Map<string, string[]>();
        const add = (from: string, to: string) => of.set(from, [...(of.get(from) ?? []), to]);
        for (const [a, b] of pairs) {
          add(a, b);
          add(b, a);
        }
        return of;
      }));
    const holders = async (ids: string[]): Promise<Holder[]> => {
      const unread = [...new Set(ids)].filter((id) => !profiles.has(id));
      if (unread.length > 0) {
        const found = new Map((await store.readProfiles(retailerId, unread)).map((p) => [p.id, p]));
        for (const id of unread) {
          const p = found.get(id);
          profiles.set(id, p?.match ? holder(p) : null);
        }
      }
      return ids.flatMap((id) => profiles.get(id) ?? []);
    };
    return {
      /** Whether a suggestion between the subject and the candidate agrees with both sides' pending suggestions. */
      async agrees(candidate: Candidate, probability: (a: PersonFacts, b: PersonFacts) => number): Promise<boolean> {
        const of = await neighbours();
        const apart = (ids: string[] | undefined) => (ids ?? []).filter((id) => id !== subject.id && id !== candidate.profile.id);
        const theirs = candidate.retailerId === retailerId ? of.get(candidate.profile.id) : [];
        const [left, right] = [await holders(apart(of.get(subject.id))), await holders(apart(theirs))];
        return consistentWithNeighbours(holder(subject), holder(candidate.profile), left, right, probability);
      },
      /** The subject is now suggested with this candidate. */
      async suggested(candidate: Candidate): Promise<void> {
        if (candidate.retailerId !== retailerId) return;
        const of = await neighbours();
        const mine = of.get(subject.id) ?? [];
        if (!mine.includes(candidate.profile.id)) of.set(subject.id, [...mine, candidate.profile.id]);
      },
    };
  };
}

export const reviewNeighbours = neighbourReview(cosmosRecords);

function holder(p: ProfileDoc): Holder {
  return { facts: p.match!.facts, keys: p.match!.keys };
}
