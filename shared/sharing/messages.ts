import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError, ForbiddenError } from '../domain/errors';
import type { Message } from '../domain/sharing';
import { assertNoSensitiveText } from '../domain/screening';
import { auditDraftFor, auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit, settleOverdueAudit } from '../audit/audit-outbox';
import type { OutboxEntry } from '../audit/audit-outbox-repository';
import { messagesOf, readMessage, writeMessage, type MessageDoc } from './message-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { loadVisibleEvent, type VisibleEvent } from './event-access';

type MessageEntry = OutboxEntry & { where: 'messages-audit-outbox' };

/** What the message use cases read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface MessageStore {
  /** Refuses (audited) a caller who may not take part in messages on events. */
  authorize(caller: Caller, eventId: string): Promise<void>;
  /** The event if the one visibility rule lets the caller see it, with what they may do; 404 otherwise. */
  loadVisibleEvent(caller: Caller, eventId: string, action: string): Promise<VisibleEvent>;
  /** Writes the message with its entry in the same batch; false when a message of its id was there already. */
  writeMessage(doc: MessageDoc, entry: MessageEntry, now: Date): Promise<boolean>;
  /** The retailer's message of this id, or undefined. */
  readMessage(retailerId: string, id: string): Promise<MessageDoc | undefined>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(retailerId: string, entry: MessageEntry): Promise<void>;
  /** Appends an entry another attempt wrote, once its outbox document is overdue (a younger one is that attempt's or the sweep's). */
  settleOverdueAudit(retailerId: string, key: string): Promise<void>;
  /** The event's messages, oldest first. */
  messagesOf(retailerId: string, eventId: string): Promise<MessageDoc[]>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: MessageStore = {
  authorize: async (caller, eventId) => authorizeAudited(caller, 'event.message', await callerOrgType(caller), { type: 'event', id: eventId }),
  loadVisibleEvent,
  writeMessage,
  readMessage,
  settleFreshAudit,
  settleOverdueAudit: async (retailerId, key) => void (await settleOverdueAudit(retailerId, key, 'messages-audit-outbox')),
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

  /**
   * Posts a message on a shared event; free text is screened like every other. `claimedId` is an
   * Idempotency-Key's: a retry that takes over from an attempt which wrote the message answers
   * with that message, its entry appended once (by that attempt, or once overdue by this one or the
   * sweep). Without a key, a write whose answer was lost and was refused when sent again is this
   * request's own (its id is new): settled and answered as written.
   */
  async function postMessage(caller: Caller, eventId: string, body: string, now = new Date(), claimedId?: string): Promise<Message> {
    const { event, access } = await eventForMessages(caller, eventId, 'event.message.post');
    assertNoSensitiveText([{ path: 'body', text: body }]);
    const id = claimedId ?? randomUUID();
    const key = `event.message.post:${id}`;
    const earlierMessage = async (): Promise<Message | undefined> => {
      const earlier = await store.readMessage(event.retailerId, id);
      if (!earlier) return undefined;
      await store.settleOverdueAudit(event.retailerId, key);
      return { id: earlier.id, eventId: earlier.eventId, author: earlier.author, body: earlier.body, createdAt: earlier.createdAt };
    };
    const earlier = claimedId ? await earlierMessage() : undefined;
    if (earlier) return earlier;
    const message: Message = {
      id,
      eventId,
      author: { sub: caller.principal.sub, org: caller.principal.orgId ?? '', relation: access.relation === 'owner' ? 'owner' : 'police' },
      body,
      createdAt: now.toISOString(),
    };
    const doc: MessageDoc = { ...message, orgId: event.retailerId, docType: 'message' };
    const entry: MessageEntry = {
      key,
      where: 'messages-audit-outbox',
      draft: auditDraftFor(caller, { action: 'event.message.post', target: { type: 'event', id: eventId }, details: { messageId: message.id } }),
    };
    // Refused as there already: without a key, this request's own write (its id is new); with one, possibly another attempt's.
    if (!(await store.writeMessage(doc, entry, now)) && claimedId) {
      const written = await earlierMessage();
      if (!written) throw new ConflictError('MESSAGE_GONE', 'The message written under this Idempotency-Key is gone; post it again with another key.');
      return written;
    }
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
