import { randomUUID } from 'node:crypto';
import { NotFoundError, ForbiddenError } from '../domain/errors';
import type { Message } from '../domain/sharing';
import { assertNoSensitiveText } from '../domain/screening';
import { auditDraftFor, auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { messagesOf, writeMessage, type MessageDoc } from './message-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { loadVisibleEvent, type VisibleEvent } from './event-access';

async function eventForMessages(caller: Caller, eventId: string, action: string): Promise<VisibleEvent> {
  await authorizeAudited(caller, 'event.message', await callerOrgType(caller), { type: 'event', id: eventId });
  const visible = await loadVisibleEvent(caller, eventId, action);
  if (!visible.access.message) {
    // The owner's own staff learn why; anyone else sees what they would for an invisible event.
    if (visible.access.relation === 'owner') throw new ForbiddenError('Your role may not take part in messages.');
    throw new NotFoundError();
  }
  return visible;
}

function audit(caller: Caller, retailerId: string, action: string, eventId: string, details: Record<string, string | number | string[]>) {
  return auditFor(caller, retailerId, {
    action,
    target: { type: 'event', id: eventId },
    details,
  });
}

/** Posts a message on a shared event; free text is screened like every other. */
export async function postMessage(caller: Caller, eventId: string, body: string, now = new Date()): Promise<Message> {
  const { event, access } = await eventForMessages(caller, eventId, 'event.message.post');
  assertNoSensitiveText([{ path: 'body', text: body }]);
  const message: Message = {
    id: randomUUID(),
    eventId,
    author: { sub: caller.principal.sub, org: caller.principal.orgId ?? '', relation: access.relation === 'owner' ? 'owner' : 'police' },
    body,
    createdAt: now.toISOString(),
  };
  const doc: MessageDoc = { ...message, orgId: event.retailerId, docType: 'message' };
  const entry = {
    key: `event.message.post:${message.id}`,
    where: 'messages-audit-outbox' as const,
    draft: auditDraftFor(caller, { action: 'event.message.post', target: { type: 'event', id: eventId }, details: { messageId: message.id } }),
  };
  if (!(await writeMessage(doc, entry, now))) throw new Error(`Message ${message.id} could not be written.`);
  await settleFreshAudit(event.retailerId, entry);
  return message;
}

/**
 * The thread on an event, oldest first. The retailer sees every message; an agency sees the
 * retailer's and its own, never another agency's.
 */
export async function listMessages(caller: Caller, eventId: string): Promise<Message[]> {
  const { event, access } = await eventForMessages(caller, eventId, 'event.message.read');
  const visible = (await messagesOf(event.retailerId, eventId))
    .filter((m) => access.relation === 'owner' || m.author.org === event.retailerId || m.author.org === caller.principal.orgId)
    .map(({ id, eventId: e, author, body, createdAt }) => ({ id, eventId: e, author, body, createdAt }));
  await audit(caller, event.retailerId, 'event.message.read', eventId, { count: visible.length });
  return visible;
}
