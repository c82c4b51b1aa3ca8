import { randomUUID } from 'node:crypto';
import { buildEvent, profileIdsOf } from '../../../shared/domain/events/event-rules';
import type { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { insertEvent } from '../../../shared/events/event-repository';
import { addEvent, updateMembership } from '../../../shared/events/profile-repository';

/** Stores an event and its profiles as intake does, but without asking for matching (a create that died there). */
export async function storeWithoutMatching(w: { org: string }, input: ReturnType<typeof EventInputSchema.parse>): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const event = buildEvent(id, w.org, input, 'rep-1', now);
  await Promise.all(profileIdsOf(event).map((p) => updateMembership(w.org, p, addEvent(id), now, true, true)));
  await insertEvent(event, 'NZ-AKL');
  return id;
}
