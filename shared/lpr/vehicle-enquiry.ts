import { accessTo, type Agreement, type Viewer } from '../domain/sharing';
import { normalisePlate } from '../domain/events/plates';
import type { RetailEvent } from '../domain/events/event-schema';
import type { RetailerSettings } from '../domain/retailer-settings';
import { canonicalPlate, plateIndexId } from '../domain/lpr/plate-index';
import { auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { MAX_BATCH_OPERATIONS } from '../adapters/cosmos-batch';
import { readEvents, type VersionedEvent } from '../events/event-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { policeSharingOf } from '../orgs/org-repository';
import { agreementIsActive, listAgreementsOf } from '../sharing/agreement-repository';
import { viewerOf } from '../sharing/event-access';
import { findPlateIndexesAnywhere, readPlateIndexes, type PlateIndexDoc } from './plate-index-repository';

/** What a vehicle enquiry reads: the repositories in the app, an index and events in memory in unit tests of this logic. */
export interface VehicleEnquiryStore {
  /** Refuses (audited) a caller who may not make vehicle enquiries. */
  authorize(caller: Caller, indexId: string): Promise<void>;
  viewerOf(caller: Caller): Promise<Viewer>;
  /** The plate document with this id in every retailer's partition (police do not know the owners). */
  findPlateIndexesAnywhere(indexId: string): Promise<PlateIndexDoc[]>;
  /** The plate document with this id in one retailer's partition. */
  readPlateIndex(retailerId: string, indexId: string): Promise<PlateIndexDoc | undefined>;
  listAgreementsOf(retailerId: string): Promise<Agreement[]>;
  agreementIsActive(a: string, b: string): Promise<boolean>;
  /** Several events of one retailer, in the order of `ids` (undefined: none). */
  readEvents(retailerId: string, ids: readonly string[]): Promise<(VersionedEvent | undefined)[]>;
  /** A retailer's default police sharing. */
  policeSharingOf(retailerId: string): Promise<RetailerSettings['policeSharing']>;
  audit(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: VehicleEnquiryStore = {
  authorize: async (caller, indexId) => authorizeAudited(caller, 'vehicle.read', await callerOrgType(caller), { type: 'vehicle', id: indexId }),
  viewerOf,
  findPlateIndexesAnywhere,
  readPlateIndex: async (retailerId, indexId) => (await readPlateIndexes(retailerId, [indexId])).get(indexId),
  listAgreementsOf,
  agreementIsActive,
  readEvents,
  policeSharingOf,
  audit: auditFor,
};

/** Vehicle enquiries (PRODUCT §6), over a store. */
export function vehicleEnquiry(store: VehicleEnquiryStore) {
  /**
   * A vehicle enquiry (PRODUCT §6): the events with this exact plate that the caller may see,
   * newest first. Candidates come from the plate index: for a retailer's Investigator its own
   * partition and its active partners' (point reads); for a police officer, who does not know the
   * owners, one id query across partitions. Each event is then read and passed through the one
   * visibility rule (`accessTo`), and every owner whose events were shown gets an entry in its
   * chain. At most MAX_PLATE_ENTRIES newest events per owner (the index's bound).
   */
  return async function vehicleEvents(caller: Caller, rawPlate: string): Promise<{ items: RetailEvent[] }> {
    const plate = normalisePlate(rawPlate);
    const indexId = plateIndexId(canonicalPlate(plate));
    await store.authorize(caller, indexId);
    const viewer = await store.viewerOf(caller);
    let docs: PlateIndexDoc[] = [];
    if (viewer.org?.type === 'agency') docs = await store.findPlateIndexesAnywhere(indexId);
    else if (viewer.org?.type === 'retailer') {
      const agreements = await store.listAgreementsOf(viewer.org.id);
      const owners = [viewer.org.id, ...agreements.filter((a) => a.status === 'active').flatMap((a) => a.parties.filter((p) => p !== viewer.org!.id))];
      docs = (await Promise.all(owners.map((o) => store.readPlateIndex(o, indexId)))).filter((d): d is PlateIndexDoc => d !== undefined);
    }

    const items: RetailEvent[] = [];
    const shown = new Map<string, { relation: string; eventIds: string[] }>();
    for (const doc of docs) {
      const owner = doc.orgId;
      const ids = [...new Set(doc.entries.filter((e) => e.plate === plate).map((e) => e.eventId))].slice(0, MAX_BATCH_OPERATIONS);
      if (ids.length === 0) continue;
      const [events, policeSharing, activeAgreement] = await Promise.all([
        store.readEvents(owner, ids),
        store.policeSharingOf(owner),
        viewer.org?.type === 'retailer' && viewer.org.id !== owner ? store.agreementIsActive(viewer.org.id, owner) : Promise.resolve(false),
      ]);
      for (const found of events) {
        if (!found || found.purging) continue;
        const { event, storeJurisdiction } = found;
        const access = accessTo(viewer, { event, storeJurisdiction, retailerPoliceSharing: policeSharing, activeAgreement });
        if (!access) continue;
        items.push(event);
        const entry = shown.get(owner) ?? { relation: access.relation, eventIds: [] };
        entry.eventIds.push(event.id);
        shown.set(owner, entry);
      }
    }
    for (const [owner, { relation, eventIds }] of shown) {
      await store.audit(caller, owner, {
        action: 'vehicle.events',
        target: { type: 'vehicle', id: indexId },
        details: { relation, count: eventIds.length, eventIds },
      });
    }
    // The enquiry itself lands in the caller's own chain too, found or not (ids only).
    if (caller.principal.orgId && viewer.org && !shown.has(viewer.org.id)) {
      await store.audit(caller, viewer.org.id, {
        action: 'vehicle.events',
        target: { type: 'vehicle', id: indexId },
        details: { count: items.length, eventIds: items.map((e) => e.id) },
      });
    }
    items.sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.id.localeCompare(a.id));
    return { items };
  };
}

export const vehicleEvents = vehicleEnquiry(cosmosRecords);
