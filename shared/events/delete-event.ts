import { assertMayDelete } from '../domain/events/event-rules';
import type { AppError } from '../domain/errors';
import { auditFor, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { eventAudit, authorizeFor, outboxEntry, visibleEvent } from './event-steps';
import { purgeEvent, type PurgeResult } from './purge-event';

/** Deleting an event: the RetailerAdmin's decision, or its reporter's within 24 hours; refusals are audited too. */
export async function deleteEvent(caller: Caller, id: string, now = new Date()): Promise<PurgeResult> {
  const retailerId = await authorizeFor(caller, 'event.delete', id);
  const { event } = await visibleEvent(caller, retailerId, id);
  try {
    assertMayDelete(caller.principal, event, now);
  } catch (error) {
    await auditFor(caller, retailerId, {
      action: 'event.delete',
      target: { type: 'event', id },
      outcome: 'denied',
      details: { code: (error as AppError).code },
    });
    throw error;
  }
  // The entry rides with the mark that makes the event gone to every reader; once purged, it is appended with what went.
  const entry = outboxEntry(caller, eventAudit('event.delete', event));
  const result = await purgeEvent(retailerId, id, now, entry);
  await settleFreshAudit(retailerId, { ...entry, draft: { ...entry.draft, details: { ...entry.draft.details, profilesDeleted: result.profilesDeleted } } });
  return result;
}
