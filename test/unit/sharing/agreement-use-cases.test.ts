import { agreementUseCases, type AgreementStore } from '../../../shared/sharing/agreement-use-cases';
import type { Agreement } from '../../../shared/domain/sharing';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { TableAuthorizer } from '../support/table-authorize';
import type { OrgType } from '../../../shared/domain/organisation';
import type { Role } from '../../../shared/domain/principal';
import { ConflictError, ForbiddenError, NotFoundError, PreconditionFailedError, ValidationError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';

/**
 * Sharing agreements on their own, over agreements in memory with ETags: who may propose, accept
 * and revoke, what each party's chain receives, and what another retailer sees. The same
 * journeys run against the emulator in test/integration/app/sharing.test.ts.
 */
class Records implements AgreementStore {
  orgs = new Map<string, string>([
    ['shop-a', 'retailer'],
    ['shop-b', 'retailer'],
    ['shop-c', 'retailer'],
    ['police', 'agency'],
  ]);
  agreements = new Map<string, { agreement: Agreement; etag: string }>();
  outbox = new Map<string, Omit<OutboxEntry, 'where'>>();
  /** Entries appended to each chain, as `chain action`. */
  appended: string[] = [];
  table = new TableAuthorizer((org) => this.orgs.get(org) as OrgType | undefined);
  /** The next write meets an agreement changed since it was read (the partner acted first). */
  raceNextWrite = false;
  private version = 0;

  authorize = (caller: Caller, action: 'agreement.manage' | 'agreement.read', id: string) => this.table.check(caller, action, id);
  orgType = (orgId: string) => Promise.resolve(this.orgs.get(orgId));
  readAgreement = (id: string) => Promise.resolve(this.agreements.get(id) && structuredClone(this.agreements.get(id)!));
  writeAgreement = (agreement: Agreement, etag: string | null, audits: Omit<OutboxEntry, 'where'>[]) => {
    const stored = this.agreements.get(agreement.id);
    if (this.raceNextWrite || (etag === null ? stored !== undefined : stored?.etag !== etag)) {
      this.raceNextWrite = false;
      return Promise.reject(new PreconditionFailedError());
    }
    this.agreements.set(agreement.id, { agreement: structuredClone(agreement), etag: `"${++this.version}"` });
    for (const a of audits) this.outbox.set(a.key, a);
    return Promise.resolve();
  };
  settleFreshAudit = (_id: string, entry: Omit<OutboxEntry, 'where'>) => {
    this.appended.push(`${entry.chain} ${entry.draft.action}`);
    this.outbox.delete(entry.key);
    return Promise.resolve();
  };
  listAgreementsOf = (retailerId: string) =>
    Promise.resolve([...this.agreements.values()].map((x) => x.agreement).filter((a) => a.parties.includes(retailerId)).sort((a, b) => a.id.localeCompare(b.id)));
}

const as = (orgId: string, role: Role = 'RetailerAdmin'): Caller => callerAs(orgId, role, false);
const AT = new Date('2026-12-04T10:00:00Z');

function world() {
  const records = new Records();
  return { records, ...agreementUseCases(records) };
}

describe('sharing agreements, over in-memory records', () => {
  it('a proposal, accepted by the invited partner, then revoked by either side: each change lands in both parties’ chains', async () => {
    const { records, proposeAgreement, acceptAgreement, revokeAgreement } = world();
    const proposed = await proposeAgreement(as('shop-b'), 'shop-a', AT);
    expect(proposed).toMatchObject({ parties: ['shop-a', 'shop-b'], proposedBy: 'shop-b', partnerRetailerId: 'shop-a', status: 'proposed', createdAt: AT.toISOString() });
    const accepted = await acceptAgreement(as('shop-a'), proposed.id, AT);
    // Each side reads the other as its partner (the fifth audit: the invited side read itself).
    expect(accepted).toMatchObject({ status: 'active', acceptedAt: AT.toISOString(), proposedBy: 'shop-b', partnerRetailerId: 'shop-b' });
    const revoked = await revokeAgreement(as('shop-b'), proposed.id, AT);
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: 'shop-b', revokedAt: AT.toISOString(), partnerRetailerId: 'shop-a' });
    expect(records.appended).toEqual([
      'shop-a agreement.propose',
      'shop-b agreement.propose',
      'shop-a agreement.accept',
      'shop-b agreement.accept',
      'shop-a agreement.revoke',
      'shop-b agreement.revoke',
    ]);
    expect(records.outbox.size).toBe(0);
    // Each change asks to manage the agreement (the proposal: its partner), never only to read it.
    expect(records.table.asked).toEqual(['agreement.manage shop-a', `agreement.manage ${proposed.id}`, `agreement.manage ${proposed.id}`]);
  });

  it('reading and listing ask to read, of the agreement or of all', async () => {
    const { records, proposeAgreement, getAgreement, listAgreements } = world();
    const { id } = await proposeAgreement(as('shop-a'), 'shop-b');
    records.table.asked = [];
    expect((await getAgreement(as('shop-b', 'Investigator'), id)).partnerRetailerId).toBe('shop-a');
    expect((await listAgreements(as('shop-b', 'Investigator'))).map((a) => a.partnerRetailerId)).toEqual(['shop-a']);
    expect((await listAgreements(as('shop-a', 'Investigator'))).map((a) => a.partnerRetailerId)).toEqual(['shop-b']);
    expect(records.table.asked).toEqual([`agreement.read ${id}`, 'agreement.read *', 'agreement.read *']);
  });

  it('refuses a partner that is the caller, an agency or unknown (400), and a second agreement while one stands (409)', async () => {
    const { records, proposeAgreement } = world();
    for (const partner of ['shop-a', 'police', 'nobody']) await expect(proposeAgreement(as('shop-a'), partner)).rejects.toBeInstanceOf(ValidationError);
    await proposeAgreement(as('shop-a'), 'shop-b');
    // Either side, while it is proposed.
    await expect(proposeAgreement(as('shop-b'), 'shop-a')).rejects.toMatchObject({ code: 'AGREEMENT_EXISTS' });
    expect(records.agreements.size).toBe(1);
  });

  it('a revoked agreement may be proposed again, over the version read', async () => {
    const { records, proposeAgreement, revokeAgreement } = world();
    const first = await proposeAgreement(as('shop-a'), 'shop-b');
    await revokeAgreement(as('shop-a'), first.id);
    const again = await proposeAgreement(as('shop-b'), 'shop-a');
    expect(again).toMatchObject({ id: first.id, status: 'proposed', proposedBy: 'shop-b', revokedAt: null });
    expect(records.agreements.get(first.id)!.agreement.status).toBe('proposed');
  });

  it('only the invited partner accepts, and only a proposal (409); revoking twice answers the revoked agreement and records nothing more', async () => {
    const { records, proposeAgreement, acceptAgreement, revokeAgreement } = world();
    const { id } = await proposeAgreement(as('shop-a'), 'shop-b');
    await expect(acceptAgreement(as('shop-a'), id)).rejects.toMatchObject({ code: 'AGREEMENT_NOT_ACCEPTABLE' });
    await acceptAgreement(as('shop-b'), id);
    await expect(acceptAgreement(as('shop-b'), id)).rejects.toBeInstanceOf(ConflictError);
    await revokeAgreement(as('shop-a'), id);
    const entries = records.appended.length;
    expect(await revokeAgreement(as('shop-b'), id)).toMatchObject({ status: 'revoked', revokedBy: 'shop-a' });
    expect(records.appended).toHaveLength(entries);
  });

  it('a retailer not party to an agreement meets 404 on every action, and does not see it listed', async () => {
    const { records, proposeAgreement, acceptAgreement, revokeAgreement, getAgreement, listAgreements } = world();
    const { id } = await proposeAgreement(as('shop-a'), 'shop-b');
    const before = structuredClone(records.agreements.get(id));
    for (const act of [acceptAgreement, revokeAgreement, getAgreement]) await expect(act(as('shop-c'), id)).rejects.toBeInstanceOf(NotFoundError);
    expect(await listAgreements(as('shop-c'))).toEqual([]);
    expect(await listAgreements(as('shop-b', 'Investigator'))).toHaveLength(1);
    expect(records.agreements.get(id)).toEqual(before);
  });

  it('a caller the table refuses changes nothing, and the refusal is what authorize records', async () => {
    const { records, proposeAgreement } = world();
    await expect(proposeAgreement(as('shop-a', 'Investigator'), 'shop-b')).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.table.asked).toEqual(['agreement.manage shop-b']);
    expect(records.agreements.size).toBe(0);
    expect(records.appended).toEqual([]);
  });

  it('the partner acting first (412) leaves the agreement as the partner left it, and no entry of the lost change', async () => {
    const { records, proposeAgreement, revokeAgreement } = world();
    const { id } = await proposeAgreement(as('shop-a'), 'shop-b');
    const entries = records.appended.length;
    records.raceNextWrite = true;
    await expect(revokeAgreement(as('shop-a'), id)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.agreements.get(id)!.agreement.status).toBe('proposed');
    expect(records.appended).toHaveLength(entries);
    expect(records.outbox.size).toBe(0);
  });
});
