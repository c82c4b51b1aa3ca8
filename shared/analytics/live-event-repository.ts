import { container, inOrganisation } from '../adapters/cosmos-containers';
import type { EventFacts } from '../domain/analytics/aggregates';

/** What analytics reads of a live event: the counted fields only, never people's details. */
export type LiveFacts = EventFacts & { id: string; occurredAtUtc: string; profileIds: string[] };

/** Events read per round trip. */
export const PAGE = 200;

/** One page of the retailer's live events in a range, newest first, after a page's last (keyset paging). */
export async function liveEvents(orgId: string, range: { from: string; to: string }, after?: { t: string; id: string }): Promise<LiveFacts[]> {
  const where = [
    'c.orgId = @orgId',
    "c.docType = 'event'",
    'NOT IS_DEFINED(c.purging)',
    'c.occurredAtUtc >= @from',
    'c.occurredAtUtc <= @to',
  ];
  const parameters = [
    { name: '@orgId', value: orgId },
    { name: '@from', value: range.from },
    { name: '@to', value: range.to },
  ];
  if (after) {
    where.push('(c.occurredAtUtc < @afterT OR (c.occurredAtUtc = @afterT AND c.id < @afterId))');
    parameters.push({ name: '@afterT', value: after.t }, { name: '@afterId', value: after.id });
  }
  const fields = 'c.id, c.storeId, c.occurredAt, c.occurredAtUtc, c.type, c.prevented, c.currency, c.products, c.violence, c.profileIds';
  const { resources } = await container('events')
    .items.query<LiveFacts>(
      { query: `SELECT TOP ${PAGE} ${fields} FROM c WHERE ${where.join(' AND ')} ORDER BY c.occurredAtUtc DESC, c.id DESC`, parameters },
      inOrganisation('events', orgId, { maxItemCount: PAGE }),
    )
    .fetchAll();
  return resources ?? [];
}
