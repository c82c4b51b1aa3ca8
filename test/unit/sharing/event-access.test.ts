import { eventAccess, type EventAccessStore } from '../../../shared/sharing/event-access';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema, type RetailEvent } from '../../../shared/domain/events/event-schema';
import { newOrg, type Org } from '../../../shared/domain/organisation';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import type { Role } from '../../../shared/domain/principal';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import type { VersionedEvent } from '../../../shared/events/event-repository';

/**
 * Who sees an event, on its own: organisations, settings, agreements and events in memory, and
 * the audit entries a refusal writes collected. The same rule runs against the emulator in
 * test/integration/app/sharing*.test.ts.
 */
class Records implements EventAccessStore {
  orgs = new Map<string, Org>();
  settings = new Map<string, RetailerSettings>();
  agreements = new Set<string>();
  events = new Map<string, VersionedEvent>();
  audits: { orgId: string; entry: AuditOf }[] = [];
  /** Reads of events outside the caller's own organisation (by id alone). */
  lookups = 0;

  getOrg = (id: string) => Promise.resolve(this.orgs.get(id));
  getSettings = (id: string) => Promise.resolve({ settings: this.settings.get(id) ?? DEFAULT_SETTINGS });
  agreementIsActive = (a: string, b: string) => Promise.resolve(this.agreements.has([a, b].sort().join('.')));
  readEvent = (retailerId: string, id: string) => {
    const found = this.events.get(id);
    return Promise.resolve(found?.event.retailerId === retailerId ? found : undefined);
  };
  findEventAnywhere = (id: string) => {
    this.lookups++;
    return Promise.resolve(this.events.get(id));
  };
  auditFor = (_caller: Caller, orgId: string, entry: AuditOf) => {
    this.audits.push({ orgId, entry });
    return Promise.resolve();
  };
}

const now = new Date('2026-12-04T09:00:00Z');

function world() {
  const records = new Records();
  const org = (id: string, type: 'retailer' | 'agency', jurisdictions: string[] = []) => {
    records.orgs.set(id, { ...newOrg({ id, type, name: id, jurisdictions }, 'admin', now), status: 'active' });
  };
  org('shop-a', 'retailer');
  org('shop-b', 'retailer');
  org('police-akl', 'agency', ['NZ-AKL']);
  org('police-wlg', 'agency', ['NZ-WLG']);
  const add = (id: string, input: Record<string, unknown> = {}, jurisdiction = 'NZ-AKL', purging = false): RetailEvent => {
    const event = buildEvent(
      id,
      'shop-a',
      EventInputSchema.parse({ storeId: 's1', occurredAt: '2026-12-01T10:00:00Z', type: 'shoplifting', prevented: false, ...input }),
      'reporter',
      now,
    );
    records.events.set(id, { event, etag: '"1"', purging, storeJurisdiction: jurisdiction });
    return event;
  };
  const caller = (orgId: string, roles: Role[]): Caller => ({ principal: { sub: `${orgId}-user`, orgId, roles, stores: null, mfa: true }, requestId: 'r1' });
  return { records, add, caller, access: eventAccess(records) };
}

describe('who sees an event (PRODUCT §5), over in-memory records', () => {
  it("shows its owner's investigators their own event, with every right, and looks nowhere else", async () => {
    const { records, add, caller, access } = world();
    add('e1');
    const seen = await access.loadVisibleEvent(caller('shop-a', ['Investigator']), 'e1');
    expect(seen.access).toEqual({ relation: 'owner', download: true, message: true, write: true });
    expect(records.lookups).toBe(0);
    expect(records.audits).toEqual([]);
  });

  it("answers another retailer's investigator 404 without an agreement, and records the refusal in the owner's chain, not the caller's", async () => {
    const { records, add, caller, access } = world();
    add('e1');
    await expect(access.loadVisibleEvent(caller('shop-b', ['Investigator']), 'e1')).rejects.toMatchObject({ kind: 'not-found' });
    expect(records.audits).toEqual([{ orgId: 'shop-a', entry: expect.objectContaining({ action: 'event.read', outcome: 'denied', details: { code: 'NOT_VISIBLE' } }) }]);
  });

  it('lets a partner read (no download, no messages, no writes) while their agreement is active, never a sensitive event', async () => {
    const { records, add, caller, access } = world();
    add('e1');
    add('e2', { sensitive: true });
    records.agreements.add('shop-a.shop-b');
    const partner = caller('shop-b', ['Investigator']);
    expect((await access.loadVisibleEvent(partner, 'e1')).access).toEqual({ relation: 'partner', download: false, message: false, write: false });
    await expect(access.loadVisibleEvent(partner, 'e2')).rejects.toMatchObject({ kind: 'not-found' });
    records.agreements.clear();
    await expect(access.loadVisibleEvent(partner, 'e1')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it("shares with police by the retailer's default: the jurisdiction's agency sees it, another does not, and 'none' hides it from both", async () => {
    const { records, add, caller, access } = world();
    add('e1');
    const akl = caller('police-akl', ['PoliceOfficer']);
    const wlg = caller('police-wlg', ['PoliceOfficer']);
    expect((await access.loadVisibleEvent(akl, 'e1')).access.relation).toBe('police');
    await expect(access.loadVisibleEvent(wlg, 'e1')).rejects.toMatchObject({ kind: 'not-found' });
    records.settings.set('shop-a', { ...DEFAULT_SETTINGS, policeSharing: 'none' });
    await expect(access.loadVisibleEvent(akl, 'e1')).rejects.toMatchObject({ kind: 'not-found' });
    expect(records.audits.map((a) => a.orgId)).toEqual(['shop-a', 'shop-a']);
  });

  it('an event being purged, or one that does not exist, is 404 for everyone, owner included, with nothing recorded', async () => {
    const { records, add, caller, access } = world();
    add('e1', {}, 'NZ-AKL', true);
    await expect(access.loadVisibleEvent(caller('shop-a', ['Investigator']), 'e1')).rejects.toMatchObject({ kind: 'not-found' });
    await expect(access.loadVisibleEvent(caller('police-akl', ['PoliceOfficer']), 'nope')).rejects.toMatchObject({ kind: 'not-found' });
    expect(records.audits).toEqual([]);
  });

  it('a token naming an organisation that does not exist sees nothing (404), and the attempt is in the owner\'s chain', async () => {
    const { records, add, caller, access } = world();
    add('e1');
    await expect(access.loadVisibleEvent(caller('ghost', ['Investigator']), 'e1')).rejects.toMatchObject({ kind: 'not-found' });
    expect(records.audits).toEqual([{ orgId: 'shop-a', entry: expect.objectContaining({ outcome: 'denied' }) }]);
  });
});
