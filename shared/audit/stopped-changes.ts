import type { AuditDraft } from '../domain/audit-chain';
import { finishingEach, NOT_YET, type FinishChange } from './audit-outbox';
import { ConflictError } from '../domain/errors';
import { finishStoppedDeletion, GIVE_UP_AFTER_MS } from '../events/stopped-deletions';
import { finishStoppedMerge } from '../matching/link-use-cases';
import { finishStoppedSplit } from '../matching/split-profile';
import { finishStoppedErasure } from '../privacy/erasure-use-cases';

/** What finishing a stopped merge, split or erasure runs: the use cases in the app, in-memory records in unit tests of this logic. */
export interface StoppedChangeStore {
  /** Finishes the merge of an accepted suggestion; whether there was anything left to merge. */
  finishStoppedMerge(retailerId: string, linkId: string, now: Date): Promise<boolean>;
  /** Finishes the split of the merge of this suggestion; whether one was under way. */
  finishStoppedSplit(retailerId: string, linkId: string, now: Date): Promise<boolean>;
  /** Finishes the erasure of a profile, appending its entry; whether one was under way. */
  finishStoppedErasure(retailerId: string, profileId: string, now: Date): Promise<boolean>;
}

const useCases: StoppedChangeStore = { finishStoppedMerge, finishStoppedSplit, finishStoppedErasure };

/** Which overdue entries describe a change of this kind (the id to finish it by), and what finishes it. */
const KINDS: { idOf: (draft: AuditDraft) => string | undefined; finish: keyof StoppedChangeStore }[] = [
  // A merge is an accepted suggestion of one retailer (across retailers nothing merges; a partner's entry has no `merged`).
  { idOf: ({ action, target, details }) => (action === 'link.accept' && target?.type === 'link' && details?.merged === true ? target.id : undefined), finish: 'finishStoppedMerge' },
  { idOf: ({ action, details }) => (action === 'profile.split' && typeof details?.linkId === 'string' ? details.linkId : undefined), finish: 'finishStoppedSplit' },
  { idOf: ({ action, target, outcome }) => (action === 'profile.erase' && target?.type === 'profile' && outcome === 'success' ? target.id : undefined), finish: 'finishStoppedErasure' },
];

/**
 * Merges, splits and erasures that stopped part-way (PRODUCT §4b, §9, §10b). Each changes several
 * documents one by one after writing its audit entry to the outbox with its first change (the
 * suggestion's acceptance, the merge record's mark, the profile's erasure mark); a request stopped
 * in between (a crash, an answer lost under store faults, a client that gave up) left it half done
 * until someone asked again: a folded profile still holding some reports; both profiles of a split
 * refusing erasure (SPLIT_UNFINISHED); a person erased from nowhere yet, their profile hidden, while
 * the sweep appended the entry as if it were done. The outbox sweep meets the entry once overdue,
 * older than any request runs, and finishes the change before appending it, saying so
 * (`finishedBySweep`, where there was something left to do). One refused for now (409: a profile
 * busy, a split to finish first) stays for the next run without failing this one (NOT_YET); one
 * that fails otherwise stays too, and the run says so. After GIVE_UP_AFTER_MS its entry is
 * appended as a failure saying it was left unfinished (`leftUnfinished`), and asking again is what finishes it.
 * An erasure stopped by a legal hold placed after it was asked waits the hour too (holds outlast
 * it; waiting longer would keep its document in every run's overdue page): once the hold is lifted,
 * DELETE again finishes it, with an entry of its own. A merge whose survivor went since
 * (STALE_SUGGESTION) can never be finished, and its entry goes in at once, saying so.
 */
export function stoppedChanges(store: StoppedChangeStore): FinishChange {
  return async function finishStoppedChange(doc, now) {
    const kind = KINDS.find((k) => k.idOf(doc.draft) !== undefined);
    if (!kind) return undefined;
    let finished: boolean;
    try {
      finished = await store[kind.finish](doc.orgId, kind.idOf(doc.draft)!, now);
    } catch (error) {
      const refused = error instanceof ConflictError ? error.code : undefined;
      // Never finishable (the profile a merge goes into went since): said at once.
      if (refused === 'STALE_SUGGESTION' || Date.parse(doc.createdAt) < now.getTime() - GIVE_UP_AFTER_MS) return leftUnfinished;
      // Refused for now (409: a profile busy, a split to finish first, a legal hold): not a failure of the run.
      if (refused) return NOT_YET;
      throw error;
    }
    return finished ? (draft) => ({ ...draft, details: { ...draft.details, finishedBySweep: true } }) : undefined;
  };
}

/** A change given up on goes in as a failure: asked for, and not done (a DELETE that finishes an erasure later adds its success). */
const leftUnfinished = (draft: AuditDraft): AuditDraft => ({ ...draft, outcome: 'failure', details: { ...draft.details, leftUnfinished: true } });

/** What the audit outbox sweep finishes before it appends an overdue entry: deletions, merges, splits and erasures its requests left part-way. */
export const finishStoppedChanges = finishingEach(finishStoppedDeletion, stoppedChanges(useCases));
