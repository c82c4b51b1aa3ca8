import { container } from '../adapters/cosmos-containers';
import {
  contributionOf,
  Grouper,
  rangeOf,
  rowInRange,
  type AnalyticsQuery,
  type GroupBy,
  type GroupFigures,
} from '../domain/analytics/aggregates';
import { ValidationError } from '../domain/errors';
import type { EventFacts } from '../domain/analytics/aggregates';
import { authorizeAudited, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { aggregatesBetween } from '../retention/aggregate-repository';
import { isRepeatEvent, repeatProfiles } from './repeat-offenders';

export interface AnalyticsReply {
  from: string;
  to: string;
  groupBy: GroupBy;
  groups: GroupFigures[];
  totals: Omit<GroupFigures, 'key'>;
}

const PAGE = 200;
type LiveFacts = EventFacts & { id: string; occurredAtUtc: string; profileIds: string[] };

/**
 * Figures over the retailer's live events in the range plus the anonymous aggregates the
 * retention sweep left for it, both through the same contribution rule, so purging an event
 * changes no figure. Sensitive events count: the answer holds counts and sums only, never a
 * person. Live events are read a page at a time (a keyset query in the retailer's partition,
 * only the fields analytics needs) and folded into per-group sums, so memory follows the
 * number of groups, not of events. No audit entry: nothing personal is read out.
 */
export async function analytics(caller: Caller, query: AnalyticsQuery, now = new Date()): Promise<AnalyticsReply> {
  const orgId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'analytics.read', await callerOrgType(caller), { type: 'analytics', id: orgId });
  const range = rangeOf(query, now);
  if ('error' in range) throw new ValidationError([{ path: 'from', message: range.error }], 'The query is not valid.');
  const groups = new Grouper(query.groupBy);
  const totals = new Grouper('all');
  const add = (row: Parameters<Grouper['add']>[0]) => {
    groups.add(row);
    totals.add(row);
  };
  let after: { t: string; id: string } | undefined;
  for (;;) {
    const page = await liveEvents(orgId, range, after);
    const repeat = await repeatProfiles(orgId, page.flatMap((e) => e.profileIds));
    for (const e of page) add(contributionOf(e, isRepeatEvent(e.profileIds, repeat)));
    if (page.length < PAGE) break;
    const last = page.at(-1)!;
    after = { t: last.occurredAtUtc, id: last.id };
  }
  for await (const doc of aggregatesBetween(orgId, range.from.slice(0, 10), range.to.slice(0, 10))) {
    for (const row of doc.rows) if (rowInRange(doc.day, row, range)) add(row);
  }
  const [all] = totals.result();
  const { key: _, ...total } = all ?? totals.empty();
  return { from: range.from, to: range.to, groupBy: query.groupBy, groups: groups.result(), totals: total };
}

async function liveEvents(orgId: string, range: { from: string; to: string }, after?: { t: string; id: string }): Promise<LiveFacts[]> {
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
      { partitionKey: orgId, maxItemCount: PAGE },
    )
    .fetchNext();
  return resources ?? [];
}
