import { accessTo, type Viewer } from '../domain/sharing';
import { decodeCursor, encodeCursor, type EventListQuery } from '../domain/events/event-list';
import type { RetailEvent } from '../domain/events/event-schema';
import { auditFor, type Caller } from '../audit/audited-authorize';
import { queryPoliceCandidates } from '../events/event-query-repository';
import { getSettings, retailersSharingWithAll } from '../orgs/org-repository';

/**
 * The events shared with a police officer's agency, newest first, in pages. Candidates come
 * from one query that only matches events some rule could share; each is then checked with
 * the visibility rule. Every retailer whose events were shown gets an entry in its chain.
 */
export async function listSharedWithAgency(
  caller: Caller,
  viewer: Viewer,
  query: EventListQuery,
): Promise<{ items: RetailEvent[]; continuationToken: string | null }> {
  const agency = viewer.org!;
  const filter = { ...query, agencyId: agency.id, jurisdictions: agency.jurisdictions, allRetailers: await retailersSharingWithAll() };
  const defaults = new Map<string, Awaited<ReturnType<typeof getSettings>>['settings']['policeSharing']>();
  const items: RetailEvent[] = [];
  let cursor = query.continuationToken ? decodeCursor(query.continuationToken) : undefined;
  let exhausted = false;
  while (items.length < query.pageSize && !exhausted) {
    const batch = await queryPoliceCandidates(filter, query.pageSize + 1, cursor);
    exhausted = batch.length <= query.pageSize;
    for (const candidate of batch) {
      if (items.length === query.pageSize) {
        exhausted = false;
        break;
      }
      cursor = { t: new Date(candidate.event.occurredAt).toISOString(), id: candidate.event.id };
      const retailer = candidate.event.retailerId;
      if (!defaults.has(retailer)) defaults.set(retailer, (await getSettings(retailer)).settings.policeSharing);
      const facts = { event: candidate.event, storeJurisdiction: candidate.storeJurisdiction, retailerPoliceSharing: defaults.get(retailer)!, activeAgreement: false };
      if (accessTo(viewer, facts)) items.push(candidate.event);
    }
  }
  const byRetailer = new Map<string, string[]>();
  for (const e of items) byRetailer.set(e.retailerId, [...(byRetailer.get(e.retailerId) ?? []), e.id]);
  for (const [retailerId, eventIds] of byRetailer) {
    await auditFor(caller, retailerId, {
      action: 'event.list',
      target: { type: 'event', id: '*' },
      details: { relation: 'police', count: eventIds.length, eventIds },
    });
  }
  return { items, continuationToken: !exhausted && cursor ? encodeCursor(cursor) : null };
}
