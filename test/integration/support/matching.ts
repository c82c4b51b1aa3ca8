import { randomUUID } from 'node:crypto';
import { queryAll } from '../../../shared/adapters/cosmos-containers';
import { buildEvent, profileIdsOf } from '../../../shared/domain/events/event-rules';
import type { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { insertEvent } from '../../../shared/events/event-repository';
import { addEvent, updateMembership } from '../../../shared/events/profile-repository';
import { MATCH_OVERDUE_MS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';

/** Stores an event and its profiles as intake does, but without asking for matching (a create that died there). */
export async function storeWithoutMatching(w: { org: string }, input: ReturnType<typeof EventInputSchema.parse>): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const event = buildEvent(id, w.org, input, 'rep-1', now);
  await Promise.all(profileIdsOf(event).map((p) => updateMembership(w.org, p, addEvent(id), now, true, true)));
  await insertEvent(event, 'NZ-AKL');
  return id;
}

/** The org's matching work still to do (their ids): requests not yet matched, or key notes not yet settled. */
const matchingLeft = (orgId: string, docTypes: string[]) =>
  queryAll<string>('events', orgId, 'SELECT VALUE c.id FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@docTypes, c.docType)', { orgId, docTypes });

async function until(left: () => Promise<string[]>, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  let now = await left();
  while (now.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    now = await left();
  }
  return now;
}

/**
 * Waits (up to 90 s) until every matching request of the org is matched, then for its key notes: a
 * writer whose profile kept changing under it leaves its note to the matching sweep, which settles
 * notes ten minutes old (reindex-profile.ts); run here as it would run then. What is still left
 * after that (ids) is a fault.
 */
export async function matchingSettled(orgId: string): Promise<string[]> {
  const requests = await until(() => matchingLeft(orgId, ['match-pending']), 90_000);
  if (requests.length) return requests;
  if ((await until(() => matchingLeft(orgId, ['key-note']), 10_000)).length) {
    await resendOverdueMatching({ warn: () => undefined }, new Date(Date.now() + MATCH_OVERDUE_MS + 60_000), orgId);
  }
  return matchingLeft(orgId, ['match-pending', 'key-note']);
}
