import { upsertOperation, writeMany, type OperationInput } from '../adapters/cosmos-batch';
import { container, placed, itemOf, inOrganisation, queryAll } from '../adapters/cosmos-containers';
import { isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/**
 * A matching request not yet done: written with the event (in its batch for a new one), removed
 * by the matcher once it has matched the event. One left behind means the request never reached
 * the queue (the process died after the write) or the matcher never finished it; the sweep sends
 * it again. Ids only, no personal data.
 */
export interface MatchPendingDoc {
  id: string;
  orgId: string;
  docType: 'match-pending';
  eventId: string;
  requestedAt: string;
  /** How many times the sweep has sent it again. */
  resent: number;
  _etag?: string;
}

/** In the event's shard ('@' and its id), so that it rides in the event's batch. */
export const matchPendingId = (eventId: string): string => `match-pending@${eventId}`;

function pendingDoc(retailerId: string, eventId: string, now: Date): MatchPendingDoc {
  return { id: matchPendingId(eventId), orgId: retailerId, docType: 'match-pending', eventId, requestedAt: now.toISOString(), resent: 0 };
}

/** For a new event's own batch: its matching request, pending until the matcher has done it. */
export function matchPendingOperation(retailerId: string, eventId: string, now: Date): OperationInput {
  return upsertOperation(pendingDoc(retailerId, eventId, now));
}

/** The same on its own, before a write whose matching request follows (a correction, a new event written one by one). */
export async function markMatchPending(retailerId: string, eventId: string, now: Date): Promise<void> {
  await container('match-pending').items.upsert(placed('match-pending', pendingDoc(retailerId, eventId, now)));
}

/** The matcher is done with these events (matched, or found gone): one round trip per 100; one already cleared is fine. */
export async function clearMatchPending(retailerId: string, eventIds: readonly string[]): Promise<void> {
  await writeMany(
    'match-pending',
    retailerId,
    eventIds.map((id) => ({ operationType: 'Delete', id: matchPendingId(id) })),
  );
}

/** At most `max` requests, of any retailer (or of `orgId`), pending since before `cutoff` and sent again fewer than `maxResends` times. */
export async function overdueMatchRequests(cutoff: Date, maxResends: number, max: number, orgId?: string): Promise<MatchPendingDoc[]> {
  const { resources } = await container('match-pending')
    .items.query<MatchPendingDoc>(
      {
        query: `SELECT TOP ${Math.trunc(max)} * FROM c WHERE c.docType = 'match-pending' AND c.requestedAt < @cutoff AND c.resent < @maxResends${orgId ? ' AND c.orgId = @orgId' : ''}`,
        parameters: [
          { name: '@cutoff', value: cutoff.toISOString() },
          { name: '@maxResends', value: maxResends },
          ...(orgId ? [{ name: '@orgId', value: orgId }] : []),
        ],
      },
      orgId ? inOrganisation('match-pending', orgId) : {},
    )
    .fetchAll();
  return resources;
}

/**
 * Records that the request is being sent again, on the version read only: false when the matcher
 * (or another sweep) changed or removed it first, and then it is not sent.
 */
export async function noteResent(doc: MatchPendingDoc, now: Date): Promise<boolean> {
  const { _etag, ...rest } = doc;
  try {
    await itemOf('match-pending', doc.orgId, doc.id).replace<MatchPendingDoc>(placed('match-pending', { ...rest, requestedAt: now.toISOString(), resent: doc.resent + 1 }), { accessCondition: { type: 'IfMatch', condition: _etag ?? '' } });
    return true;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return false;
    throw error;
  }
}

/**
 * How many of the retailer's reports are still waiting for the matcher, not counting those the
 * sweep has given up on (resent `maxResends` times: their failures are in the poison queue). One
 * query in its partition, off the hot paths; a count per physical partition is summed.
 */
export async function pendingMatchCount(orgId: string, maxResends: number): Promise<number> {
  const counts = await queryAll<number>('match-pending', orgId, "SELECT VALUE COUNT(1) FROM c WHERE c.orgId = @orgId AND c.docType = 'match-pending' AND c.resent < @max", { orgId, max: maxResends });
  return counts.reduce((sum, n) => sum + n, 0);
}
