import { finishingEach, type FinishChange } from '../audit/audit-outbox';
import { finishStoppedDeletion, GIVE_UP_AFTER_MS } from '../events/stopped-deletions';
import { finishStoppedMerge } from './link-use-cases';
import { finishStoppedSplit } from './split-profile';

/** What finishing a stopped merge or split runs: the use cases in the app, in-memory records in unit tests of this logic. */
export interface StoppedMergeStore {
  /** Finishes the merge of an accepted suggestion; whether there was anything left to merge. */
  finishStoppedMerge(retailerId: string, linkId: string, now: Date): Promise<boolean>;
  /** Finishes the split of the merge of this suggestion; whether one was under way. */
  finishStoppedSplit(retailerId: string, linkId: string, now: Date): Promise<boolean>;
}

const useCases: StoppedMergeStore = { finishStoppedMerge, finishStoppedSplit };

/**
 * Merges and splits that stopped part-way (PRODUCT §4b, §10b). Each changes several documents one
 * by one after writing its audit entry to the outbox with its first change (the suggestion's
 * acceptance, the merge record's mark); a request stopped in between (a crash, an answer lost under
 * store faults, a client that gave up) left it half done until someone asked again: a folded profile
 * still holding some reports, or both profiles of a split refusing erasure (SPLIT_UNFINISHED). The
 * outbox sweep meets the entry once overdue, older than any request runs, and finishes the change
 * before appending it, saying so. One that still cannot be finished (a profile busy, a split to
 * finish first) stays for the next run; after GIVE_UP_AFTER_MS its entry is appended saying it
 * was not finished, and asking again is what finishes it.
 */
export function stoppedMerges(store: StoppedMergeStore): FinishChange {
  return async function finishStoppedMergeOrSplit(doc, now) {
    const { action, target, details } = doc.draft;
    const merge = action === 'link.accept' && target?.type === 'link' && details?.merged === true;
    const linkId = merge ? target.id : action === 'profile.split' && typeof details?.linkId === 'string' ? details.linkId : undefined;
    if (linkId === undefined) return undefined;
    let finished: boolean;
    try {
      finished = await (merge ? store.finishStoppedMerge : store.finishStoppedSplit)(doc.orgId, linkId, now);
    } catch (error) {
      if (Date.parse(doc.createdAt) >= now.getTime() - GIVE_UP_AFTER_MS) throw error;
      return (draft) => ({ ...draft, details: { ...draft.details, leftUnfinished: true } });
    }
    return finished ? (draft) => ({ ...draft, details: { ...draft.details, finishedBySweep: true } }) : undefined;
  };
}

export const finishStoppedMergeOrSplit = stoppedMerges(useCases);

/** What the audit outbox sweep finishes before it appends an overdue entry: deletions, merges and splits its requests left part-way. */
export const finishStoppedChanges = finishingEach(finishStoppedDeletion, finishStoppedMergeOrSplit);
