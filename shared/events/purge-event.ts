import { ConflictError, NotFoundError, PreconditionFailedError } from '../domain/errors';
import { profileIdsOf } from '../domain/events/event-rules';
import type { RetailEvent } from '../domain/events/event-schema';
import type { RetailerSettings } from '../domain/retailer-settings';
import { deleteEventDoc, readEvent, replaceEvent, type VersionedEvent } from './event-repository';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { readProfile, removeEvent, updateMembership } from './profile-repository';
import { getSettings } from '../orgs/org-repository';
import { deleteForeignLinksTo, deleteLinks, retireLinksOfEvent } from '../matching/link-repository';
import { reindexProfile, unindexProfile } from '../matching/reindex-profile';
import { purgeEvidenceOfEvent } from '../evidence/event-evidence';
import { syncPlateIndex } from '../lpr/plate-index-repository';
import { deleteAlertsNaming } from '../lpr/alert-removal';
import { deleteMessagesOf } from '../sharing/message-repository';
import { markOutboxProven } from '../audit/audit-outbox-repository';
import { leaveProfiles, type ProfileLeaveStore } from './leave-profiles';
import { requestRematch } from '../matching/match-queue';
import { retireStoredResponses } from './idempotency';

export interface PurgeResult {
  eventId: string;
  purged: boolean;
  profilesUpdated: number;
  profilesDeleted: number;
  evidenceDeleted: number;
}

/** What a purge reads and removes: the repositories in the app, in-memory records in unit tests of this logic. */
export interface PurgeStore extends ProfileLeaveStore {
  /** The event, purging or not (undefined: gone). */
  readEvent(retailerId: string, id: string): Promise<VersionedEvent | undefined>;
  /** Marks the event purging over the version read (412 if it moved), with the deletion's entry in the same batch when given. */
  markPurging(found: VersionedEvent, audit?: OutboxEntry): Promise<void>;
  getSettings(retailerId: string): Promise<{ settings: RetailerSettings }>;
  /** The plate index from `before` to `after` (undefined: the event's vehicles leave it). */
  syncPlateIndex(retailerId: string, eventId: string, before: RetailEvent | undefined, after: RetailEvent | undefined): Promise<void>;
  /** LPR alerts (the retailer's and partners') that name the events; how many. */
  deleteAlertsNaming(retailerId: string, of: { eventIds: readonly string[] }): Promise<number>;
  /** The event's evidence, blobs then records, each with a custody entry; `requestId`: of the request or run that purges, carried by each entry; how many. */
  purgeEvidenceOfEvent(retailerId: string, eventId: string, requestId: string): Promise<number>;
  /** The messages on the events (staff and police talking about them); how many. */
  deleteMessagesOf(retailerId: string, eventIds: readonly string[]): Promise<number>;
  /** Stored responses (kept 24 h for retries) of the requests that created these events: replaced by a note that they are gone. */
  retireStoredResponses(retailerId: string, eventIds: readonly string[]): Promise<unknown>;
  /** Records on the outbox document of this key, if any, that its change was stored (its entry is then due even once the proof goes). */
  markOutboxProven(retailerId: string, key: string): Promise<void>;
  deleteEventDoc(retailerId: string, id: string): Promise<void>;
  /** The suggestions made from the event: the rejected ones kept as their pair only (never suggested again), the others deleted; how many. */
  retireLinksOfEvent(retailerId: string, eventId: string): Promise<number>;
}

export const purgeRecords: PurgeStore = {
  readEvent,
  requestRematch,
  markPurging: async ({ event, etag, storeJurisdiction }, audit) => void (await replaceEvent(event, etag, storeJurisdiction, true, audit)),
  deleteLinks,
  retireLinksOfEvent,
  deleteForeignLinksTo,
  getSettings,
  readProfile: (retailerId, id) => readProfile(retailerId, id),
  unindexProfile,
  leaveProfile: (retailerId, profileId, eventId, now) => updateMembership(retailerId, profileId, removeEvent(eventId), now, false),
  reindexProfile: (retailerId, profileId, settings, now) => reindexProfile(retailerId, profileId, settings, now),
  syncPlateIndex,
  deleteAlertsNaming,
  purgeEvidenceOfEvent,
  deleteMessagesOf,
  retireStoredResponses,
  markOutboxProven: (retailerId, key) => markOutboxProven(retailerId, key),
  deleteEventDoc,
};

/**
 * The one way an event leaves the store: self-remediation (DELETE) and the retention sweep both
 * call it (an erasure rewrites a person out of events; it deletes none). Crash-safe by order: the event is first marked `purging` (reads treat it as
 * gone), then everything that points at it is removed, and the event document goes last,
 * so a run that dies part-way is finished by the next one and nothing is left orphaned.
 * Evidence, match keys, suggestions and the messages on the event are removed here too.
 */
export interface PurgeOptions {
  now?: Date;
  /** The audit entry of a deletion asked for (self-remediation), stored with the purging mark. */
  audit?: OutboxEntry;
  /** The caller removed the event's messages and alerts already, with others' (the retention sweep, a batch at a time). */
  dependentsGone?: boolean;
  /** The request or run that purges (by default the audit entry's): the evidence entries carry it, so each is tied to what caused it. */
  requestId?: string;
}

export function eventPurge(store: PurgeStore) {
  return async function purgeEvent(retailerId: string, eventId: string, options: PurgeOptions = {}): Promise<PurgeResult> {
    const { now = new Date(), audit, dependentsGone = false } = options;
    const requestId = options.requestId ?? audit?.draft.requestId ?? `purge:${eventId}`;
    const result: PurgeResult = { eventId, purged: false, profilesUpdated: 0, profilesDeleted: 0, evidenceDeleted: 0 };
    const current = await marked(store, retailerId, eventId, audit);
    if (!current) return result;
    await removeFromProfiles(store, current.event, now, result);
    // LPR: the event's vehicles leave the plate index, then the alerts that named it go (none can name it after).
    await store.syncPlateIndex(retailerId, eventId, current.event, undefined);
    if (!dependentsGone) await store.deleteAlertsNaming(retailerId, { eventIds: [eventId] });
    // Evidence: blobs then records, after the event is marked purging and before it goes (issue 4).
    result.evidenceDeleted = await store.purgeEvidenceOfEvent(retailerId, eventId, requestId);
    if (!dependentsGone) await store.deleteMessagesOf(retailerId, [eventId]);
    // A client's retry of the request that created it must not hand the deleted person back (a batch's at once in the retention sweep).
    if (!dependentsGone) await store.retireStoredResponses(retailerId, [eventId]);
    // The event proves its own creation's outbox document: one still waiting is marked proven before
    // the proof goes, so the sweep appends it rather than dropping it (and the creating request, if
    // still running, appends it alone).
    await store.markOutboxProven(retailerId, `event.create@${eventId}`);
    await store.deleteEventDoc(retailerId, eventId);
    result.purged = true;
    return result;
  };
}

export const purgeEvent = eventPurge(purgeRecords);

/**
 * The event, marked purging (gone to every reader) unless it was already, or undefined when it is
 * gone. A deletion asked for (`audit`: its entry rides with the mark) is this purge's only if its
 * mark is the one that lands: an event another deletion or the sweep has marked meanwhile is 404
 * to this one, which then records nothing (one purge, one entry). A version changed by anything
 * else is read again, its legal hold checked again.
 */
async function marked(store: PurgeStore, retailerId: string, eventId: string, audit: OutboxEntry | undefined): Promise<VersionedEvent | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    const current = await store.readEvent(retailerId, eventId);
    if (!current) return undefined;
    if (current.purging) {
      if (audit) throw new NotFoundError();
      return current;
    }
    if (current.event.legalHold) throw new ConflictError('LEGAL_HOLD', 'The event is under legal hold and cannot be deleted.');
    try {
      await store.markPurging(current, audit);
      return { ...current, purging: true };
    } catch (error) {
      if (!(error instanceof PreconditionFailedError) || attempt >= 4) throw error;
    }
  }
}

/** Takes the event's people out of their profiles, and out of Connect the Dots with them (leaveProfiles). */
async function removeFromProfiles(store: PurgeStore, event: RetailEvent, now: Date, result: PurgeResult): Promise<void> {
  await store.retireLinksOfEvent(event.retailerId, event.id);
  const { settings } = await store.getSettings(event.retailerId);
  const left = await leaveProfiles(store, event.retailerId, event.id, profileIdsOf(event), settings, now);
  result.profilesUpdated += left.updated;
  result.profilesDeleted += left.deleted;
}
