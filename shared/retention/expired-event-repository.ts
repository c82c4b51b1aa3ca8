import { replaceOperation } from '../adapters/cosmos-batch';
import { writeAudited, type OutboxEntry } from '../audit/audit-outbox-repository';
import { container, placed, itemOf, inOrganisation } from '../adapters/cosmos-containers';
import { isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';
import type { EventDoc } from '../events/event-repository';

/** An event the sweep has claimed: hidden like any purging event, and marked with the aggregate day it folds into. */
export type RetiringDoc = EventDoc & { foldedInto?: string };

export interface Keyset {
  t: string;
  id: string;
}

/**
 * The next page of a retailer's expired events, from the cutoff backwards: one query in the
 * retailer's partition on the indexed `occurredAtUtc`, in the order of the events container's
 * composite index (the one the event list uses), by keyset after `after`, so the cost of a page
 * follows the page, not the store. Events on legal hold never come back.
 */
export async function expiredEvents(retailerId: string, cutoff: string, pageSize: number, after?: Keyset): Promise<RetiringDoc[]> {
  const where = [
    'c.orgId = @orgId',
    "c.docType = 'event'",
    'c.occurredAtUtc < @cutoff',
    '(NOT IS_DEFINED(c.legalHold) OR IS_NULL(c.legalHold))',
  ];
  const parameters = [
    { name: '@orgId', value: retailerId },
    { name: '@cutoff', value: cutoff },
  ];
  if (after) {
    where.push('(c.occurredAtUtc < @afterT OR (c.occurredAtUtc = @afterT AND c.id < @afterId))');
    parameters.push({ name: '@afterT', value: after.t }, { name: '@afterId', value: after.id });
  }
  const query = `SELECT TOP ${pageSize} * FROM c WHERE ${where.join(' AND ')} ORDER BY c.occurredAtUtc DESC, c.id DESC`;
  const { resources } = await container('events')
    .items.query<RetiringDoc>({ query, parameters }, inOrganisation('events', retailerId, { maxItemCount: pageSize }))
    .fetchAll();
  return resources ?? [];
}

/**
 * Claims an event for retirement: marks it purging (every read treats it as gone from now on)
 * and records the aggregate day it folds into, only over the version the query returned. False
 * when it changed in between (a legal hold, an edit): it is left for the next run to look at.
 */
export async function markRetiring(doc: RetiringDoc, day: string, audit?: Omit<OutboxEntry, 'where'>[]): Promise<boolean> {
  const clean: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) if (!k.startsWith('_')) clean[k] = v;
  if (audit) {
    // With the claim, the run's audit entry so far and the event's own (audit-outbox.ts).
    const next = { ...clean, id: doc.id, purging: true, foldedInto: day };
    return (await writeAudited(doc.orgId, [replaceOperation(next, doc._etag ?? '')], audit.map((a) => ({ ...a, where: 'audit-outbox' as const })))) !== undefined;
  }
  try {
    await itemOf('events', doc.orgId, doc.id).replace(placed('events', { ...clean, id: doc.id, purging: true, foldedInto: day }), { accessCondition: { type: 'IfMatch', condition: doc._etag ?? '' } });
    return true;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return false;
    throw error;
  }
}
