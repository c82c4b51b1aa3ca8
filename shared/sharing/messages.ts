import { randomUUID } from 'node:crypto';
import { NotFoundError, ForbiddenError } from '../domain/errors';
import type { Message } from '../domain/sharing';
import { assertNoSensitiveText } from '../domain/screening';
import { auditDraftFor, auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { messagesOf, writeMessage, type MessageDoc } from './message-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { loadVisibleEvent, type VisibleEvent } from './event-access';

type MessageEntry = OutboxEntry & { where: 'messages-audit-outbox' };

/** What the message use cases read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface MessageStore {
  /** Refuses (audited) a caller who may not take part in messages on events. */
  authorize(caller: Caller, eventId: string): Promise<void>;
  /** The event if the one visibility rule lets the caller see it, with what they may do; 404 otherwise. */
  loadVisibleEvent(caller: Caller, eventId: string, action: string): Promise<VisibleEvent>;
  /** Writes the message with its entry in the same batch; false when it could not be written. */
  writeMessage(doc: MessageDoc, entry: MessageEntry, now: Date): Promise<boolean>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(retailerId: string, entry: MessageEntry): Promise<void>;
  /** The event's messages, oldest first. */
  messagesOf(retailerId: string, eventId: string): Promise<MessageDoc[]>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: MessageStore = {
  authorize: async (caller, eventId) => authorizeAudited(caller, 'event.message', await callerOrgType(caller), { type: 'event', id: eventId }),
  loadVisibleEvent,
  writeMessage,
  settleFreshAudit,
  messagesOf,
  audit: auditFor,
};

/** Messages between a retailer and the police on a shared event (PRODUCT §5), over a store. */
export function messageUseCases(store: MessageStore) {
  async function eventForMessages(caller: Caller, eventId: string, action: string): Promise<VisibleEvent> {
    await store.authorize(caller, eventId);
    const visible = await store.loadVisibleEvent(caller, eventId, action);
    if (!visible.access.message) {
      // The owner's own staff learn why; anyone else sees what they would for an invisible event.
      if (visible.access.relation === 'owner') throw new ForbiddenError('Your role may not take part in messages.');
      throw new NotFoundError();
    }
    return visible;
  }

  /** Posts a message on a shared event; free text is screened like every other. */
  async function postMessage(caller: Caller, eventId: string, body: string, now = new Date()): Promise<Message> {
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
    const entry: MessageEntry = {
      key: `event.message.post:${message.id}`,
      where: 'messages-audit-outbox',
      draft: auditDraftFor(caller, { action: 'event.message.post', target: { type: 'event', id: eventId }, details: { messageId: message.id } }),
    };
    if (!(await store.writeMessage(doc, entry, now))) throw new Error(`Message ${message.id} could not be written.`);
    await store.settleFreshAudit(event.retailerId, entry);
    return message;
  }

  /**
   * The thread on an event, oldest first. The retailer sees every message; an agency sees the
   * retailer's and its own, never another agency's.
   */
  async function listMessages(caller: Caller, eventId: string): Promise<Message[]> {
    const { event, access } = await eventForMessages(caller, eventId, 'event.message.read');
    const visible = (await store.messagesOf(event.retailerId, eventId))
      .filter((m) => access.relation === 'owner' || m.author.org === event.retailerId || m.author.org === caller.principal.orgId)
      .map(({ id, eventId: e, author, body, createdAt }) => ({ id, eventId: e, author, body, createdAt }));
    await store.audit(caller, event.retailerId, { action: 'event.message.read', target: { type: 'event', id: eventId }, details: { count: visible.length } });
    return visible;
  }

  return { postMessage, listMessages };
}

export const { postMessage, listMessages } = messageUseCases(cosmosRecords);
