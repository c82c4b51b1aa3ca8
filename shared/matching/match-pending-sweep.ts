import { requestMatching } from './match-queue';
import { noteResent, overdueMatchRequests, type MatchPendingDoc } from './match-pending-repository';
import type { Logger } from '../telemetry/logger';
import { finishLeaving } from '../events/event-steps';
import { overdueLeavings, type LeavingDoc } from '../events/leaving-repository';
import { overdueKeyNotes, type KeyNoteDoc } from './key-note-repository';
import { settleKeyNote } from './reindex-profile';

/** A request still pending after this long never reached the matcher, or the matcher could not finish it. */
export const MATCH_OVERDUE_MS = 10 * 60_000;
/** After this many resends a request is left alone: the poison queue holds its failures. */
export const MAX_MATCH_RESENDS = 3;
const PER_RUN = 500;

/** What the sweep of pending matching requests reads, notes and sends: Cosmos and the queue in the app, in-memory requests in unit tests of this logic. */
export interface MatchPendingSweepStore {
  /** At most `max` requests, of any retailer (or of `orgId`), pending since before `cutoff` and sent again fewer than `maxResends` times. */
  overdueMatchRequests(cutoff: Date, maxResends: number, max: number, orgId?: string): Promise<MatchPendingDoc[]>;
  /** Records a resend on the version read only (requestedAt `now`, resent + 1); false when it was changed or removed first. */
  noteResent(doc: MatchPendingDoc, now: Date): Promise<boolean>;
  /** Puts a matching request for the event on the queue; resolves once it is there. */
  requestMatching(retailerId: string, eventId: string): Promise<void>;
  /** Corrections' notes of profiles to leave, older than `cutoff` (leavings that stopped). */
  overdueLeavings(cutoff: Date, max: number, orgId?: string): Promise<LeavingDoc[]>;
  /** Takes the event out of the noted profiles it no longer names, under their leases, then removes the note (event-steps.ts finishLeaving). */
  finishLeaving(note: LeavingDoc, now: Date): Promise<void>;
  /** Key notes older than `cutoff` (re-indexes that stopped between a profile and its keys). */
  overdueKeyNotes(cutoff: Date, max: number, orgId?: string): Promise<KeyNoteDoc[]>;
  /** Brings the keys a note names in line with its profile, then removes the note (reindex-profile.ts); false when the profile kept changing and the note stays. */
  settleKeyNote(note: KeyNoteDoc): Promise<boolean>;
}

const cosmosRecords: MatchPendingSweepStore = { overdueMatchRequests, noteResent, requestMatching, overdueLeavings, finishLeaving, overdueKeyNotes, settleKeyNote };

/** The sweep of pending matching requests, over a store. */
export function matchPendingSweeping(store: MatchPendingSweepStore) {
  /**
   * Sends again the matching requests left pending (a process that died between an event's write
   * and its queue message, a matcher that kept failing), so no stored event stays unmatched
   * without anyone knowing. At-least-once: matching an event twice changes nothing. `orgId`: one
   * retailer's only (a test's own tenant).
   */
  async function resendOverdueMatching(log: Pick<Logger, 'warn'>, now = new Date(), orgId?: string): Promise<{ resent: number; more: boolean }> {
    const overdue = await store.overdueMatchRequests(new Date(now.getTime() - MATCH_OVERDUE_MS), MAX_MATCH_RESENDS, PER_RUN, orgId);
    let resent = 0;
    for (const doc of overdue) {
      // Noted first, on the version read: two sweeps never both send it.
      if (!(await store.noteResent(doc, now))) continue;
      await store.requestMatching(doc.orgId, doc.eventId);
      resent += 1;
      if (doc.resent + 1 >= MAX_MATCH_RESENDS) {
        log.warn('Matching request sent again for the last time', { retailerId: doc.orgId, eventId: doc.eventId, resent: doc.resent + 1 });
      }
    }
    // Corrections that stopped between their write and their leaving (a crash): each finished on its
    // own; one that fails (a profile busy, the store faulting) is left for the next run.
    const leavings = await store.overdueLeavings(new Date(now.getTime() - MATCH_OVERDUE_MS), PER_RUN, orgId);
    for (const note of leavings) {
      try {
        await store.finishLeaving(note, now);
      } catch (error) {
        log.warn('A correction left unfinished could not be finished yet', { retailerId: note.orgId, eventId: note.eventId, error: String(error) });
      }
    }
    // Re-indexes that stopped between a profile and its keys: each note's keys brought in line with its profile.
    const notes = await store.overdueKeyNotes(new Date(now.getTime() - MATCH_OVERDUE_MS), PER_RUN, orgId);
    for (const note of notes) {
      try {
        if (!(await store.settleKeyNote(note))) log.warn('A key note was left for the next run: its profile kept changing while it was settled', { retailerId: note.orgId, profileId: note.profileId });
      } catch (error) {
        log.warn('A key note left behind could not be settled yet', { retailerId: note.orgId, profileId: note.profileId, error: String(error) });
      }
    }
    return { resent, more: overdue.length === PER_RUN || leavings.length === PER_RUN || notes.length === PER_RUN };
  }

  return { resendOverdueMatching };
}

export const { resendOverdueMatching } = matchPendingSweeping(cosmosRecords);
