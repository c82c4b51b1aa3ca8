import { PURPOSE, call, createOrg, tokenFor, uniqueId } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';

describe('organisations', () => {
  it('a PlatformAdmin creates retailers and agencies; ids are unique', async () => {
    const platform = await tokenFor({ roles: ['PlatformAdmin'] });
    const id = uniqueId('acme');
    const res = await call('POST', '/api/v1/orgs', { token: platform, body: { id, type: 'retailer', name: 'Acme Ltd' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/api/v1/orgs/${id}`);
    expect(res.body).toMatchObject({ id, type: 'retailer', name: 'Acme Ltd', jurisdictions: [] });
    const again = await call('POST', '/api/v1/orgs', { token: platform, body: { id, type: 'agency', name: 'X', jurisdictions: ['NZ'] } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ORG_EXISTS');
    // The same create again by its creator (a retry whose first answer was lost): the first response, nothing new.
    const retried = await call('POST', '/api/v1/orgs', { token: platform, body: { id, type: 'retailer', name: 'Acme Ltd' } });
    expect([retried.status, retried.body]).toEqual([201, res.body]);
    const agency = await call('POST', '/api/v1/orgs', {
      token: platform,
      body: { id: uniqueId('police'), type: 'agency', name: 'Police', jurisdictions: ['NZ-AKL', 'NZ-WGN'] },
    });
    expect(agency.status).toBe(201);
    expect(agency.body.jurisdictions).toEqual(['NZ-AKL', 'NZ-WGN']);
  });

  it('an agency without jurisdictions is refused with the path', async () => {
    const platform = await tokenFor({ roles: ['PlatformAdmin'] });
    const res = await call('POST', '/api/v1/orgs', { token: platform, body: { id: uniqueId('p'), type: 'agency', name: 'P' } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('jurisdictions');
  });

  it('nobody but a PlatformAdmin creates organisations, and the attempt is audited', async () => {
    const org = await createOrg('retailer');
    const admin = await tokenFor({ org, roles: ['RetailerAdmin', 'Investigator'], mfa: true });
    const res = await call('POST', '/api/v1/orgs', { token: admin, body: { id: uniqueId('x'), type: 'retailer', name: 'X' } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const compliance = await tokenFor({ org, roles: ['Compliance'] });
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: true, entries: 2 }); // org.create + the denied attempt
  });

  it("PlatformAdmin assigned in a retailer's own directory creates, approves and reads nothing from the retailer", async () => {
    const [org, other] = [await createOrg('retailer'), await createOrg('retailer')];
    const token = await tokenFor({ org, roles: ['PlatformAdmin'], mfa: true });
    const created = await call('POST', '/api/v1/orgs', { token, body: { id: uniqueId('x'), type: 'retailer', name: 'X' } });
    expect([created.status, created.body.code]).toEqual([403, 'FORBIDDEN']);
    expect((await call('GET', `/api/v1/orgs/${other}`, { token })).status).toBe(404);
    const agency = await createOrg('agency', { pending: true });
    const expiresAt = new Date(Date.now() + 86_400_000 * 365).toISOString();
    const approval = { agreementReference: 'MOU-1', privacyAssessmentReference: 'PIA-1', expiresAt };
    expect((await call('PUT', `/api/v1/orgs/${agency}/activation`, { token, body: approval })).status).toBe(403);
    expect((await call('DELETE', `/api/v1/orgs/${agency}/activation`, { token })).status).toBe(403);
    const platform = await tokenFor({ roles: ['PlatformAdmin'], mfa: true });
    expect((await call('GET', `/api/v1/orgs/${agency}`, { token: platform })).body.status).toBe('pending');
  });

  it('members read their own organisation; another organisation is a 404', async () => {
    const [a, b] = [await createOrg('retailer'), await createOrg('retailer')];
    const reporter = await tokenFor({ org: a, roles: ['Reporter'] });
    expect((await call('GET', `/api/v1/orgs/${a}`, { token: reporter })).status).toBe(200);
    const other = await call('GET', `/api/v1/orgs/${b}`, { token: reporter });
    const missing = await call('GET', `/api/v1/orgs/${uniqueId('none')}`, { token: reporter });
    expect(other.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(other.body).toEqual({ ...missing.body });
  });
});

describe('stores', () => {
  let org: string;
  let admin: string;
  beforeAll(async () => {
    org = await createOrg('retailer');
    admin = await tokenFor({ org, roles: ['RetailerAdmin'] });
  });

  it('PUT creates (201) then updates (200) a store, keeping createdAt', async () => {
    const first = await call('PUT', '/api/v1/stores/akl-042', { token: admin, body: { name: 'Queen St', jurisdiction: 'NZ-AKL' } });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ id: 'akl-042', retailerId: org, name: 'Queen St', jurisdiction: 'NZ-AKL' });
    const second = await call('PUT', '/api/v1/stores/akl-042', { token: admin, body: { name: 'Queen Street', jurisdiction: 'NZ-AKL' } });
    expect(second.status).toBe(200);
    expect(second.body.name).toBe('Queen Street');
    expect(second.body.createdAt).toBe(first.body.createdAt);
    const reporter = await tokenFor({ org, roles: ['Reporter'] });
    const list = await call('GET', '/api/v1/stores', { token: reporter });
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual(['akl-042']);
    expect(list.body.continuationToken).toBeNull();
    // Paged like every list (pageSize + continuationToken).
    await call('PUT', '/api/v1/stores/wgn-001', { token: admin, body: { name: 'Lambton Quay', jurisdiction: 'NZ-WGN' } });
    const firstPage = await call('GET', '/api/v1/stores?pageSize=1', { token: reporter });
    const nextPage = await call('GET', `/api/v1/stores?pageSize=1&continuationToken=${firstPage.body.continuationToken}`, { token: reporter });
    expect([...firstPage.body.items, ...nextPage.body.items].map((s: { id: string }) => s.id)).toEqual(['akl-042', 'wgn-001']);
    expect(nextPage.body.continuationToken).toBeNull();
    expect((await call('GET', '/api/v1/stores/akl-042', { token: reporter })).body.name).toBe('Queen Street');
  });

  it('a store moved to another jurisdiction applies to the next event at once (the store cache follows writes)', async () => {
    const w = await retailerWorld();
    const wgnPolice = await createOrg('agency', { jurisdictions: ['NZ-WGN'] });
    const officer = await tokenFor({ org: wgnPolice, roles: ['PoliceOfficer'] });
    const report = async () => (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body.id as string;
    // akl-042 is in NZ-AKL: the host has now checked (and cached) it.
    const before = await report();
    const moved = await call('PUT', '/api/v1/stores/akl-042', { token: w.admin, body: { name: 'Moved', jurisdiction: 'NZ-WGN' } });
    expect(moved.status).toBe(200);
    const after = await report();
    expect((await call('GET', `/api/v1/events/${before}`, { token: officer, headers: PURPOSE })).status).toBe(404);
    expect((await call('GET', `/api/v1/events/${after}`, { token: officer, headers: PURPOSE })).status).toBe(200);
  });

  it('only a RetailerAdmin of a retailer may write stores', async () => {
    const body = { name: 'X', jurisdiction: 'NZ-AKL' };
    for (const roles of [['Reporter'], ['Investigator'], ['Compliance'], ['Integration']] as const) {
      const res = await call('PUT', '/api/v1/stores/x1', { token: await tokenFor({ org, roles: [...roles] }), body });
      expect(res.status).toBe(403);
    }
    const agency = await createOrg('agency');
    const res = await call('PUT', '/api/v1/stores/x1', { token: await tokenFor({ org: agency, roles: ['RetailerAdmin'] }), body });
    expect(res.status).toBe(403);
  });

  it("another retailer's store is a 404 and never changes", async () => {
    const other = await createOrg('retailer');
    const otherAdmin = await tokenFor({ org: other, roles: ['RetailerAdmin'] });
    expect((await call('GET', '/api/v1/stores/akl-042', { token: otherAdmin })).status).toBe(404);
    // Writing the same store id in another tenant creates that tenant's own store.
    const res = await call('PUT', '/api/v1/stores/akl-042', { token: otherAdmin, body: { name: 'Theirs', jurisdiction: 'US-NM' } });
    expect(res.status).toBe(201);
    const mine = await call('GET', '/api/v1/stores/akl-042', { token: admin });
    expect(mine.body.jurisdiction).toBe('NZ-AKL');
  });

  it('rejects bad jurisdictions and unknown fields', async () => {
    expect((await call('PUT', '/api/v1/stores/s2', { token: admin, body: { name: 'X', jurisdiction: 'Auckland' } })).status).toBe(400);
    expect((await call('PUT', '/api/v1/stores/s2', { token: admin, body: { name: 'X', jurisdiction: 'NZ', x: 1 } })).status).toBe(400);
  });
});

describe('settings', () => {
  let org: string;
  beforeAll(async () => {
    org = await createOrg('retailer');
  });

  it('start at the documented defaults', async () => {
    const res = await call('GET', '/api/v1/settings', { token: await tokenFor({ org, roles: ['RetailerAdmin'] }) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      retentionDays: 730,
      policeSharing: 'jurisdiction',
      connectTheDots: { crossRetailer: false, imageMatching: false },
      lprAlerts: { minEvents: 1, violentOnly: false, minLossValue: 0 },
      riskTiers: [
        { name: 'extreme-threat', when: { weaponUsed: true } },
        { name: 'serious-threat', when: { violentEvents: 2 } },
        { name: 'high-loss', when: { lossValue: 1000, days: 90 } },
      ],
    });
  });

  it('changing them needs MFA', async () => {
    const res = await call('PUT', '/api/v1/settings', {
      token: await tokenFor({ org, roles: ['RetailerAdmin'], mfa: false }),
      body: { retentionDays: 365 },
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('MFA_REQUIRED');
  });

  it('only a RetailerAdmin reads or changes them', async () => {
    for (const role of ['Reporter', 'Investigator', 'Compliance', 'Integration', 'PoliceOfficer', 'PlatformAdmin'] as const) {
      const token = await tokenFor({ org, roles: [role], mfa: true });
      expect((await call('GET', '/api/v1/settings', { token })).status).toBe(403);
      expect((await call('PUT', '/api/v1/settings', { token, body: { retentionDays: 400 } })).status).toBe(403);
    }
  });

  it('a change merges, returns an ETag, and a stale If-Match is 412', async () => {
    const token = await tokenFor({ org, roles: ['RetailerAdmin'], mfa: true });
    const first = await call('PUT', '/api/v1/settings', { token, body: { retentionDays: 365, connectTheDots: { crossRetailer: true } } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ retentionDays: 365, policeSharing: 'jurisdiction', connectTheDots: { crossRetailer: true, imageMatching: false } });
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await call('PUT', '/api/v1/settings', { token, body: { policeSharing: 'all' }, headers: { 'if-match': etag! } });
    expect(second.status).toBe(200);
    const stale = await call('PUT', '/api/v1/settings', { token, body: { policeSharing: 'none' }, headers: { 'if-match': etag! } });
    expect(stale.status).toBe(412);
    const now = await call('GET', '/api/v1/settings', { token });
    expect(now.body).toMatchObject({ retentionDays: 365, policeSharing: 'all' });
    expect(now.headers.get('etag')).toBe(second.headers.get('etag'));
  });

  it('a retailer that never saved any has an ETag for its defaults, which a first change may state', async () => {
    const fresh = await createOrg('retailer');
    const token = await tokenFor({ org: fresh, roles: ['RetailerAdmin'], mfa: true });
    const read = await call('GET', '/api/v1/settings', { token });
    const etag = read.headers.get('etag');
    expect(etag).toBeTruthy();
    const changed = await call('PUT', '/api/v1/settings', { token, body: { retentionDays: 400 }, headers: { 'if-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect((await call('PUT', '/api/v1/settings', { token, body: { retentionDays: 500 }, headers: { 'if-match': etag! } })).status).toBe(412);
  });

  it('out-of-range values are refused with their path', async () => {
    const token = await tokenFor({ org, roles: ['RetailerAdmin'], mfa: true });
    const res = await call('PUT', '/api/v1/settings', { token, body: { retentionDays: 10 } });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('retentionDays');
  });
});
