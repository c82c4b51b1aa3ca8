import type { AuditOutboxDoc } from '../audit/audit-outbox-repository';
import type { Completion } from '../audit/audit-outbox';
import { retentionCutoff, type RetailerSettings } from '../domain/retailer-settings';
import { getSettings } from '../orgs/org-repository';
import { readEvent, type VersionedEvent } from './event-repository';
import { purgeEvent, type PurgeOptions, type PurgeResult } from './purge-event';

/** What finishing a stopped deletion reads and runs: the repositories and the purge in the app, in-memory events in unit tests of this logic. */
export interface StoppedDeletionStore {
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  purgeEvent(retailerId: string, eventId: string, options: PurgeOptions): Promise<PurgeResult>;
}

const cosmosRecords: StoppedDeletionStore = { readEvent, getSettings, purgeEvent };

const DAY_MS = 86_400_000;
/**
 * A purge that still fails this long after its deletion is given up on here (it fails on every run,
 * one a minute): the entry is appended, saying so, and the event waits for the retention sweep.
 */
export const GIVE_UP_AFTER_MS = 60 * 60_000;

/**
 * Deletions that stopped part-way (PRODUCT §3, §10b). A DELETE marks its event purging with its
 * audit entry in the outbox, purges, then appends the entry. One that stopped in between (a crash,
 * an answer lost under store faults) leaves the event gone to every reader, so a retry answers
 * 404, while its people stay in their profiles and the person lookup, its plates in the LPR index.
 * The outbox sweep meets its entry once overdue, older than any request runs, so no purge of it is
 * under way (one found by two runs at once would count its people out of the population twice),
 * and finishes the purge before appending the entry with what went.
 * An event the retention sweep may reach within a day is left to it: that sweep finishes
 * interrupted deletions of the events it expires, and two purges must not run at once. (A change
 * of the retailer's retention period between the two reads, while both run on the same event, is
 * not guarded against.)
 */
export function stoppedDeletions(store: StoppedDeletionStore): (doc: AuditOutboxDoc, now: Date) => Promise<Completion | undefined> {
  return async function finishStoppedDeletion(doc: AuditOutboxDoc, now: Date) {
    const { action, target, requestId } = doc.draft;
    if (action !== 'event.delete' || target?.type !== 'event') return undefined;
    const found = await store.readEvent(doc.orgId, target.id);
    if (!found?.purging) return undefined;
    const { settings } = await store.getSettings(doc.orgId);
    // A day's margin: the retention sweep's runs take that cutoff at their own moment.
    if (Date.parse(found.event.occurredAt) < retentionCutoff(settings, now).getTime() + DAY_MS) return undefined;
    if (Date.parse(doc.createdAt) < now.getTime() - GIVE_UP_AFTER_MS) return (draft) => ({ ...draft, details: { ...draft.details, purgeLeftToRetention: true } });
    const result = await store.purgeEvent(doc.orgId, target.id, { now, requestId });
    return (draft) => ({ ...draft, details: { ...draft.details, profilesDeleted: result.profilesDeleted, finishedBySweep: true } });
  };
}

export const finishStoppedDeletion = stoppedDeletions(cosmosRecords);
