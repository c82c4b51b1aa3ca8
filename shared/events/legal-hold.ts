import { placeHold } from '../domain/events/event-rules';
import type { RetailEvent } from '../domain/events/event-schema';
import type { Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { optimistically } from '../adapters/optimistic';
import { replaceEvent } from './event-repository';
import { authorizeFor, eventAudit, outboxEntry, visibleEvent, type EventReply } from './event-steps';

/** Places (reason given) or lifts (null) a legal hold, retrying on concurrent edits. */
export async function setLegalHold(caller: Caller, id: string, reason: string | null, now = new Date()): Promise<EventReply> {
  const retailerId = await authorizeFor(caller, 'event.hold', id);
  return optimistically(`Event ${id}`, async () => {
    const current = await visibleEvent(caller, retailerId, id);
    const next: RetailEvent = { ...current.event, legalHold: reason === null ? null : placeHold(reason, caller.principal.sub, now) };
    const audit = outboxEntry(caller, eventAudit(reason === null ? 'event.legal-hold.remove' : 'event.legal-hold.place', next));
    const etag = await replaceEvent(next, current.etag, current.storeJurisdiction, false, audit);
    await settleFreshAudit(retailerId, audit);
    return { event: next, etag };
  });
}
