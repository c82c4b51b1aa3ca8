import { buildEvent, profileIdsOf, toInput } from '../domain/events/event-rules';
import { EventInputSchema, type RetailEvent } from '../domain/events/event-schema';
import { applyMergePatch } from '../domain/events/merge-patch';
import { PreconditionFailedError, PreconditionRequiredError } from '../domain/errors';
import { assertNoSensitiveFields } from '../domain/screening';
import { parseWith } from '../domain/validation';
import type { Caller } from '../audit/audited-authorize';
import { etagMatches } from '../http/etag';
import { markMatchPending } from '../matching/match-pending-repository';
import { replaceEvent } from './event-repository';
import { afterEventWritten, authorizeFor, checkGivenProfiles, eventAudit, joinProfiles, leaveProfiles, outboxEntry, validateForRetailer, visibleEvent, type EventReply } from './event-steps';

/**
 * JSON merge patch over the client-editable fields, validated and screened exactly like a
 * new event, applied only to the version the caller read (If-Match).
 */
export async function patchEvent(caller: Caller, id: string, patch: unknown, ifMatch: string | null, now = new Date()): Promise<EventReply> {
  const retailerId = await authorizeFor(caller, 'event.update', id);
  if (!ifMatch) throw new PreconditionRequiredError();
  const current = await visibleEvent(caller, retailerId, id);
  if (!etagMatches(ifMatch, current.etag)) throw new PreconditionFailedError();
  assertNoSensitiveFields(patch);
  const input = parseWith(EventInputSchema, applyMergePatch(toInput(current.event), patch), 'patched event');
  const store = await validateForRetailer(caller, retailerId, input, now);
  await checkGivenProfiles(retailerId, input, current.event);
  const next = buildEvent(id, retailerId, input, caller.principal.sub, now, current.event);
  await joinProfiles(next, now, current.event);
  await markMatchPending(retailerId, id, now);
  const audit = outboxEntry(caller, eventAudit('event.update', next, { fields: changedFields(current.event, next) }));
  const etag = await replaceEvent(next, current.etag, store.jurisdiction, false, audit);
  const gone = profileIdsOf(current.event).filter((p) => !profileIdsOf(next).includes(p));
  await leaveProfiles(retailerId, id, gone, now);
  await afterEventWritten(next, { entry: audit, fresh: true }, { before: current.event });
  return { event: next, etag };
}

function changedFields(before: RetailEvent, after: RetailEvent): string[] {
  const a = toInput(before);
  const b = toInput(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
