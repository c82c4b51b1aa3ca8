import { orgUseCases, type OrgStore } from '../../../shared/orgs/org-use-cases';
import type { Org, Store } from '../../../shared/domain/organisation';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import type { Action } from '../../../shared/domain/authorization';
import { TableAuthorizer } from '../support/table-authorize';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';

/**
 * Organisations and stores on their own, over records in memory: a create and a client's retry
 * of it, who reads which organisation, an agency's approval and suspension, a store's create and
 * update, each with the one entry it owes. The same run against the emulator in
 * test/integration/app/orgs-stores-settings.test.ts and police-accountability.test.ts.
 */
class Records implements OrgStore {
  orgs = new Map<string, { org: Org; etag: string }>();
  stores = new Map<string, Store>();
  outbox = new Map<string, Omit<OutboxEntry, 'where'>>();
  appended: string[] = [];
  raceNextReplace = false;
  private version = 0;

  table = new TableAuthorizer((org) => this.orgs.get(org)?.org.type);
  authorize = (caller: Caller, action: Action, target: { type: string; id: string }) => this.table.check(caller, action, `${target.type}:${target.id}`);
  getOrg = (id: string) => Promise.resolve(structuredClone(this.orgs.get(id)?.org));
  readOrgNow = (id: string) => Promise.resolve(structuredClone(this.orgs.get(id)));
  /** As the repository: a client's retry of the same create answers the stored organisation (created: false); another create of the id is a conflict. */
  insertOrg = (org: Org, entry: Omit<OutboxEntry, 'where'>) => {
    const existing = this.orgs.get(org.id)?.org;
    if (existing) {
      const same = (['type', 'name', 'jurisdictions', 'createdBy'] as const).every((k) => JSON.stringify(existing[k]) === JSON.stringify(org[k]));
      if (!same) return Promise.reject(new ConflictError('ORG_EXISTS', 'taken'));
      return Promise.resolve({ org: structuredClone(existing), created: false });
    }
    this.orgs.set(org.id, { org: structuredClone(org), etag: `"${++this.version}"` });
    this.outbox.set(entry.key, entry);
    return Promise.resolve({ org, created: true });
  };
  /** The next fresh entry is not appended: the process stops between the write and the append. */
  crashBeforeAppend = false;
  replaceOrg = (org: Org, etag: string, entry: Omit<OutboxEntry, 'where'>) => {
    if (this.raceNextReplace || this.orgs.get(org.id)?.etag !== etag) {
      this.raceNextReplace = false;
      return Promise.reject(new PreconditionFailedError());
    }
    this.orgs.set(org.id, { org: structuredClone(org), etag: `"${++this.version}"` });
    this.outbox.set(entry.key, entry);
    return Promise.resolve();
  };
  upsertStore = (store: Store, entry: (created: boolean) => Omit<OutboxEntry, 'where'>) => {
    const key = `${store.retailerId}/${store.id}`;
    const before = this.stores.get(key);
    const saved = before ? { ...store, createdAt: before.createdAt } : store;
    this.stores.set(key, saved);
    const e = entry(!before);
    this.outbox.set(e.key, e);
    return Promise.resolve({ store: saved, created: !before, entry: e });
  };
  getStore = (retailerId: string, id: string) => Promise.resolve(this.stores.get(`${retailerId}/${id}`));
  listStores = (retailerId: string) => Promise.resolve([...this.stores.values()].filter((s) => s.retailerId === retailerId));
  settleFreshAudit = (orgId: string, entry: Omit<OutboxEntry, 'where'>) => {
    if (this.crashBeforeAppend) {
      this.crashBeforeAppend = false;
      return Promise.reject(new Error('crashed'));
    }
    this.appended.push(`${orgId} ${entry.draft.action}`);
    this.outbox.delete(entry.key);
    return Promise.resolve();
  };
  settleAudit = (orgId: string, key: string) => {
    const left = this.outbox.get(key);
    if (left) this.settleFreshAudit(orgId, left);
    return Promise.resolve();
  };
}

const as = callerAs;
const admin = as('platform', 'PlatformAdmin');
const T = new Date('2026-12-04T10:00:00Z');
const approval = { agreementReference: 'MOU-2026-7', privacyAssessmentReference: 'PIA-31', expiresAt: '2027-12-01T00:00:00Z' };

function world() {
  const records = new Records();
  const uc = orgUseCases(records);
  return { records, ...uc };
}

describe('organisations and stores, over in-memory records', () => {
  it('a create appends its entry once; a client retry answers the same organisation and appends nothing more', async () => {
    const { records, createOrganisation } = world();
    const input = { id: 'shop', type: 'retailer' as const, name: 'Shop', jurisdictions: ['NZ', 'NZ'] };
    const org = await createOrganisation(admin, input, T);
    expect(org).toMatchObject({ id: 'shop', type: 'retailer', status: 'active', jurisdictions: ['NZ'], createdBy: 'PlatformAdmin@platform' });
    expect(await createOrganisation(admin, input, new Date('2026-12-04T10:05:00Z'))).toEqual(org);
    expect(records.appended).toEqual(['shop org.create']);
    await expect(createOrganisation(admin, { ...input, name: 'Other' }, T)).rejects.toBeInstanceOf(ConflictError);
    await expect(createOrganisation(as('shop', 'RetailerAdmin'), { ...input, id: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('a create whose entry was not appended (a crash after the write) has it appended once by the client’s retry', async () => {
    const { records, createOrganisation } = world();
    const input = { id: 'shop', type: 'retailer' as const, name: 'Shop' };
    records.crashBeforeAppend = true;
    await expect(createOrganisation(admin, input, T)).rejects.toThrow('crashed');
    expect(records.appended).toEqual([]);
    await createOrganisation(admin, input, new Date('2026-12-04T10:05:00Z'));
    await createOrganisation(admin, input, new Date('2026-12-04T10:06:00Z'));
    expect(records.appended).toEqual(['shop org.create']);
    expect(records.outbox.size).toBe(0);
  });

  it('each organisation reads only itself (another answers 404); a platform admin reads any', async () => {
    const { createOrganisation, readOrganisation } = world();
    await createOrganisation(admin, { id: 'shop', type: 'retailer', name: 'Shop' });
    await createOrganisation(admin, { id: 'other', type: 'retailer', name: 'Other' });
    expect((await readOrganisation(as('shop', 'Reporter'), 'shop')).id).toBe('shop');
    await expect(readOrganisation(as('shop', 'RetailerAdmin'), 'other')).rejects.toBeInstanceOf(NotFoundError);
    expect((await readOrganisation(admin, 'other')).id).toBe('other');
    await expect(readOrganisation(admin, 'nobody')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('an agency starts pending, is approved with its references and suspended at once; a suspension is lifted by the next approval', async () => {
    const { records, createOrganisation, activateAgency, suspendAgency } = world();
    expect((await createOrganisation(admin, { id: 'police', type: 'agency', name: 'Police', jurisdictions: ['NZ'] })).status).toBe('pending');
    const active = await activateAgency(admin, 'police', approval, T);
    expect(active).toMatchObject({ status: 'active', activation: { ...approval, expiresAt: '2027-12-01T00:00:00.000Z', activatedBy: 'PlatformAdmin@platform' } });
    const suspended = await suspendAgency(admin, 'police', T);
    expect(suspended).toMatchObject({ status: 'suspended', suspension: { suspendedAt: T.toISOString(), suspendedBy: 'PlatformAdmin@platform' } });
    const again = await activateAgency(admin, 'police', approval, T);
    expect(again.status).toBe('active');
    expect(again).not.toHaveProperty('suspension');
    expect(records.appended).toEqual(['police org.create', 'police org.activate', 'police org.suspend', 'police org.activate']);
  });

  it('refuses: approving a retailer (409), an approval in the past (400), an unknown agency (404), a platform admin without a second factor (403), a change raced by another (412)', async () => {
    const { records, createOrganisation, activateAgency, suspendAgency } = world();
    await createOrganisation(admin, { id: 'shop', type: 'retailer', name: 'Shop' });
    await createOrganisation(admin, { id: 'police', type: 'agency', name: 'Police', jurisdictions: ['NZ'] });
    await expect(activateAgency(admin, 'shop', approval, T)).rejects.toMatchObject({ code: 'NOT_AN_AGENCY' });
    await expect(activateAgency(admin, 'police', { ...approval, expiresAt: '2026-01-01T00:00:00Z' }, T)).rejects.toBeInstanceOf(ValidationError);
    await expect(suspendAgency(admin, 'nobody', T)).rejects.toBeInstanceOf(NotFoundError);
    await expect(activateAgency(as('platform', 'PlatformAdmin', false), 'police', approval, T)).rejects.toMatchObject({ code: 'MFA_REQUIRED' });
    records.table.asked = [];
    records.raceNextReplace = true;
    await expect(suspendAgency(admin, 'police', T)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.orgs.get('police')!.org.status).toBe('pending');
    // Suspending asks its own permission: a platform admin, no second factor needed to take access away.
    expect(records.table.asked).toEqual(['org.suspend org:police']);
    expect(records.appended).toEqual(['shop org.create', 'police org.create']);
  });

  it("a retailer's admin creates, then updates, a store (two entries, the creation time kept); staff read it; another retailer's is 404", async () => {
    const { records, createOrganisation, putStore, readStore, readStores } = world();
    await createOrganisation(admin, { id: 'shop', type: 'retailer', name: 'Shop' });
    await createOrganisation(admin, { id: 'other', type: 'retailer', name: 'Other' });
    const first = await putStore(as('shop', 'RetailerAdmin'), 's1', { name: 'Queen St', jurisdiction: 'NZ' }, T);
    expect(first).toMatchObject({ created: true, store: { id: 's1', retailerId: 'shop', createdAt: T.toISOString() } });
    const later = new Date('2026-12-05T10:00:00Z');
    const second = await putStore(as('shop', 'RetailerAdmin'), 's1', { name: 'Queen Street', jurisdiction: 'NZ' }, later);
    expect(second).toMatchObject({ created: false, store: { name: 'Queen Street', createdAt: T.toISOString(), updatedAt: later.toISOString() } });
    expect(records.appended.filter((a) => a.startsWith('shop store'))).toEqual(['shop store.create', 'shop store.update']);
    expect((await readStore(as('shop', 'Reporter'), 's1')).name).toBe('Queen Street');
    expect(await readStores(as('shop', 'Investigator'))).toHaveLength(1);
    await expect(readStore(as('other', 'RetailerAdmin'), 's1')).rejects.toBeInstanceOf(NotFoundError);
    await expect(putStore(as('shop', 'Reporter'), 's2', { name: 'x', jurisdiction: 'NZ' })).rejects.toBeInstanceOf(ForbiddenError);
  });
});
