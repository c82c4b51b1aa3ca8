import { accessTo, type Viewer } from '../domain/sharing';
import { decodeCursor, encodeCursor, type Cursor, type EventListQuery } from '../domain/events/event-list';
import type { RetailEvent } from '../domain/events/event-schema';
import type { RetailerSettings } from '../domain/retailer-settings';
import { auditFor, type AuditOf, type Caller } from '../audit/audited-authorize';
import { queryPoliceCandidates, type PoliceFilter } from '../events/event-query-repository';
import { policeSharingOf, retailersSharingWithAll } from '../orgs/org-repository';

/** What the police listing reads: the repositories in the app, events in memory in unit tests of this logic. */
export interface PoliceListingStore {
  /** Retailers whose default police sharing is `all`. */
  retailersSharingWithAll(): Promise<string[]>;
  /** At most `pageSize` events some rule could share with the agency, newest first, after a page's last. */
  queryPoliceCandidates(filter: PoliceFilter, pageSize: number, after?: Cursor): Promise<{ event: RetailEvent; storeJurisdiction: string }[]>;
  /** A retailer's default police sharing. */
  policeSharingOf(retailerId: string): Promise<RetailerSettings['policeSharing']>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: PoliceListingStore = {
  retailersSharingWithAll,
  queryPoliceCandidates,
  policeSharingOf,
  audit: auditFor,
};

/** The events shared with a police officer's agency (PRODUCT §5), over a store. */
export function policeListing(store: PoliceListingStore) {
  /**
   * The events shared with a police officer's agency, newest first, in pages. Candidates come
   * from one query that only matches events some rule could share; each is then checked with
   * the visibility rule. Every retailer whose events were shown gets an entry in its chain.
   */
  return async function listSharedWithAgency(
    caller: Caller,
    viewer: Viewer,
    query: EventListQuery,
  ): Promise<{ items: RetailEvent[]; continuationToken: string | null }> {
    const agency = viewer.org!;
    const filter = { ...query, agencyId: agency.id, jurisdictions: agency.jurisdictions, allRetailers: await store.retailersSharingWithAll() };
    const defaults = new Map<string, RetailerSettings['policeSharing']>();
    const items: RetailEvent[] = [];
    let cursor = query.continuationToken ? decodeCursor(query.continuationToken) : undefined;
    let exhausted = false;
    while (items.length < query.pageSize && !exhausted) {
      const batch = await store.queryPoliceCandidates(filter, query.pageSize + 1, cursor);
      exhausted = batch.length <= query.pageSize;
      for (const candidate of batch) {
        if (items.length === query.pageSize) {
          exhausted = false;
          break;
        }
        cursor = { t: new Date(candidate.event.occurredAt).toISOString(), id: candidate.event.id };
        const retailer = candidate.event.retailerId;
        if (!defaults.has(retailer)) defaults.set(retailer, await store.policeSharingOf(retailer));
        const facts = { event: candidate.event, storeJurisdiction: candidate.storeJurisdiction, retailerPoliceSharing: defaults.get(retailer)!, activeAgreement: false };
        if (accessTo(viewer, facts)) items.push(candidate.event);
      }
    }
    const byRetailer = new Map<string, string[]>();
    for (const e of items) byRetailer.set(e.retailerId, [...(byRetailer.get(e.retailerId) ?? []), e.id]);
    for (const [retailerId, eventIds] of byRetailer) {
      await store.audit(caller, retailerId, {
        action: 'event.list',
        target: { type: 'event', id: '*' },
        details: { relation: 'police', count: eventIds.length, eventIds },
      });
    }
    return { items, continuationToken: !exhausted && cursor ? encodeCursor(cursor) : null };
  };
}

export const listSharedWithAgency = policeListing(cosmosRecords);
