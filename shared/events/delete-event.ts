import { assertMayDelete } from '../domain/events/event-rules';
import type { Action } from '../domain/authorization';
import { AppError } from '../domain/errors';
import { auditFor, type AuditOf, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import type { VersionedEvent } from './event-repository';
import { eventAudit, authorizeFor, outboxEntry, visibleEvent } from './event-steps';
import { purgeEvent, type PurgeResult } from './purge-event';

/** What deleting an event reads and writes: the repositories and the purge in the app, events in memory in unit tests of this logic. */
export interface EventDeletionStore {
  /** Refuses (audited) a caller who may not delete events (another organisation's event: 404); answers the caller's retailer. */
  authorize(caller: Caller, id: string): Promise<string>;
  /** The retailer's event if the caller may see it; 404 otherwise (or while it is being purged). */
  visibleEvent(caller: Caller, retailerId: string, id: string, action: Action): Promise<VersionedEvent>;
  /** Marks the event gone to every reader with the deletion's entry, then removes it and what hangs on it (409 under legal hold). */
  purgeEvent(retailerId: string, id: string, options: { now: Date; audit: OutboxEntry }): Promise<PurgeResult>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(retailerId: string, entry: OutboxEntry): Promise<void>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: EventDeletionStore = {
  authorize: (caller, id) => authorizeFor(caller, 'event.delete', id),
  visibleEvent,
  purgeEvent,
  settleFreshAudit,
  audit: auditFor,
};

/** Deleting events (PRODUCT §3), over a store. */
export function eventDeletion(store: EventDeletionStore) {
  /** Deleting an event: the RetailerAdmin's decision, or its reporter's within 24 hours; refusals are audited too. */
  return async function deleteEvent(caller: Caller, id: string, now = new Date()): Promise<PurgeResult> {
    const retailerId = await store.authorize(caller, id);
    const { event } = await store.visibleEvent(caller, retailerId, id, 'event.delete');
    const refused = async (error: unknown) => {
      await store.audit(caller, retailerId, { action: 'event.delete', target: { type: 'event', id }, outcome: 'denied', details: { code: (error as AppError).code } });
      return error;
    };
    try {
      assertMayDelete(caller.principal, event, now);
    } catch (error) {
      throw await refused(error);
    }
    // The entry rides with the mark that makes the event gone to every reader; once purged, it is appended with what went.
    const entry = outboxEntry(caller, eventAudit('event.delete', event));
    // A hold placed since it was read: refused by the purge, and recorded like the one seen above.
    const result = await store.purgeEvent(retailerId, id, { now, audit: entry }).catch(async (error: unknown) => {
      throw error instanceof AppError && error.code === 'LEGAL_HOLD' ? await refused(error) : error;
    });
    await store.settleFreshAudit(retailerId, { ...entry, draft: { ...entry.draft, details: { ...entry.draft.details, profilesDeleted: result.profilesDeleted } } });
    return result;
  };
}

export const deleteEvent = eventDeletion(cosmosRecords);
