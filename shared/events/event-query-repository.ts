import type { RetailEvent } from '../domain/events/event-schema';
import { toUtc, type Cursor } from '../domain/events/event-list';
import { container, inOrganisation } from '../adapters/cosmos-containers';
import { fromDoc, versioned, type EventDoc } from './event-repository';

type SqlParameter = { name: string; value: string | string[] };

export interface EventFilter {
  storeId?: string;
  /** A scoped Reporter's stores; null = every store. */
  storeScope: string[] | null;
  includeSensitive: boolean;
  type?: string;
  from?: string;
  to?: string;
  profileId?: string;
}

/**
 * One page of a retailer's events, newest first, by keyset (occurredAtUtc, id) rather than
 * OFFSET (which the local server lacks and which gets slower with depth in Cosmos DB too).
 * Always within the retailer's partition. Asks for one more than the page to know if
 * another page exists.
 */
export async function queryEvents(
  retailerId: string,
  filter: EventFilter,
  pageSize: number,
  after?: Cursor,
): Promise<{ items: RetailEvent[]; next: Cursor | null }> {
  const where = ['c.orgId = @orgId', "c.docType = 'event'", 'NOT IS_DEFINED(c.purging)'];
  const parameters: SqlParameter[] = [{ name: '@orgId', value: retailerId }];
  const add = (clause: string, name: string, value: SqlParameter['value']) => {
    where.push(clause);
    parameters.push({ name, value });
  };
  if (filter.storeId) add('c.storeId = @storeId', '@storeId', filter.storeId);
  if (filter.storeScope) add('ARRAY_CONTAINS(@scope, c.storeId)', '@scope', filter.storeScope);
  if (!filter.includeSensitive) where.push('c.sensitive = false');
  if (filter.type) add('c.type = @type', '@type', filter.type);
  if (filter.from) add('c.occurredAtUtc >= @from', '@from', toUtc(filter.from));
  if (filter.to) add('c.occurredAtUtc <= @to', '@to', toUtc(filter.to));
  if (filter.profileId) add('ARRAY_CONTAINS(c.profileIds, @profileId)', '@profileId', filter.profileId);
  if (after) {
    where.push('(c.occurredAtUtc < @afterT OR (c.occurredAtUtc = @afterT AND c.id < @afterId))');
    parameters.push({ name: '@afterT', value: after.t }, { name: '@afterId', value: after.id });
  }
  const query = `SELECT TOP ${pageSize + 1} * FROM c WHERE ${where.join(' AND ')} ORDER BY c.occurredAtUtc DESC, c.id DESC`;
  const { resources } = await container('events')
    .items.query({ query, parameters }, inOrganisation('events', retailerId, { maxItemCount: pageSize + 1 }))
    .fetchAll();
  const docs = resources ?? [];
  const page = docs.slice(0, pageSize);
  const last = page.at(-1);
  return {
    items: page.map(fromDoc),
    next: docs.length > pageSize && last ? { t: last.occurredAtUtc, id: last.id } : null,
  };
}

export interface PoliceFilter {
  agencyId: string;
  jurisdictions: string[];
  /** Retailers whose default sharing is `all`. */
  allRetailers: string[];
  type?: string;
  from?: string;
  to?: string;
  storeId?: string;
  profileId?: string;
}

/**
 * Candidates for an agency's list, across retailers, newest first: only events whose own
 * mode or whose store's jurisdiction or retailer default could share them. The visibility
 * rule then has the last word on each (a retailer's default may be `none`).
 */
export async function queryPoliceCandidates(filter: PoliceFilter, pageSize: number, after?: Cursor) {
  const where = [
    "c.docType = 'event'",
    'NOT IS_DEFINED(c.purging)',
    "c.policeSharing.mode != 'internal'",
    "NOT (c.sensitive = true AND c.policeSharing.mode = 'default')",
    'NOT ARRAY_CONTAINS(c.policeSharing.excludeAgencies, @agency)',
    "(ARRAY_CONTAINS(@jurisdictions, c.storeJurisdiction) OR c.policeSharing.mode = 'all' OR (c.policeSharing.mode = 'default' AND ARRAY_CONTAINS(@allRetailers, c.orgId)))",
  ];
  const parameters: SqlParameter[] = [
    { name: '@agency', value: filter.agencyId },
    { name: '@jurisdictions', value: filter.jurisdictions },
    { name: '@allRetailers', value: filter.allRetailers },
  ];
  const add = (clause: string, name: string, value: string) => {
    where.push(clause);
    parameters.push({ name, value });
  };
  if (filter.type) add('c.type = @type', '@type', filter.type);
  if (filter.storeId) add('c.storeId = @storeId', '@storeId', filter.storeId);
  if (filter.from) add('c.occurredAtUtc >= @from', '@from', toUtc(filter.from));
  if (filter.to) add('c.occurredAtUtc <= @to', '@to', toUtc(filter.to));
  if (filter.profileId) add('ARRAY_CONTAINS(c.profileIds, @profileId)', '@profileId', filter.profileId);
  if (after) {
    where.push('(c.occurredAtUtc < @afterT OR (c.occurredAtUtc = @afterT AND c.id < @afterId))');
    parameters.push({ name: '@afterT', value: after.t }, { name: '@afterId', value: after.id });
  }
  const query = `SELECT TOP ${pageSize} * FROM c WHERE ${where.join(' AND ')} ORDER BY c.occurredAtUtc DESC, c.id DESC`;
  const { resources } = await container('events').items.query<EventDoc>({ query, parameters }, { maxItemCount: pageSize }).fetchAll();
  return (resources ?? []).map(versioned);
}
