import { placeHold } from '../domain/events/event-rules';
import { assertNoSensitiveText } from '../domain/screening';
import type { Action } from '../domain/authorization';
import type { RetailEvent } from '../domain/events/event-schema';
import type { Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { optimistically } from '../adapters/optimistic';
import { replaceEvent, type VersionedEvent } from './event-repository';
import { authorizeFor, eventAudit, outboxEntry, visibleEvent, type EventReply } from './event-steps';

/** What a legal hold reads and writes: the repositories in the app, events in memory in unit tests of this logic. */
export interface LegalHoldStore {
  /** Refuses (audited) a caller who may not hold events (another organisation's event: 404); answers the caller's retailer. */
  authorize(caller: Caller, id: string): Promise<string>;
  /** The retailer's event if the caller may see it; 404 otherwise (or while it is being purged). */
  visibleEvent(caller: Caller, retailerId: string, id: string, action: Action): Promise<VersionedEvent>;
  /** Replaces the version read (412 if it moved) with the change's entry in the same batch; answers the new ETag. */
  replaceEvent(event: RetailEvent, etag: string, storeJurisdiction: string, purging: boolean, audit: OutboxEntry): Promise<string>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(retailerId: string, entry: OutboxEntry): Promise<void>;
}

const cosmosRecords: LegalHoldStore = {
  authorize: (caller, id) => authorizeFor(caller, 'event.hold', id),
  visibleEvent,
  replaceEvent,
  settleFreshAudit,
};

/** Legal holds on events (PRODUCT §7), over a store. */
export function legalHolds(store: LegalHoldStore) {
  /** Places (reason given) or lifts (null) a legal hold, retrying on concurrent edits. */
  return async function setLegalHold(caller: Caller, id: string, reason: string | null, now = new Date()): Promise<EventReply> {
    const retailerId = await store.authorize(caller, id);
    // Free text kept with the event, screened as its description is (PRODUCT §2).
    if (reason !== null) assertNoSensitiveText([{ path: 'reason', text: reason }]);
    return optimistically(`Event ${id}`, async () => {
      const current = await store.visibleEvent(caller, retailerId, id, 'event.hold');
      const next: RetailEvent = { ...current.event, legalHold: reason === null ? null : placeHold(reason, caller.principal.sub, now) };
      const audit = outboxEntry(caller, eventAudit(reason === null ? 'event.legal-hold.remove' : 'event.legal-hold.place', next));
      const etag = await store.replaceEvent(next, current.etag, current.storeJurisdiction, false, audit);
      await store.settleFreshAudit(retailerId, audit);
      return { event: next, etag };
    });
  };
}

export const setLegalHold = legalHolds(cosmosRecords);
