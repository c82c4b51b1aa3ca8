import { eventReads, type EventReadStore } from '../../../shared/events/read-events';
import type { EventFilter } from '../../../shared/events/event-query-repository';
import type { VisibleEvent } from '../../../shared/sharing/event-access';
import type { Cursor, EventListQuery } from '../../../shared/domain/events/event-list';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { Org, OrgType } from '../../../shared/domain/organisation';
import type { Viewer } from '../../../shared/domain/sharing';
import type { Action } from '../../../shared/domain/authorization';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ForbiddenError, NotFoundError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Reading events over records in memory: one event by whoever may see it with its evidence and
 * the read in the owner's chain, and a page of a retailer's own events filtered by the caller's
 * store scope and sensitivity, or for police the agency's listing. The same against the emulator
 * in test/integration/app/events*.test.ts.
 */
const ORG_TYPES: Record<string, OrgType> = { shop: 'retailer', police: 'agency' };

class Records implements EventReadStore {
  events: RetailEvent[] = [];
  filters: EventFilter[] = [];
  agencyPages = 0;
  audited: { orgId: string; entry: AuditOf }[] = [];
  table = new TableAuthorizer((org) => ORG_TYPES[org]);

  authorize = async (caller: Caller, action: Action, id: string) => {
    await this.table.check(caller, action, id);
  };
  viewerOf = (caller: Caller): Promise<Viewer> => {
    const id = caller.principal.orgId!;
    const org = ORG_TYPES[id] ? ({ id, type: ORG_TYPES[id], name: id, jurisdictions: ['NZ-AUK'], createdAt: '', createdBy: '', status: 'active' } as Org) : undefined;
    return Promise.resolve({ principal: caller.principal, org });
  };
  /** Events shared with the police by id (the one rule is tested in event-access.test.ts). */
  sharedWithPolice = new Set<string>();
  loadVisibleEvent = (caller: Caller, id: string): Promise<VisibleEvent> => {
    const event = this.events.find((e) => e.id === id);
    const owner = event?.retailerId === caller.principal.orgId;
    if (!event || (!owner && !this.sharedWithPolice.has(id))) return Promise.reject(new NotFoundError());
    return Promise.resolve({ event: structuredClone(event), etag: '"7"', purging: false, storeJurisdiction: 'NZ-AUK', access: { relation: owner ? 'owner' : 'police', download: true, message: true, write: owner } });
  };
  listSharedWithAgency = (_caller: Caller, _viewer: Viewer, _query: EventListQuery) => {
    this.agencyPages++;
    return Promise.resolve({ items: [], continuationToken: null });
  };
  /** As the query: the retailer's events in scope, newest first, one page and where it ended. */
  queryEvents = (retailerId: string, filter: EventFilter, pageSize: number, after?: Cursor) => {
    this.filters.push(filter);
    const all = this.events
      .filter((e) => e.retailerId === retailerId && (!filter.storeScope || filter.storeScope.includes(e.storeId)) && (filter.includeSensitive || !e.sensitive))
      .filter((e) => !after || e.occurredAt < after.t || (e.occurredAt === after.t && e.id < after.id))
      .sort((a, b) => (a.occurredAt === b.occurredAt ? (a.id < b.id ? 1 : -1) : a.occurredAt < b.occurredAt ? 1 : -1));
    const items = all.slice(0, pageSize);
    const last = items.at(-1);
    return Promise.resolve({ items: structuredClone(items), next: all.length > pageSize && last ? { t: last.occurredAt, id: last.id } : null });
  };
  evidenceSummaries = (_retailerId: string, eventId: string) => Promise.resolve(eventId === 'event-0001' ? [{ id: 'ev1', kind: 'image' as const, status: 'ready' as const, sha256: null, size: null, mediaType: null, createdAt: '2026-11-01T09:02:00Z' }] : []);
  audit = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audited.push({ orgId, entry });
    return Promise.resolve();
  };

  add(n: number, storeId: string, sensitive = false): void {
    this.events.push({ id: `event-000${n}`, retailerId: 'shop', storeId, sensitive, type: 'theft', occurredAt: new Date(Date.UTC(2026, 10, 1, 9, n)).toISOString(), people: [], vehicles: [], products: [] } as unknown as RetailEvent);
  }
}

function world() {
  const records = new Records();
  records.add(1, 's1');
  records.add(2, 's2');
  records.add(3, 's1', true);
  records.add(4, 's1');
  return { records, ...eventReads(records) };
}

const investigator = callerAs('shop', 'Investigator');

describe('reading events over records in memory', () => {
  it("one event, with its evidence summarised and its ETag, the read recorded in the owner's chain", async () => {
    const { records, getEvent } = world();
    const reply = await getEvent(investigator, 'event-0001');
    expect(reply.etag).toBe('"7"');
    expect(reply.event.evidence).toMatchObject([{ id: 'ev1', kind: 'image', status: 'ready' }]);
    expect(records.audited).toEqual([{ orgId: 'shop', entry: expect.objectContaining({ action: 'event.read', target: { type: 'event', id: 'event-0001' }, details: expect.objectContaining({ relation: 'owner' }) }) }]);
  });

  it("a police officer's read of a shared event is recorded in the owner's chain, not the agency's, asked of the table by the event's id", async () => {
    const { records, getEvent } = world();
    records.sharedWithPolice.add('event-0002');
    await getEvent(callerAs('police', 'PoliceOfficer'), 'event-0002');
    expect(records.audited.map((a) => [a.orgId, a.entry.details])).toEqual([['shop', expect.objectContaining({ relation: 'police' })]]);
    expect(records.table.asked).toEqual(['event.read event-0002']);
  });

  it('a page of the own events, newest first, continuing where it ended, each page recorded with its ids', async () => {
    const { records, listEvents } = world();
    const first = await listEvents(investigator, { pageSize: 2 });
    const second = await listEvents(investigator, { pageSize: 2, continuationToken: first.continuationToken! });
    // An Investigator sees sensitive events (event-0003).
    expect([...first.items, ...second.items].map((e) => e.id)).toEqual(['event-0004', 'event-0003', 'event-0002', 'event-0001']);
    expect(second.continuationToken).toBeNull();
    expect(records.audited.map((a) => a.entry.details)).toEqual([
      { count: 2, eventIds: ['event-0004', 'event-0003'] },
      { count: 2, eventIds: ['event-0002', 'event-0001'] },
    ]);
  });

  it("a Reporter scoped to stores sees only those stores' events, and no sensitive event", async () => {
    const { records, listEvents } = world();
    const reporter: Caller = { ...callerAs('shop', 'Reporter'), principal: { ...callerAs('shop', 'Reporter').principal, stores: ['s1'] } };
    expect((await listEvents(reporter, { pageSize: 10 })).items.map((e) => e.id)).toEqual(['event-0004', 'event-0001']);
    expect(records.filters.at(-1)).toMatchObject({ storeScope: ['s1'], includeSensitive: false });
    // An Investigator has every store.
    await listEvents(investigator, { pageSize: 10, type: 'theft' });
    expect(records.filters.at(-1)).toMatchObject({ storeScope: null, includeSensitive: true, type: 'theft' });
    expect(records.table.asked).toEqual(['event.read *', 'event.read *']);
  });

  it("the police get their agency's listing, never the retailer query", async () => {
    const { records, listEvents } = world();
    await listEvents(callerAs('police', 'PoliceOfficer'), { pageSize: 10 });
    expect(records.agencyPages).toBe(1);
    expect(records.filters).toEqual([]);
  });

  it('refusals: the table first, then an organisation that cannot list; nothing recorded', async () => {
    const { records, listEvents, getEvent } = world();
    await expect(listEvents(callerAs('shop', 'Integration'), { pageSize: 10 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(listEvents(callerAs('nowhere', 'Investigator'), { pageSize: 10 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(getEvent(callerAs('police', 'PoliceOfficer'), 'event-0001')).rejects.toBeInstanceOf(NotFoundError);
    expect(records.audited).toEqual([]);
  });
});
