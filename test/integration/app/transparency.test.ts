import { call, createOrg, tokenFor } from '../support/api';
import { eventBody, ownMinute, retailerWorld } from '../support/world';

const shared = { policeSharing: { mode: 'all', excludeAgencies: [] } };
const month = () => new Date().toISOString().slice(0, 7);
type Row = { month: string; agencyId: string; legalBasis: string; lists: number | string; reads: number | string; downloads: number | string; vehicleEnquiries: number | string; caseReferences: number | string };

describe('transparency reports (PRODUCT §5b)', () => {
  it("count a retailer's police requests per agency × legal basis × month, from its audit chain, once each", async () => {
    const w = await retailerWorld();
    const other = await retailerWorld();
    const plate = `TR${Date.now() % 100_000}`;
    const { occurredAt, window } = ownMinute();
    const events: string[] = [];
    for (let i = 0; i < 3; i += 1) events.push((await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ ...shared, occurredAt, vehicles: [{ plate }] }) })).body.id);
    const internal = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody({ policeSharing: { mode: 'internal', excludeAgencies: [] } }) })).body.id;
    await call('POST', '/api/v1/events', { token: other.reporter, body: eventBody({ ...shared, occurredAt, vehicles: [{ plate }] }) });
    const agency = await createOrg('agency');
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-tr' });
    const as = (legalBasis: string, caseReference: string) => ({ token: officer, headers: { 'x-legal-basis': legalBasis, 'x-case-reference': caseReference } });

    for (const [i, id] of events.entries()) {
      expect((await call('GET', `/api/v1/events/${id}`, as('investigation', 'C-1'))).status).toBe(200);
      expect((await call('GET', `/api/v1/events/${id}`, as('investigation', i === 0 ? 'C-2' : 'C-1'))).status).toBe(200);
    }
    // A read the rule refuses is in the chain as denied, and is not a read.
    expect((await call('GET', `/api/v1/events/${internal}`, as('investigation', 'C-1'))).status).toBe(404);
    // Five lists, each showing events of both retailers (their own minute: other tests' events never fill the page).
    for (let i = 0; i < 5; i += 1) expect((await call('GET', `/api/v1/events?pageSize=100&${window}`, as('warrant', 'W-9'))).status).toBe(200);
    expect((await call('POST', '/api/v1/vehicles/enquiries', { ...as('prosecution', 'P-4'), body: { plate } })).status).toBe(200);

    const report = async (token: string, query = '') => call('GET', `/api/v1/transparency${query}`, { token });
    const admin = w.admin;
    const first = await report(admin);
    expect(first.status).toBe(200);
    const ours = (items: Row[]) => items.filter((r) => r.agencyId === agency).map(({ agencyId: _, ...r }) => r);
    const expected = [
      { month: month(), agencyName: `Test ${agency}`, legalBasis: 'investigation', lists: 0, reads: 6, downloads: 0, vehicleEnquiries: 0, caseReferences: 2 },
      { month: month(), agencyName: `Test ${agency}`, legalBasis: 'prosecution', lists: 0, reads: 0, downloads: 0, vehicleEnquiries: 1, caseReferences: 1 },
      { month: month(), agencyName: `Test ${agency}`, legalBasis: 'warrant', lists: 5, reads: 0, downloads: 0, vehicleEnquiries: 0, caseReferences: 1 },
    ];
    expect(ours(first.body.items)).toEqual(expected);
    expect(first.body).toMatchObject({ retailerId: w.org, to: month() });
    // Asked again, nothing is counted twice; later reads are added to what was counted.
    expect(ours((await report(w.compliance)).body.items)).toEqual(expected);
    for (let i = 0; i < 4; i += 1) await call('GET', `/api/v1/events/${events[0]}`, as('investigation', 'C-3'));
    // Three reports at once tally the same new entries: each is counted once.
    const together = await Promise.all([report(admin), report(w.compliance), report(admin)]);
    for (const res of together) expect(ours(res.body.items)[0]).toMatchObject({ legalBasis: 'investigation', reads: 10, caseReferences: 3 });
    expect(ours((await report(admin)).body.items)[0]).toMatchObject({ legalBasis: 'investigation', reads: 10, caseReferences: 3 });
    // The other retailer sees only what touched its own events: the list and the vehicle enquiry, no reads.
    expect(ours((await report(other.admin)).body.items)).toEqual([
      expect.objectContaining({ legalBasis: 'prosecution', vehicleEnquiries: 1, reads: 0 }),
      expect.objectContaining({ legalBasis: 'warrant', lists: 5, reads: 0 }),
    ]);

    // Months outside the range hold nothing; the range is checked.
    const next = new Date();
    next.setUTCMonth(next.getUTCMonth() + 1, 1);
    expect(ours((await report(admin, `?from=${next.toISOString().slice(0, 7)}`)).body.items)).toEqual([]);
    expect(ours((await report(admin, `?from=${month()}-01&to=${new Date().toISOString()}`)).body.items)).toHaveLength(3);
    for (const q of ['?from=2026-13', '?from=2026-12&to=2026-01', '?year=2026', '?from=yesterday']) expect({ q, status: (await report(admin, q)).status }).toEqual({ q, status: 400 });
    // Only RetailerAdmin and Compliance of a retailer; the report's reading is in the chain.
    for (const token of [w.investigator, w.reporter, officer]) expect((await call('GET', '/api/v1/transparency', { token, headers: as('investigation', 'C-1').headers })).status).toBe(403);
    expect((await call('GET', '/api/v1/transparency')).status).toBe(401);

    // The public report: no token, each request once whatever number of retailers it touched (five lists, not ten or more), counts below 5 as "<5".
    const published = await call('GET', `/api/v1/transparency/public?year=${new Date().getUTCFullYear()}`);
    expect(published.status).toBe(200);
    expect(published.headers.get('cache-control')).toContain('max-age');
    expect(ours(published.body.items)).toEqual([
      { month: month(), agencyName: `Test ${agency}`, legalBasis: 'investigation', lists: '<5', reads: 10, downloads: '<5', vehicleEnquiries: '<5', caseReferences: '<5' },
      { month: month(), agencyName: `Test ${agency}`, legalBasis: 'prosecution', lists: '<5', reads: '<5', downloads: '<5', vehicleEnquiries: '<5', caseReferences: '<5' },
      { month: month(), agencyName: `Test ${agency}`, legalBasis: 'warrant', lists: 5, reads: '<5', downloads: '<5', vehicleEnquiries: '<5', caseReferences: '<5' },
    ]);
    expect(JSON.stringify(published.body)).not.toMatch(/C-1|W-9|P-4|officer-tr/);
    expect((await call('GET', '/api/v1/transparency/public?year=twenty')).status).toBe(400);
  }, 60_000);

  it('the public report misses no request made just after another (a chain is marked for it at most once a second)', async () => {
    const w = await retailerWorld();
    const id = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody(shared) })).body.id;
    const agency = await createOrg('agency');
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-tp' });
    const read = async () => expect((await call('GET', `/api/v1/events/${id}`, { token: officer, headers: { 'x-legal-basis': 'warrant', 'x-case-reference': 'W-2' } })).status).toBe(200);
    const published = async () => {
      const res = await call('GET', `/api/v1/transparency/public?year=${new Date().getUTCFullYear()}`);
      return (res.body.items as Row[]).find((r) => r.agencyId === agency)?.reads;
    };
    for (let i = 0; i < 5; i += 1) await read();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // A read that marks the chain, a report that tallies it, and a read within the second, which marks nothing.
    await read();
    expect(await published()).toBe(6);
    await read();
    expect(await published()).toBe(7);
  }, 30_000);
});
