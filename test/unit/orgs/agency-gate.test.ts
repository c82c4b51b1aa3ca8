import { agencyGate, type AgencyGateStore } from '../../../shared/orgs/agency-gate';
import type { OrgStatus } from '../../../shared/domain/organisation';
import type { Role } from '../../../shared/domain/principal';
import type { AuditOf, Caller } from '../../../shared/audit/audited-authorize';
import { purposeReader } from '../../../shared/http/purpose-headers';

/**
 * The agency gate (PRODUCT §5b) on its own, over organisations in memory, collecting the entries
 * it writes. The same gate runs against the emulator in test/integration/app/police-accountability.test.ts.
 */
class Records implements AgencyGateStore {
  orgs = new Map<string, { type: 'retailer' | 'agency'; status: OrgStatus }>();
  audits: { orgId: string; entry: AuditOf; purpose: Caller['purpose'] }[] = [];
  stale: string[] = [];
  getOrg = (id: string) => Promise.resolve(this.orgs.get(id));
  readOrgNow = (id: string) => Promise.resolve(this.orgs.has(id) ? { org: { status: this.orgs.get(id)!.status } } : undefined);
  auditFor = (caller: Caller, orgId: string, entry: AuditOf) => {
    this.audits.push({ orgId, entry, purpose: caller.purpose });
    return Promise.resolve();
  };
  markStale = (id: string) => {
    this.stale.push(id);
    return Promise.resolve();
  };
}

const caller = (orgId: string, roles: Role[]): Caller => ({ principal: { sub: 'u1', orgId, roles, stores: null, mfa: true }, requestId: 'r1' });
// The gate reads the purpose as the HTTP edge gives it: from the two headers, when it asks.
const headers = (values: Record<string, string>) => purposeReader((name) => values[name.toLowerCase()] ?? null);
const stated = headers({ 'x-legal-basis': 'investigation', 'x-case-reference': 'CASE-2026/0042' });
const readRoute = { name: 'events-get', purpose: true };

function gate() {
  const records = new Records();
  records.orgs.set('shop', { type: 'retailer', status: 'active' });
  records.orgs.set('police', { type: 'agency', status: 'active' });
  return { records, ...agencyGate(records) };
}

describe('the agency gate, over in-memory records', () => {
  it("lets a retailer's caller through with one read and no entry", async () => {
    const { records, admitCaller } = gate();
    await expect(admitCaller(caller('shop', ['Investigator']), readRoute, headers({}))).resolves.toBeUndefined();
    expect(records.audits).toEqual([]);
  });

  it.each(['pending', 'suspended', 'expired'] as const)('refuses every officer of a %s agency with 403 AGENCY_NOT_ACTIVE, recorded in the agency chain', async (status) => {
    const { records, admitCaller } = gate();
    records.orgs.set('police', { type: 'agency', status });
    await expect(admitCaller(caller('police', ['PoliceOfficer']), readRoute, stated)).rejects.toMatchObject({ kind: 'forbidden', code: 'AGENCY_NOT_ACTIVE' });
    expect(records.audits).toEqual([
      { orgId: 'police', purpose: undefined, entry: { action: 'agency.request', target: { type: 'route', id: 'events-get' }, outcome: 'denied', details: { code: 'AGENCY_NOT_ACTIVE', status } } },
    ]);
  });

  it('asks an officer of an active agency for the legal basis and case reference on a read of retailer data, and records a refusal', async () => {
    const { records, admitCaller } = gate();
    const officer = caller('police', ['PoliceOfficer']);
    await expect(admitCaller(officer, readRoute, headers({ 'x-legal-basis': 'investigation' }))).rejects.toMatchObject({ kind: 'bad-request', code: 'PURPOSE_REQUIRED' });
    await expect(admitCaller(officer, readRoute, headers({ 'x-legal-basis': 'curiosity', 'x-case-reference': 'C-1' }))).rejects.toMatchObject({ kind: 'bad-request' });
    expect(records.audits.map((a) => [a.orgId, a.entry.action, a.entry.details])).toEqual([
      ['police', 'police.read', { code: 'PURPOSE_REQUIRED' }],
      ['police', 'police.read', { code: 'PURPOSE_REQUIRED' }],
    ]);
    await expect(admitCaller(officer, readRoute, stated)).resolves.toEqual({ legalBasis: 'investigation', caseReference: 'CASE-2026/0042' });
    // A route that reads no retailer data needs no purpose.
    await expect(admitCaller(officer, { name: 'messages-list' }, headers({}))).resolves.toBeUndefined();
    expect(records.audits).toHaveLength(2);
  });

  it("records what an officer asked for and was answered in the agency's chain, with the stated purpose, and marks its tally stale", async () => {
    const { records, recordPoliceUse } = gate();
    const purpose = { legalBasis: 'investigation' as const, caseReference: 'CASE-2026/0042' };
    await recordPoliceUse({ ...caller('police', ['PoliceOfficer']), purpose }, 'events-get', 200);
    await recordPoliceUse({ ...caller('police', ['PoliceOfficer']), purpose }, 'events-get', 404);
    expect(records.audits.map((a) => [a.orgId, a.entry.outcome, a.entry.details, a.purpose])).toEqual([
      ['police', 'success', { status: 200 }, purpose],
      ['police', 'denied', { status: 404 }, purpose],
    ]);
    expect(records.stale).toEqual(['police', 'police']);
  });
});
