import { randomUUID } from 'node:crypto';
import { queryAll } from '../../../shared/adapters/cosmos-containers';
import { buildEvent, profileIdsOf } from '../../../shared/domain/events/event-rules';
import type { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { insertEvent } from '../../../shared/events/event-repository';
import { addEvent, updateMembership } from '../../../shared/events/profile-repository';
import { MATCH_OVERDUE_MS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';
import { matcherIdle } from './store-faults';

/** Stores an event and its profiles as intake does, but without asking for matching (a create that died there). */
export async function storeWithoutMatching(w: { org: string }, input: ReturnType<typeof EventInputSchema.parse>): Promise<string> {
  const id = randomUUID();
  const now = new Date();
  const event = buildEvent(id, w.org, input, 'rep-1', now);
  await Promise.all(profileIdsOf(event).map((p) => updateMembership(w.org, p, addEvent(id), now, true, true)));
  await insertEvent(event, 'NZ-AKL');
  return id;
}

/** The org's matching work still to do: requests not yet matched, or key notes not yet settled. */
const matchingLeft = <T = string>(orgId: string, docTypes: string[], select = 'VALUE c.id') =>
  queryAll<T>('profiles', orgId, `SELECT ${select} FROM c WHERE c.orgId = @orgId AND ARRAY_CONTAINS(@docTypes, c.docType)`, { orgId, docTypes });

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
 * Waits (up to 90 s) until every matching request of the org is matched and the host's matcher is
 * idle, then for its key notes. A writer whose profile kept changing under it (three tries) leaves
 * its note to the matching sweep, which settles notes ten minutes old (reindex-profile.ts): the
 * sweep is run here as it would run ten minutes after the matcher went idle, so it never takes the
 * note of a writer still at work. `left`: ids of what is still to do after that (a fault);
 * `swept`: the profiles whose notes the sweep settled (a few under contention; every writer's would
 * be a fault the sweep hides).
 */
export async function matchingSettled(orgId: string): Promise<{ left: string[]; swept: string[] }> {
  const requests = await until(() => matchingLeft(orgId, ['match-pending']), 90_000);
  if (requests.length) return { left: requests, swept: [] };
  await matcherIdle(60_000);
  const idle = Date.now();
  if (!(await until(() => matchingLeft(orgId, ['key-note']), 5_000)).length) return { left: [], swept: [] };
  const notes = await matchingLeft<{ profileId: string; at: string }>(orgId, ['key-note'], 'c.profileId, c.at');
  const warnings: string[] = [];
  await resendOverdueMatching({ warn: (m) => void warnings.push(m) }, new Date(idle + MATCH_OVERDUE_MS), orgId);
  const left = await matchingLeft(orgId, ['match-pending', 'key-note']);
  const swept = notes.filter((n) => Date.parse(n.at) < idle).map((n) => n.profileId);
  console.log(JSON.stringify({ keyNotesSettledBySweep: swept.length, warnings }));
  return { left, swept };
}
