import type { AuditEntry } from '../../../shared/domain/audit-chain';
import { PURPOSE, approval, call, createOrg, tokenFor } from '../support/api';
import { eventBody, ownMinute, retailerWorld } from '../support/world';

async function chainOf(orgId: string): Promise<AuditEntry[]> {
  const { readChain } = await import('../../../shared/audit/audit-entry-repository');
  const entries: AuditEntry[] = [];
  for await (const entry of readChain(orgId)) entries.push(entry);
  return entries;
}

const platform = () => tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });

describe('an agency is inactive until approved (PRODUCT §5b)', () => {
  it('is created pending; its officers are refused everything until a platform admin approves it', async () => {
    const agency = await createOrg('agency', { pending: true });
    const admin = await platform();
    expect((await call('GET', `/api/v1/orgs/${agency}`, { token: admin })).body).toMatchObject({ id: agency, status: 'pending' });
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'pending-officer' });
    for (const [method, url] of [
      ['GET', '/api/v1/events'],
      ['GET', `/api/v1/orgs/${agency}`],
      ['GET', '/api/v1/events/no-such-event'],
    ] as const) {
      const res = await call(method, url, { token: officer, headers: PURPOSE });
      expect({ url, status: res.status, code: res.body.code }).toEqual({ url, status: 403, code: 'AGENCY_NOT_ACTIVE' });
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    const approved = await call('PUT', `/api/v1/orgs/${agency}/activation`, { token: admin, body: approval() });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'active',
      activation: { agreementReference: 'DSA-2026/014', privacyAssessmentReference: 'PIA-2026/007', activatedBy: 'platform-admin' },
    });
    expect((await call('GET', '/api/v1/events', { token: officer, headers: PURPOSE })).status).toBe(200);
    const own = await call('GET', `/api/v1/orgs/${agency}`, { token: officer });
    expect(own.body).toMatchObject({ status: 'active', activation: { expiresAt: approved.body.activation.expiresAt } });

    // Refusals and the approval are in the agency's own chain.
    const chain = await chainOf(agency);
    expect(chain.filter((e) => e.details.code === 'AGENCY_NOT_ACTIVE').map((e) => [e.action, e.outcome, e.target.id])).toEqual([
      ['agency.request', 'denied', 'events-list'],
      ['agency.request', 'denied', 'orgs-get'],
      ['agency.request', 'denied', 'events-get'],
    ]);
    expect(chain.find((e) => e.action === 'org.activate')).toMatchObject({
      actor: { sub: 'platform-admin' },
      details: { agreementReference: 'DSA-2026/014', privacyAssessmentReference: 'PIA-2026/007', status: 'active' },
    });
  });

  it('a suspension applies to the very next request; approving again lifts it', async () => {
    const agency = await createOrg('agency');
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'] });
    const admin = await platform();
    expect((await call('GET', '/api/v1/events', { token: officer, headers: PURPOSE })).status).toBe(200);
    // Taking access away needs no second factor (PRODUCT §5b marks only the approval MFA).
    const suspended = await call('DELETE', `/api/v1/orgs/${agency}/activation`, { token: await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin' }) });
    expect(suspended.body).toMatchObject({ status: 'suspended', suspension: { suspendedBy: 'platform-admin' } });
    expect((await call('GET', '/api/v1/events', { token: officer, headers: PURPOSE })).body.code).toBe('AGENCY_NOT_ACTIVE');
    const again = await call('PUT', `/api/v1/orgs/${agency}/activation`, { token: admin, body: approval(30) });
    expect(again.body.status).toBe('active');
    expect(again.body.suspension).toBeUndefined();
    expect((await call('GET', '/api/v1/events', { token: officer, headers: PURPOSE })).status).toBe(200);
    expect((await chainOf(agency)).filter((e) => e.action.startsWith('org.')).map((e) => e.action)).toEqual(['org.create', 'org.activate', 'org.suspend', 'org.activate']);
  });

  it('an approval that has expired refuses like a suspension', async () => {
    const agency = await createOrg('agency', { pending: true });
    const admin = await platform();
    const expiresAt = new Date(Date.now() + 1_500).toISOString();
    expect((await call('PUT', `/api/v1/orgs/${agency}/activation`, { token: admin, body: { ...approval(), expiresAt } })).status).toBe(200);
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'] });
    // Read while active (the fifth audit saw this answer kept, from a cache, after the expiry).
    expect((await call('GET', `/api/v1/orgs/${agency}`, { token: admin })).body.status).toBe('active');
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 200));
    expect((await call('GET', '/api/v1/events', { token: officer, headers: PURPOSE })).body.code).toBe('AGENCY_NOT_ACTIVE');
    expect((await call('GET', `/api/v1/orgs/${agency}`, { token: admin })).body.status).toBe('expired');
  });

  it('approval is for a platform admin with MFA, of an agency, for at most three years', async () => {
    const agency = await createOrg('agency', { pending: true });
    const retailer = await createOrg('retailer');
    const admin = await platform();
    const url = `/api/v1/orgs/${agency}/activation`;
    const noMfa = await call('PUT', url, { token: await tokenFor({ roles: ['PlatformAdmin'] }), body: approval() });
    expect([noMfa.status, noMfa.body.code]).toEqual([403, 'MFA_REQUIRED']);
    expect((await call('PUT', url, { token: await tokenFor({ org: retailer, roles: ['RetailerAdmin'], mfa: true }), body: approval() })).status).toBe(403);
    expect((await call('DELETE', url, { token: await tokenFor({ org: agency, roles: ['PoliceOfficer'], mfa: true }) })).status).toBe(403);
    for (const body of [
      approval(3 * 366),
      approval(-1),
      { ...approval(), expiresAt: 'next year' },
      { ...approval(), agreementReference: '' },
      { ...approval(), privacyAssessmentReference: undefined },
      { ...approval(), note: 'x' },
    ]) {
      const res = await call('PUT', url, { token: admin, body });
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect((await call('PUT', `/api/v1/orgs/${retailer}/activation`, { token: admin, body: approval() })).body.code).toBe('NOT_AN_AGENCY');
    expect((await call('PUT', '/api/v1/orgs/no-such-agency/activation', { token: admin, body: approval() })).status).toBe(404);
    expect((await call('GET', `/api/v1/orgs/${agency}`, { token: admin })).body.status).toBe('pending');
  });
});

describe('every police read states why (PRODUCT §5b)', () => {
  it('without a valid legal basis and case reference: 400 PURPOSE_REQUIRED, nothing read, the refusal in the agency chain', async () => {
    const w = await retailerWorld();
    const event = await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ policeSharing: { mode: 'all', excludeAgencies: [] } }) });
    expect(event.status).toBe(201);
    const agency = await createOrg('agency');
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-why', mfa: true });
    const url = `/api/v1/events/${event.body.id}`;
    const refusedIds: string[] = [];
    for (const headers of [
      {} as Record<string, string>,
      { 'x-legal-basis': 'investigation' },
      { 'x-case-reference': 'CASE-1' },
      { 'x-legal-basis': 'curiosity', 'x-case-reference': 'CASE-1' },
      { 'x-legal-basis': 'warrant', 'x-case-reference': 'x'.repeat(65) },
      { 'x-legal-basis': 'warrant', 'x-case-reference': 'CASE<1>' },
      { 'x-legal-basis': 'warrant', 'x-case-reference': '   ' },
      { 'x-legal-basis': 'warrant', 'x-case-reference': 'CASE 1' },
    ]) {
      const res = await call('GET', url, { token: officer, headers });
      expect({ headers, status: res.status, code: res.body.code }).toEqual({ headers, status: 400, code: 'PURPOSE_REQUIRED' });
      refusedIds.push(res.headers.get('x-request-id')!);
    }
    const missing = await call('GET', url, { token: officer });
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toEqual(['x-legal-basis', 'x-case-reference']);
    // Every kind of police read asks for it, before any look-up (an unknown id is 400 too, not 404).
    for (const [method, path] of [
      ['GET', '/api/v1/events'],
      ['GET', '/api/v1/events/no-such-event'],
      ['GET', `${url}/messages`],
      ['POST', `${url}/messages`],
      ['GET', '/api/v1/evidence/no-such-item'],
      ['GET', '/api/v1/evidence/no-such-item/content'],
      ['POST', '/api/v1/vehicles/enquiries'],
    ] as const) {
      const res = await call(method, path, { token: officer, ...(method === 'POST' ? { body: {} } : {}) });
      expect({ path, status: res.status, code: res.body.code }).toEqual({ path, status: 400, code: 'PURPOSE_REQUIRED' });
    }
    // Nothing of the retailer's was read: no entry of those requests in its chain; each refusal is in the agency's.
    const retailerChain = await chainOf(w.org);
    expect(retailerChain.filter((e) => refusedIds.includes(e.requestId))).toEqual([]);
    const agencyChain = await chainOf(agency);
    expect(agencyChain.filter((e) => refusedIds.includes(e.requestId)).map((e) => [e.action, e.outcome, e.details.code])).toEqual(
      refusedIds.map(() => ['police.read', 'denied', 'PURPOSE_REQUIRED']),
    );
    // Retailer staff state nothing.
    expect((await call('GET', url, { token: w.investigator })).status).toBe(200);
  });

  it('the stated basis and case reference are in the entry each owning retailer gets', async () => {
    const w = await retailerWorld();
    const other = await retailerWorld();
    const { occurredAt, window } = ownMinute();
    const shared = { policeSharing: { mode: 'all', excludeAgencies: [] }, occurredAt };
    const mine = await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ ...shared, vehicles: [{ plate: 'PUR 501' }] }) });
    const theirs = await call('POST', '/api/v1/events', { token: other.reporter, body: eventBody({ ...shared, vehicles: [{ plate: 'PUR 501' }] }) });
    const agency = await createOrg('agency');
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-stated' });
    const headers = { 'x-legal-basis': 'warrant', 'x-case-reference': 'AKL/2026:77-b' };
    const read = await call('GET', `/api/v1/events/${mine.body.id}`, { token: officer, headers });
    expect(read.status).toBe(200);
    const enquiry = await call('POST', '/api/v1/vehicles/enquiries', { token: officer, headers, body: { plate: 'PUR501' } });
    expect(enquiry.body.items.map((e: { id: string }) => e.id)).toEqual(expect.arrayContaining([mine.body.id, theirs.body.id]));
    const listed = await call('GET', `/api/v1/events?pageSize=100&${window}`, { token: officer, headers });
    expect(listed.status).toBe(200);
    const stated = { legalBasis: 'warrant', caseReference: 'AKL/2026:77-b' };
    expect((await chainOf(other.org)).find((e) => e.requestId === listed.headers.get('x-request-id'))).toMatchObject({ action: 'event.list', details: stated });
    const mineChain = await chainOf(w.org);
    expect(mineChain.find((e) => e.requestId === read.headers.get('x-request-id'))).toMatchObject({ action: 'event.read', actor: { org: agency }, details: stated });
    for (const org of [w.org, other.org]) {
      expect((await chainOf(org)).find((e) => e.requestId === enquiry.headers.get('x-request-id'))).toMatchObject({ action: 'vehicle.events', details: stated });
    }
  });

  it('the OpenAPI document shows the two headers on the routes that read retailer data', async () => {
    const doc = (await call('GET', '/api/v1/openapi.json')).body;
    const names = (op: { parameters?: { in: string; name: string }[] }) => (op.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    for (const [path, method] of [
      ['/api/v1/events', 'get'],
      ['/api/v1/events/{id}', 'get'],
      ['/api/v1/evidence/{id}/content', 'get'],
      ['/api/v1/vehicles/enquiries', 'post'],
    ] as const) {
      expect({ path, headers: names(doc.paths[path][method]) }).toEqual({ path, headers: ['x-legal-basis', 'x-case-reference'] });
    }
    expect(names(doc.paths['/api/v1/settings'].get)).toEqual([]);
  });
});

describe("a supervisor reviews the agency's officers (PoliceSupervisor)", () => {
  it("lists each officer's requests, refusals, legal bases, case references and routes over a period", async () => {
    const w = await retailerWorld();
    const event = await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ policeSharing: { mode: 'all', excludeAgencies: [] } }) });
    const agency = await createOrg('agency');
    const a = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-a' });
    const b = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-b' });
    const as = (token: string, legalBasis: string, caseReference: string) => ({ token, headers: { 'x-legal-basis': legalBasis, 'x-case-reference': caseReference } });
    for (let i = 0; i < 3; i += 1) expect((await call('GET', `/api/v1/events/${event.body.id}`, as(a, 'investigation', 'C-1'))).status).toBe(200);
    expect((await call('GET', `/api/v1/events/${event.body.id}`, as(a, 'warrant', 'W-2'))).status).toBe(200);
    expect((await call('GET', '/api/v1/events/no-such-event', as(a, 'investigation', 'C-1'))).status).toBe(404);
    expect((await call('GET', `/api/v1/events/${event.body.id}`, { token: a })).status).toBe(400);
    expect((await call('GET', '/api/v1/events', as(b, 'emergency', 'E-1'))).status).toBe(200);

    const supervisor = await tokenFor({ org: agency, roles: ['PoliceSupervisor'], sub: 'sergeant' });
    const review = await call('GET', '/api/v1/access-review', { token: supervisor });
    expect(review.status).toBe(200);
    expect(review.body.agencyId).toBe(agency);
    expect(review.body.officers).toEqual([
      expect.objectContaining({
        officer: 'officer-a',
        requests: 5,
        refusedRequests: 1,
        withoutPurpose: 1,
        legalBases: { investigation: 4, warrant: 1 },
        caseReferences: ['C-1', 'W-2'],
        caseReferenceCount: 2,
        routes: { 'events-get': 5 },
      }),
      expect.objectContaining({ officer: 'officer-b', requests: 1, refusedRequests: 0, withoutPurpose: 0, legalBases: { emergency: 1 }, routes: { 'events-list': 1 } }),
    ]);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect((await call('GET', `/api/v1/access-review?from=${tomorrow}`, { token: supervisor })).body.officers).toEqual([]);
    expect((await call('GET', `/api/v1/access-review?from=${tomorrow}&to=2020-01-01`, { token: supervisor })).status).toBe(400);
    // Only a supervisor of an agency; another agency's supervisor sees only their own officers.
    for (const token of [a, w.admin, await tokenFor({ org: w.org, roles: ['PoliceSupervisor'] })]) expect((await call('GET', '/api/v1/access-review', { token })).status).toBe(403);
    const elsewhere = await tokenFor({ org: await createOrg('agency'), roles: ['PoliceSupervisor'] });
    expect((await call('GET', '/api/v1/access-review', { token: elsewhere })).body.officers).toEqual([]);
    expect((await chainOf(agency)).some((e) => e.action === 'access-review.read' && e.actor.sub === 'sergeant')).toBe(true);
  });
});
