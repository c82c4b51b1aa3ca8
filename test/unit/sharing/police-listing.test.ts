import { policeListing, type PoliceListingStore } from '../../../shared/sharing/police-listing';
import type { PoliceFilter } from '../../../shared/events/event-query-repository';
import type { Cursor } from '../../../shared/domain/events/event-list';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { RetailerSettings } from '../../../shared/domain/retailer-settings';
import type { Org } from '../../../shared/domain/organisation';
import type { Viewer } from '../../../shared/domain/sharing';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { callerAs } from '../support/caller';

/**
 * The police listing over events in memory: the candidate query's superset narrowed by the one
 * visibility rule (an event's own mode, its retailer's default, an excluded agency, a sensitive
 * event that never inherits a default), pages that neither lose nor repeat an event however the
 * candidates fall, each retailer's default read once, and each retailer shown recorded with its own
 * events. The same against the emulator in test/integration/app/police-*.test.ts.
 */
type Mode = 'default' | 'none' | 'internal' | 'jurisdiction' | 'all';

class Records implements PoliceListingStore {
  events: { event: RetailEvent; storeJurisdiction: string }[] = [];
  defaults: Record<string, RetailerSettings['policeSharing']> = { shopA: 'jurisdiction', shopB: 'all', shopC: 'none' };
  settingsRead: string[] = [];
  queries = 0;
  audited: { orgId: string; entry: AuditOf }[] = [];

  retailersSharingWithAll = () => Promise.resolve(Object.entries(this.defaults).filter(([, m]) => m === 'all').map(([id]) => id));
  /** Like the query: only what some rule could share (a superset the rule then narrows), newest first, after the cursor. */
  filters: PoliceFilter[] = [];
  queryPoliceCandidates = (filter: PoliceFilter, pageSize: number, after?: Cursor) => {
    this.queries++;
    this.filters.push(filter);
    const could = this.events.filter(({ event: e }) => e.policeSharing.mode !== 'internal' && !e.policeSharing.excludeAgencies.includes(filter.agencyId));
    const after_ = could.filter(({ event: e }) => !after || e.occurredAt < after.t || (e.occurredAt === after.t && e.id < after.id));
    return Promise.resolve(structuredClone(after_.sort((a, b) => (b.event.occurredAt === a.event.occurredAt ? (b.event.id < a.event.id ? -1 : 1) : b.event.occurredAt < a.event.occurredAt ? -1 : 1)).slice(0, pageSize)));
  };
  policeSharingOf = (retailerId: string) => {
    this.settingsRead.push(retailerId);
    return Promise.resolve(this.defaults[retailerId] ?? 'jurisdiction');
  };
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };

  /** `id` is short for the test; the stored id is a valid one ("event-a1"), as continuation tokens require. */
  add(id: string, retailerId: string, minute: number, mode: Mode, jurisdiction = 'NZ-AUK', more: { sensitive?: boolean; excludeAgencies?: string[] } = {}): void {
    const event = {
      id: `event-${id}`,
      retailerId,
      storeId: 's1',
      occurredAt: new Date(Date.UTC(2026, 10, 1, 9, minute)).toISOString(),
      sensitive: more.sensitive ?? false,
      policeSharing: { mode, excludeAgencies: more.excludeAgencies ?? [] },
    } as unknown as RetailEvent;
    this.events.push({ event, storeJurisdiction: jurisdiction });
  }
}

const agency: Org = { id: 'police', type: 'agency', name: 'Auckland Police', jurisdictions: ['NZ-AUK'], createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin', status: 'active' };
const caller = callerAs('police', 'PoliceOfficer');
const viewer: Viewer = { principal: caller.principal, org: agency };
const short = (e: RetailEvent) => e.id.replace(/^event-/, '');
const query = (pageSize: number, continuationToken?: string) => ({ pageSize, ...(continuationToken ? { continuationToken } : {}) });

function world() {
  const records = new Records();
  records.add('a1', 'shopA', 1, 'default'); // shopA shares its jurisdiction: shown
  records.add('a2', 'shopA', 2, 'default', 'NZ-WGN'); // another district: not shown
  records.add('a3', 'shopA', 3, 'default', 'NZ-AUK', { sensitive: true }); // sensitive never inherits a default
  records.add('a4', 'shopA', 4, 'all', 'NZ-WGN'); // its own mode says all: shown
  records.add('b1', 'shopB', 5, 'default', 'NZ-CAN'); // shopB shares with every agency: shown
  records.add('b2', 'shopB', 6, 'default', 'NZ-CAN', { excludeAgencies: ['police'] }); // this agency excluded
  records.add('c1', 'shopC', 7, 'default'); // shopC shares with none
  records.add('c2', 'shopC', 8, 'jurisdiction'); // its own mode: shown
  records.add('c3', 'shopC', 9, 'internal');
  records.add('c4', 'shopC', 10, 'none');
  return { records, listSharedWithAgency: policeListing(records) };
}

describe('the events shared with an agency, over events in memory', () => {
  it('shows exactly what the one rule shares, newest first', async () => {
    const { listSharedWithAgency } = world();
    const page = await listSharedWithAgency(caller, viewer, query(50));
    expect(page.items.map(short)).toEqual(['c2', 'b1', 'a4', 'a1']);
    expect(page.continuationToken).toBeNull();
  });

  it("asks the query with the agency, its jurisdictions, the retailers sharing with all and the caller's filters", async () => {
    const { records, listSharedWithAgency } = world();
    await listSharedWithAgency(caller, viewer, { pageSize: 5, type: 'theft', storeId: 's1' });
    expect(records.filters[0]).toEqual({ pageSize: 5, type: 'theft', storeId: 's1', agencyId: 'police', jurisdictions: ['NZ-AUK'], allRetailers: ['shopB'] });
  });

  it('pages neither lose nor repeat an event, whatever the page size and however many candidates are not shown', async () => {
    for (const size of [1, 2, 3]) {
      const { listSharedWithAgency } = world();
      const seen: string[] = [];
      let token: string | undefined;
      for (let n = 0; n < 10; n++) {
        const page = await listSharedWithAgency(caller, viewer, query(size, token));
        seen.push(...page.items.map(short));
        if (!page.continuationToken) break;
        token = page.continuationToken;
      }
      expect(seen).toEqual(['c2', 'b1', 'a4', 'a1']);
    }
  });

  it("reads each retailer's default once a page, and records the page in each shown retailer's chain with its own events", async () => {
    const { records, listSharedWithAgency } = world();
    await listSharedWithAgency(caller, viewer, query(50));
    expect([...records.settingsRead].sort()).toEqual(['shopA', 'shopB', 'shopC']);
    expect(new Set(records.audited.map((a) => `${a.entry.action} ${a.entry.target.type}:${a.entry.target.id}`))).toEqual(new Set(['event.list event:*']));
    expect(records.audited.map((a) => [a.orgId, a.entry.details])).toEqual([
      ['shopC', { relation: 'police', count: 1, eventIds: ['event-c2'] }],
      ['shopB', { relation: 'police', count: 1, eventIds: ['event-b1'] }],
      ['shopA', { relation: 'police', count: 2, eventIds: ['event-a4', 'event-a1'] }],
    ]);
  });

  it('an agency nothing is shared with gets an empty page and no entry in anyone\'s chain', async () => {
    const { records, listSharedWithAgency } = world();
    const elsewhere: Org = { ...agency, id: 'police2', jurisdictions: ['AU-NSW'] };
    const page = await listSharedWithAgency(callerAs('police2', 'PoliceOfficer'), { principal: callerAs('police2', 'PoliceOfficer').principal, org: elsewhere }, query(10));
    expect(page.items.map(short)).toEqual(['b2', 'b1', 'a4']); // the exclusion was of the other agency
    records.defaults.shopB = 'jurisdiction';
    records.events = records.events.filter((e) => e.event.id !== 'event-b2');
    records.events = records.events.filter((e) => e.event.id !== 'event-a4');
    const none = await policeListing(records)(callerAs('police2', 'PoliceOfficer'), { principal: callerAs('police2', 'PoliceOfficer').principal, org: elsewhere }, query(10));
    expect(none).toEqual({ items: [], continuationToken: null });
    expect(records.audited.map((a) => a.orgId)).toEqual(['shopB', 'shopA']);
  });
});
