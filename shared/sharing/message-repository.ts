import { deleteIfExists, queryAll, readIfExists } from '../adapters/cosmos-containers';
import { createAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import type { Message } from '../domain/sharing';

/** A message on an event, stored in the owning retailer's partition. */
export type MessageDoc = Message & { orgId: string; docType: 'message' };

/** Writes a new message with its audit entry's outbox document (one batch); false when a message of its id was there already (createAudited). */
export async function writeMessage(doc: MessageDoc, entry: OutboxEntry & { where: 'messages-audit-outbox' }, now: Date): Promise<boolean> {
  return createAudited(doc.orgId, doc, entry, now);
}

/** One message of a retailer, or undefined. */
export async function readMessage(retailerId: string, id: string): Promise<MessageDoc | undefined> {
  const doc = await readIfExists<MessageDoc>('messages', retailerId, id);
  return doc?.docType === 'message' ? doc : undefined;
}

/** The thread on an event, oldest first. */
export async function messagesOf(retailerId: string, eventId: string): Promise<MessageDoc[]> {
  return queryAll<MessageDoc>('messages', retailerId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'message' AND c.eventId = @eventId ORDER BY c.createdAt ASC", { orgId: retailerId, eventId });
}

/** The threads on these events go with them (their purge): messages are free text about the people in them; how many. */
export async function deleteMessagesOf(retailerId: string, eventIds: readonly string[]): Promise<number> {
  const ids = await queryAll<{ id: string }>('messages', retailerId, "SELECT c.id FROM c WHERE c.orgId = @orgId AND c.docType = 'message' AND ARRAY_CONTAINS(@eventIds, c.eventId)", { orgId: retailerId, eventIds: [...eventIds] });
  for (const { id } of ids) await deleteIfExists('messages', retailerId, id);
  return ids.length;
}
