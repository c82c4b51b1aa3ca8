import { container, placed, itemOf, readIfExists, inOrganisation } from '../adapters/cosmos-containers';
import { isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/**
 * The profiles a correction takes its event out of (a person removed, or moved to another
 * profile), noted before the event is written and removed once they are left: one left behind
 * means the correction stopped in between, and the match-pending sweep finishes it
 * (event-steps.ts finishLeaving). In the event's shard ('@' and its id), beside its matching
 * request; ids only.
 */
export interface LeavingDoc {
  id: string;
  orgId: string;
  docType: 'leaving';
  eventId: string;
  profileIds: string[];
  notedAt: string;
  _etag?: string;
}

const leavingId = (eventId: string): string => `leaving@${eventId}`;

/** The profiles an earlier correction of the event noted and never finished leaving (none: empty). */
export async function unfinishedLeaving(retailerId: string, eventId: string): Promise<string[]> {
  return (await readIfExists<LeavingDoc>('match-pending', retailerId, leavingId(eventId)))?.profileIds ?? [];
}

/** Notes the profiles to leave (with any unfinished before); the version written, to remove it by. */
export async function noteLeaving(retailerId: string, eventId: string, profileIds: readonly string[], now: Date): Promise<string> {
  const doc: LeavingDoc = { id: leavingId(eventId), orgId: retailerId, docType: 'leaving', eventId, profileIds: [...profileIds], notedAt: now.toISOString() };
  const { etag } = await container('match-pending').items.upsert(placed('match-pending', doc));
  return etag ?? '';
}

/** The leaving is done: the note goes, unless another correction noted more since (then the sweep finishes that). */
export async function leavingDone(retailerId: string, eventId: string, etag: string): Promise<void> {
  try {
    await itemOf('match-pending', retailerId, leavingId(eventId)).delete({ accessCondition: { type: 'IfMatch', condition: etag } });
  } catch (error) {
    if (!isNotFound(error) && !isPreconditionFailed(error)) throw error;
  }
}

/** At most `max` notes, of any retailer (or of `orgId`), older than `cutoff`: leavings that stopped. */
export async function overdueLeavings(cutoff: Date, max: number, orgId?: string): Promise<LeavingDoc[]> {
  const { resources } = await container('match-pending')
    .items.query<LeavingDoc>(
      {
        query: `SELECT TOP ${Math.trunc(max)} * FROM c WHERE c.docType = 'leaving' AND c.notedAt < @cutoff${orgId ? ' AND c.orgId = @orgId' : ''}`,
        parameters: [{ name: '@cutoff', value: cutoff.toISOString() }, ...(orgId ? [{ name: '@orgId', value: orgId }] : [])],
      },
      orgId ? inOrganisation('match-pending', orgId) : {},
    )
    .fetchAll();
  return resources;
}
