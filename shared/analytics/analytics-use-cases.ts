import { liveEvents, PAGE, type LiveFacts } from './live-event-repository';
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
import { authorizeAudited, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { aggregatesBetween, type AggregateDoc } from '../retention/aggregate-repository';
import { isRepeatEvent } from './repeat-offenders';
import { repeatProfiles } from '../events/profile-repository';

export interface AnalyticsReply {
  from: string;
  to: string;
  groupBy: GroupBy;
  groups: GroupFigures[];
  totals: Omit<GroupFigures, 'key'>;
}

/** What analytics reads: the repositories in the app, in-memory events and aggregates in unit tests of this logic. */
export interface AnalyticsStore {
  /** Refuses (audited) a caller who may not read the retailer's analytics. */
  authorize(caller: Caller, orgId: string): Promise<void>;
  /** At most `pageSize` of the retailer's live events in the range, newest first, after a page's last (keyset paging). */
  liveEvents(orgId: string, range: { from: string; to: string }, after?: { t: string; id: string }): Promise<LiveFacts[]>;
  pageSize: number;
  /** Which of these profiles hold more than one event. */
  repeatProfiles(orgId: string, profileIds: Iterable<string>): Promise<Set<string>>;
  /** The anonymous aggregates retention left, per UTC day from `fromDay` to `toDay`. */
  aggregatesBetween(orgId: string, fromDay: string, toDay: string): AsyncIterable<Pick<AggregateDoc, 'day' | 'rows'>>;
}

const cosmosRecords: AnalyticsStore = {
  authorize: async (caller, orgId) => authorizeAudited(caller, 'analytics.read', await callerOrgType(caller), { type: 'analytics', id: orgId }),
  liveEvents,
  pageSize: PAGE,
  repeatProfiles,
  aggregatesBetween: (orgId, fromDay, toDay) => aggregatesBetween(orgId, fromDay, toDay),
};

/**
 * Figures over the retailer's live events in the range plus the anonymous aggregates the
 * retention sweep left for it, both through the same contribution rule, so purging an event
 * changes no figure. Sensitive events count: the answer holds counts and sums only, never a
 * person. Live events are read a page at a time (a keyset query in the retailer's partition,
 * only the fields analytics needs) and folded into per-group sums, so memory follows the
 * number of groups, not of events. No audit entry: nothing personal is read out.
 */
export function analyticsUseCases(store: AnalyticsStore) {
  return async function analytics(caller: Caller, query: AnalyticsQuery, now = new Date()): Promise<AnalyticsReply> {
    const orgId = caller.principal.orgId ?? '';
    await store.authorize(caller, orgId);
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
      const page = await store.liveEvents(orgId, range, after);
      const repeat = await store.repeatProfiles(orgId, page.flatMap((e) => e.profileIds));
      for (const e of page) add(contributionOf(e, isRepeatEvent(e.profileIds, repeat)));
      if (page.length < store.pageSize) break;
      const last = page.at(-1)!;
      after = { t: last.occurredAtUtc, id: last.id };
    }
    for await (const doc of store.aggregatesBetween(orgId, range.from.slice(0, 10), range.to.slice(0, 10))) {
      for (const row of doc.rows) if (rowInRange(doc.day, row, range)) add(row);
    }
    const [all] = totals.result();
    const { key: _, ...total } = all ?? totals.empty();
    return { from: range.from, to: range.to, groupBy: query.groupBy, groups: groups.result(), totals: total };
  };
}

export const analytics = analyticsUseCases(cosmosRecords);
