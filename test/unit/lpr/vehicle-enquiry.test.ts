import { vehicleEnquiry, type VehicleEnquiryStore } from '../../../shared/lpr/vehicle-enquiry';
import type { PlateIndexDoc } from '../../../shared/lpr/plate-index-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { RetailerSettings } from '../../../shared/domain/retailer-settings';
import { canonicalPlate, plateIndexId } from '../../../shared/domain/lpr/plate-index';
import type { Org, OrgType } from '../../../shared/domain/organisation';
import type { Agreement, Viewer } from '../../../shared/domain/sharing';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * A vehicle enquiry over a plate index and events in memory: the exact plate only (not an
 * OCR-similar one the index shares a document with), a retailer's own events and its active
 * partners' non-sensitive ones, what the police may see by each owner's sharing, events being
 * purged left out, newest first, and the enquiry in each shown owner's chain and the caller's
 * own. The same against the emulator in test/integration/app/lpr*.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', partner: 'retailer', stranger: 'retailer', police: 'agency' };
const PLATE = 'ABC123';
const INDEX = plateIndexId(canonicalPlate(PLATE));

class Records implements VehicleEnquiryStore {
  events = new Map<string, VersionedEvent>();
  index = new Map<string, PlateIndexDoc>();
  agreements: Agreement[] = [];
  sharing: Record<string, RetailerSettings['policeSharing']> = { shop: 'jurisdiction', partner: 'none', stranger: 'all' };
  audited: { orgId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = (caller: Caller, indexId: string) => this.table.check(caller, 'vehicle.read', indexId);
  viewerOf = (caller: Caller): Promise<Viewer> => {
    const id = caller.principal.orgId!;
    return Promise.resolve({ principal: caller.principal, org: { id, type: ORG_TYPES[id]!, name: id, jurisdictions: ['NZ-AUK'], createdAt: '', createdBy: '', status: 'active' } as Org });
  };
  findPlateIndexesAnywhere = (indexId: string) => Promise.resolve([...this.index.values()].filter((d) => d.id === indexId).map((d) => structuredClone(d)));
  readPlateIndex = (retailerId: string, indexId: string) => Promise.resolve(structuredClone(this.index.get(`${retailerId}/${indexId}`)));
  listAgreementsOf = (retailerId: string) => Promise.resolve(this.agreements.filter((a) => a.parties.includes(retailerId)));
  agreementIsActive = (a: string, b: string) => Promise.resolve(this.agreements.some((x) => x.status === 'active' && x.parties.includes(a) && x.parties.includes(b)));
  readEvents = (retailerId: string, ids: readonly string[]) => Promise.resolve(ids.map((id) => structuredClone(this.events.get(`${retailerId}/${id}`))));
  policeSharingOf = (retailerId: string) => Promise.resolve(this.sharing[retailerId] ?? 'jurisdiction');
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };

  /** An event with a vehicle, and its entry in the owner's plate document. */
  add(owner: string, n: number, plate = PLATE, more: { sensitive?: boolean; purging?: boolean; jurisdiction?: string } = {}): void {
    const id = `event-${owner}-${n}`;
    const occurredAt = new Date(Date.UTC(2026, 10, 1, 9, n)).toISOString();
    const event = { id, retailerId: owner, storeId: 's1', occurredAt, sensitive: more.sensitive ?? false, policeSharing: { mode: 'default', excludeAgencies: [] }, people: [], vehicles: [{ plate }] } as unknown as RetailEvent;
    this.events.set(`${owner}/${id}`, { event, etag: '"1"', purging: more.purging ?? false, storeJurisdiction: more.jurisdiction ?? 'NZ-AUK' });
    const key = `${owner}/${INDEX}`;
    const doc = this.index.get(key) ?? { id: INDEX, orgId: owner, docType: 'plate-index' as const, entries: [], truncated: false };
    doc.entries.push({ eventId: id, plate, storeId: 's1', occurredAt, profileIds: [], violent: false, lossValue: 0, sensitive: more.sensitive ?? false });
    this.index.set(key, doc);
  }
}

const agreement = (a: string, b: string, status: Agreement['status']): Agreement => ({ id: `${a}.${b}`, parties: [a, b], proposedBy: a, partnerRetailerId: b, status, createdAt: '', acceptedAt: null, revokedAt: null, revokedBy: null });

function world() {
  const records = new Records();
  records.add('shop', 1);
  records.add('shop', 2, 'A8C123'); // an OCR-similar plate in the same index document
  records.add('shop', 3, PLATE, { sensitive: true });
  records.add('shop', 4, PLATE, { purging: true });
  records.add('partner', 5);
  records.add('partner', 6, PLATE, { sensitive: true });
  records.add('stranger', 7, PLATE, { jurisdiction: 'AU-NSW' });
  records.agreements = [agreement('shop', 'partner', 'active'), agreement('shop', 'stranger', 'revoked')];
  return { records, vehicleEvents: vehicleEnquiry(records) };
}

const ids = (r: { items: RetailEvent[] }) => r.items.map((e) => e.id);

describe('a vehicle enquiry over an index and events in memory', () => {
  it("a retailer's Investigator: its own events with the exact plate and its active partner's non-sensitive ones, newest first", async () => {
    const { vehicleEvents } = world();
    expect(ids(await vehicleEvents(callerAs('shop', 'Investigator'), 'abc 123'))).toEqual(['event-partner-5', 'event-shop-3', 'event-shop-1']);
  });

  it("the police: what each owner's sharing gives their agency, across owners they do not name", async () => {
    const { vehicleEvents } = world();
    // shop shares its jurisdiction (not its sensitive event), partner none, stranger all.
    expect(ids(await vehicleEvents(callerAs('police', 'PoliceOfficer'), 'ABC-123'))).toEqual(['event-stranger-7', 'event-shop-1']);
  });

  it("records the enquiry in each shown owner's chain with its relation and ids, and in the caller's own", async () => {
    const { records, vehicleEvents } = world();
    await vehicleEvents(callerAs('police', 'PoliceOfficer'), 'ABC123');
    expect(records.audited.map((a) => [a.orgId, a.entry.details])).toEqual([
      ['shop', { relation: 'police', count: 1, eventIds: ['event-shop-1'] }],
      ['stranger', { relation: 'police', count: 1, eventIds: ['event-stranger-7'] }],
      // In the order the owners were read (the answer is sorted after).
      ['police', { count: 2, eventIds: ['event-shop-1', 'event-stranger-7'] }],
    ]);
    expect(new Set(records.audited.map((a) => a.entry.target.id))).toEqual(new Set([INDEX]));
  });

  it('a plate nobody has is an empty answer, still recorded in the caller\'s chain', async () => {
    const { records, vehicleEvents } = world();
    expect(ids(await vehicleEvents(callerAs('shop', 'Investigator'), 'ZZZ999'))).toEqual([]);
    expect(records.audited).toEqual([{ orgId: 'shop', entry: expect.objectContaining({ details: { count: 0, eventIds: [] } }) }]);
  });

  it('asks the one table: a Reporter may not enquire, and nothing is read or recorded', async () => {
    const { records, vehicleEvents } = world();
    await expect(vehicleEvents(callerAs('shop', 'Reporter'), PLATE)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited).toEqual([]);
    expect(records.table.asked).toEqual([`vehicle.read ${INDEX}`]);
  });
});
