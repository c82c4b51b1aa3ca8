import { accessTo } from '../domain/sharing';
import { normalisePlate } from '../domain/events/plates';
import type { RetailEvent } from '../domain/events/event-schema';
import { canonicalPlate, plateIndexId } from '../domain/lpr/plate-index';
import { auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { readBatch, MAX_BATCH_OPERATIONS } from '../adapters/cosmos-batch';
import { versioned, type EventDoc } from '../events/event-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getSettings } from '../orgs/org-repository';
import { agreementIsActive, listAgreementsOf } from '../sharing/agreement-repository';
import { viewerOf } from '../sharing/event-access';
import { findPlateIndexesAnywhere, readPlateIndexes, type PlateIndexDoc } from './plate-index-repository';

/**
 * A vehicle enquiry (PRODUCT §6): the events with this exact plate that the caller may see,
 * newest first. Candidates come from the plate index: for a retailer's Investigator its own
 * partition and its active partners' (point reads); for a police officer, who does not know the
 * owners, one id query across partitions. Each event is then read and passed through the one
 * visibility rule (`accessTo`), and every owner whose events were shown gets an entry in its
 * chain. At most MAX_PLATE_ENTRIES newest events per owner (the index's bound).
 */
export async function vehicleEvents(caller: Caller, rawPlate: string): Promise<{ items: RetailEvent[] }> {
  const plate = normalisePlate(rawPlate);
  const indexId = plateIndexId(canonicalPlate(plate));
  await authorizeAudited(caller, 'vehicle.read', await callerOrgType(caller), { type: 'vehicle', id: indexId });
  const viewer = await viewerOf(caller);
  let docs: PlateIndexDoc[] = [];
  if (viewer.org?.type === 'agency') docs = await findPlateIndexesAnywhere(indexId);
  else if (viewer.org?.type === 'retailer') {
    const agreements = await listAgreementsOf(viewer.org.id);
    const owners = [viewer.org.id, ...agreements.filter((a) => a.status === 'active').flatMap((a) => a.parties.filter((p) => p !== viewer.org!.id))];
    docs = (await Promise.all(owners.map((o) => readPlateIndexes(o, [indexId])))).flatMap((m) => [...m.values()]);
  }

  const items: RetailEvent[] = [];
  const shown = new Map<string, { relation: string; eventIds: string[] }>();
  for (const doc of docs) {
    const owner = doc.orgId;
    const ids = [...new Set(doc.entries.filter((e) => e.plate === plate).map((e) => e.eventId))].slice(0, MAX_BATCH_OPERATIONS);
    if (ids.length === 0) continue;
    const [events, { settings }, activeAgreement] = await Promise.all([
      readBatch<EventDoc>('events', owner, ids),
      getSettings(owner),
      viewer.org?.type === 'retailer' && viewer.org.id !== owner ? agreementIsActive(viewer.org.id, owner) : Promise.resolve(false),
    ]);
    for (const doc of events) {
      if (!doc || doc.docType !== 'event' || doc.purging) continue;
      const { event, storeJurisdiction } = versioned(doc);
      const access = accessTo(viewer, { event, storeJurisdiction, retailerPoliceSharing: settings.policeSharing, activeAgreement });
      if (!access) continue;
      items.push(event);
      const entry = shown.get(owner) ?? { relation: access.relation, eventIds: [] };
      entry.eventIds.push(event.id);
      shown.set(owner, entry);
    }
  }
  for (const [owner, { relation, eventIds }] of shown) {
    await auditFor(caller, owner, {
      action: 'vehicle.events',
      target: { type: 'vehicle', id: indexId },
      details: { relation, count: eventIds.length, eventIds },
    });
  }
  // The enquiry itself lands in the caller's own chain too, found or not (ids only).
  if (caller.principal.orgId && viewer.org && !shown.has(viewer.org.id)) {
    await auditFor(caller, viewer.org.id, {
      action: 'vehicle.events',
      target: { type: 'vehicle', id: indexId },
      details: { count: items.length, eventIds: items.map((e) => e.id) },
    });
  }
  items.sort((a, b) => Date.parse(b.occurredAt) - Date.parse(a.occurredAt) || b.id.localeCompare(a.id));
  return { items };
}
