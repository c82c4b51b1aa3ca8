import { legalHolds, type LegalHoldStore } from '../../../shared/events/legal-hold';
import { eventDeletion, type EventDeletionStore } from '../../../shared/events/delete-event';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { PurgeResult } from '../../../shared/events/purge-event';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Legal holds and deletions over events in memory: a hold placed and lifted with its entry, a
 * concurrent edit read again and kept, a deletion by its reporter within 24 hours or by an admin,
 * a late reporter refused with the refusal in the chain, and a held event never purged. The same
 * against the emulator in test/integration/app/events*.test.ts and retention.test.ts.
 */
class Records implements Omit<LegalHoldStore & EventDeletionStore, 'authorize'> {
  events = new Map<string, VersionedEvent>();
  settled: { key: string; action: string; details: unknown }[] = [];
  audited: AuditOf[] = [];
  purged: string[] = [];
  /** Another writer changes the event between this many reads and their writes. */
  concurrentEdits = 0;
  private version = 0;
  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : undefined));

  /** Each use case asks the table for its own action. */
  authorizeFor = (action: 'event.hold' | 'event.delete') => async (caller: Caller, id: string) => {
    await this.table.check(caller, action, id);
    return caller.principal.orgId!;
  };
  visibleEvent = (_caller: Caller, retailerId: string, id: string) => {
    const found = this.events.get(id);
    if (!found || found.event.retailerId !== retailerId || found.purging) return Promise.reject(new NotFoundError());
    return Promise.resolve(structuredClone(found));
  };
  replaceEvent = (event: RetailEvent, etag: string) => {
    const current = this.events.get(event.id)!;
    if (this.concurrentEdits > 0) {
      this.concurrentEdits--;
      this.events.set(event.id, { ...current, event: { ...current.event, description: 'corrected by someone else' }, etag: `"${++this.version}"` });
      return Promise.reject(new PreconditionFailedError());
    }
    if (current.etag !== etag) return Promise.reject(new PreconditionFailedError());
    const next = `"${++this.version}"`;
    this.events.set(event.id, { ...current, event: structuredClone(event), etag: next });
    return Promise.resolve(next);
  };
  settleFreshAudit = (_retailerId: string, entry: OutboxEntry) => {
    this.settled.push({ key: entry.key, action: entry.draft.action, details: entry.draft.details });
    return Promise.resolve();
  };
  purgeEvent = (_retailerId: string, id: string): Promise<PurgeResult> => {
    const found = this.events.get(id)!;
    if (found.event.legalHold) return Promise.reject(new ConflictError('LEGAL_HOLD', 'The event is under legal hold and cannot be deleted.'));
    this.events.delete(id);
    this.purged.push(id);
    return Promise.resolve({ eventId: id, purged: true, profilesUpdated: 1, profilesDeleted: 2, evidenceDeleted: 0 });
  };
  audit = (_caller: Caller, _retailerId: string, entry: AuditOf) => {
    this.audited.push(entry);
    return Promise.resolve();
  };

  add(id: string, createdBy: string, createdAt: string): void {
    const event = { id, retailerId: 'shop', storeId: 's1', sensitive: false, createdBy, createdAt, description: 'took razors', legalHold: null, people: [], vehicles: [], products: [] } as unknown as RetailEvent;
    this.events.set(id, { event, etag: `"${++this.version}"`, purging: false, storeJurisdiction: 'NZ-AUK' });
  }
}

const reporter = callerAs('shop', 'Reporter');
const admin = callerAs('shop', 'RetailerAdmin');
const investigator = callerAs('shop', 'Investigator');
const now = new Date('2026-11-02T09:00:00Z');

function world() {
  const records = new Records();
  records.add('event-0001', reporter.principal.sub, '2026-11-02T08:00:00Z');
  records.add('event-0002', reporter.principal.sub, '2026-10-30T08:00:00Z');
  return {
    records,
    setLegalHold: legalHolds({ ...records, authorize: records.authorizeFor('event.hold') }),
    deleteEvent: eventDeletion({ ...records, authorize: records.authorizeFor('event.delete') }),
  };
}

describe('legal holds over events in memory', () => {
  it('places a hold with who and why, lifts it, each change settled with its entry', async () => {
    const { records, setLegalHold } = world();
    const held = await setLegalHold(investigator, 'event-0001', 'Court order 24-118', now);
    expect(held.event.legalHold).toMatchObject({ reason: 'Court order 24-118', by: investigator.principal.sub });
    expect(held.etag).toBe(records.events.get('event-0001')!.etag);
    const lifted = await setLegalHold(admin, 'event-0001', null, now);
    expect(lifted.event.legalHold).toBeNull();
    expect(records.settled.map((s) => s.action)).toEqual(['event.legal-hold.place', 'event.legal-hold.remove']);
  });

  it("a concurrent edit is read again and kept: the hold lands on the other writer's version, one entry settled", async () => {
    const { records, setLegalHold } = world();
    records.concurrentEdits = 2;
    const held = await setLegalHold(investigator, 'event-0001', 'Preserve for trial', now);
    expect(held.event).toMatchObject({ description: 'corrected by someone else', legalHold: { reason: 'Preserve for trial' } });
    expect(records.settled).toHaveLength(1);
  });

  it('a Reporter may not hold events (the table), and nothing is written', async () => {
    const { records, setLegalHold } = world();
    await expect(setLegalHold(reporter, 'event-0001', 'x', now)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.settled).toEqual([]);
  });
});

describe('deleting events over events in memory', () => {
  it('its reporter within 24 hours: purged, the entry settled with the profiles that went', async () => {
    const { records, deleteEvent } = world();
    expect(await deleteEvent(reporter, 'event-0001', now)).toMatchObject({ purged: true, profilesDeleted: 2 });
    expect(records.settled).toEqual([expect.objectContaining({ action: 'event.delete', details: expect.objectContaining({ profilesDeleted: 2 }) })]);
  });

  it('its reporter after 24 hours is refused (403) and the refusal is in the chain; an admin may', async () => {
    const { records, deleteEvent } = world();
    await expect(deleteEvent(reporter, 'event-0002', now)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.audited).toEqual([{ action: 'event.delete', target: { type: 'event', id: 'event-0002' }, outcome: 'denied', details: { code: 'FORBIDDEN' } }]);
    expect(records.purged).toEqual([]);
    await deleteEvent(admin, 'event-0002', now);
    expect(records.purged).toEqual(['event-0002']);
  });

  it('an event under legal hold is never purged (409), and no deletion entry is settled', async () => {
    const { records, setLegalHold, deleteEvent } = world();
    await setLegalHold(admin, 'event-0001', 'Court order', now);
    await expect(deleteEvent(admin, 'event-0001', now)).rejects.toMatchObject({ code: 'LEGAL_HOLD' });
    expect(records.events.has('event-0001')).toBe(true);
    expect(records.settled.map((s) => s.action)).toEqual(['event.legal-hold.place']);
  });

  it('an event that is not there, or not the caller\'s, is 404', async () => {
    const { deleteEvent } = world();
    await expect(deleteEvent(admin, 'event-0009', now)).rejects.toBeInstanceOf(NotFoundError);
  });
});
