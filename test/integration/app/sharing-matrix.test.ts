import { PURPOSE, call, createOrg, tokenFor } from '../support/api';

/**
 * The visibility matrix, generated from PRODUCT §5 restated here independently of the code:
 * viewers × (retailer default × store jurisdiction × event mode × sensitive × exclusion),
 * each cell a GET that must answer 200 or 404.
 */
type Mode = 'default' | 'internal' | 'jurisdiction' | 'all';
type Default = 'none' | 'jurisdiction' | 'all';
interface Ev {
  id: string;
  retailer: string;
  retailerDefault: Default;
  store: 'akl' | 'wgn';
  mode: Mode;
  sensitive: boolean;
  excludesEx: boolean;
}
interface ViewerSpec {
  name: string;
  token: string;
  sees(e: Ev): boolean;
}

const JUR = { akl: 'NZ-AKL', wgn: 'NZ-WGN' } as const;

function policeSees(agencyId: string, jurisdictions: string[], e: Ev, exId: string): boolean {
  if (e.excludesEx && agencyId === exId) return false;
  const mode = e.mode === 'default' ? (e.sensitive ? 'none' : e.retailerDefault) : e.mode;
  if (mode === 'all') return true;
  return mode === 'jurisdiction' && jurisdictions.includes(JUR[e.store]);
}

describe('visibility matrix (PRODUCT §5)', () => {
  const events: Ev[] = [];
  const viewers: ViewerSpec[] = [];
  const retailers: Record<Default, string> = { none: '', jurisdiction: '', all: '' };
  let partner = '';
  let agencyAkl = '';

  beforeAll(async () => {
    const platform = await tokenFor({ roles: ['PlatformAdmin'] });
    agencyAkl = await createOrg('agency', { jurisdictions: ['NZ-AKL'] });
    const agencyWgn = await createOrg('agency', { jurisdictions: ['NZ-WGN'] });
    const agencyEx = await createOrg('agency', { jurisdictions: ['NZ-AKL', 'NZ-WGN'] });
    partner = await createOrg('retailer');
    const stranger = await createOrg('retailer');
    for (const d of ['none', 'jurisdiction', 'all'] as const) {
      const org = await createOrg('retailer');
      retailers[d] = org;
      const admin = await tokenFor({ org, roles: ['RetailerAdmin'], mfa: true });
      await call('PUT', '/api/v1/settings', { token: admin, body: { policeSharing: d } });
      for (const s of ['akl', 'wgn'] as const) {
        await call('PUT', `/api/v1/stores/${s}`, { token: admin, body: { name: s, jurisdiction: JUR[s] } });
      }
      const reporter = await tokenFor({ org, roles: ['Investigator'] });
      for (const store of ['akl', 'wgn'] as const)
        for (const mode of ['default', 'internal', 'jurisdiction', 'all'] as const)
          for (const sensitive of [false, true]) {
            const excludesEx = mode !== 'internal' && !sensitive;
            const res = await call('POST', '/api/v1/events', {
              token: reporter,
              body: {
                storeId: store,
                occurredAt: '2026-11-01T10:00:00Z',
                type: 'shoplifting',
                prevented: false,
                sensitive,
                policeSharing: { mode, excludeAgencies: excludesEx ? [agencyEx] : [] },
              },
            });
            if (res.status !== 201) throw new Error(res.text);
            events.push({ id: res.body.id, retailer: org, retailerDefault: d, store, mode, sensitive, excludesEx });
          }
    }
    // The partner has an active agreement with the `jurisdiction` retailer, and only a proposal with the `all` one.
    const partnerAdmin = await tokenFor({ org: partner, roles: ['RetailerAdmin'] });
    const proposed = await call('POST', '/api/v1/agreements', { token: partnerAdmin, body: { partnerRetailerId: retailers.jurisdiction } });
    const accepted = await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, {
      token: await tokenFor({ org: retailers.jurisdiction, roles: ['RetailerAdmin'] }),
    });
    expect(accepted.body.status).toBe('active');
    await call('POST', '/api/v1/agreements', { token: partnerAdmin, body: { partnerRetailerId: retailers.all } });

    const police = async (org: string, jurisdictions: string[]) => ({
      name: `police of ${jurisdictions.join('+')}${org === agencyEx ? ' (excluded on some)' : ''}`,
      token: await tokenFor({ org, roles: ['PoliceOfficer'] }),
      sees: (e: Ev) => policeSees(org, jurisdictions, e, agencyEx),
    });
    viewers.push(
      await police(agencyAkl, ['NZ-AKL']),
      await police(agencyWgn, ['NZ-WGN']),
      await police(agencyEx, ['NZ-AKL', 'NZ-WGN']),
      {
        name: 'partner investigator',
        token: await tokenFor({ org: partner, roles: ['Investigator'] }),
        sees: (e) => e.retailer === retailers.jurisdiction && !e.sensitive,
      },
      { name: 'partner reporter', token: await tokenFor({ org: partner, roles: ['Reporter'] }), sees: () => false },
      { name: 'stranger investigator', token: await tokenFor({ org: stranger, roles: ['Investigator'] }), sees: () => false },
      { name: 'police without the role', token: await tokenFor({ org: agencyAkl, roles: ['Reporter'] }), sees: () => false },
      { name: 'platform admin', token: platform, sees: () => false },
    );
    for (const d of ['none', 'jurisdiction', 'all'] as const) {
      viewers.push(
        { name: `owner investigator (${d})`, token: await tokenFor({ org: retailers[d], roles: ['Investigator'] }), sees: (e) => e.retailer === retailers[d] },
        { name: `owner reporter (${d})`, token: await tokenFor({ org: retailers[d], roles: ['Reporter'] }), sees: (e) => e.retailer === retailers[d] && !e.sensitive },
        {
          name: `owner reporter scoped to akl (${d})`,
          token: await tokenFor({ org: retailers[d], roles: ['Reporter'], stores: ['akl'] }),
          sees: (e) => e.retailer === retailers[d] && !e.sensitive && e.store === 'akl',
        },
      );
    }
  }, 120_000);

  it('every cell answers 200 exactly when the rules say so, else 404', async () => {
    const wrong: string[] = [];
    let cells = 0;
    for (const v of viewers) {
      await Promise.all(
        events.map(async (e) => {
          const res = await call('GET', `/api/v1/events/${e.id}`, { token: v.token, headers: PURPOSE });
          const expected = v.sees(e) ? 200 : 404;
          cells += 1;
          if (res.status !== expected) {
            wrong.push(`${v.name} × ${e.retailerDefault}/${e.store}/${e.mode}/${e.sensitive ? 'sensitive' : 'plain'}${e.excludesEx ? '/excl' : ''}: ${res.status}, expected ${expected}`);
          }
        }),
      );
    }
    expect(wrong).toEqual([]);
    expect(cells).toBeGreaterThanOrEqual(100);
  }, 120_000);

  it("a police officer's list holds exactly the events shared with the agency", async () => {
    const v = viewers[0]!;
    const ours = new Set(Object.values(retailers));
    const listed: string[] = [];
    let token: string | null = null;
    do {
      const page: { status: number; body: { items: { id: string; retailerId: string }[]; continuationToken: string | null } } = await call(
        'GET',
        `/api/v1/events?pageSize=7${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`,
        { token: v.token, headers: PURPOSE },
      );
      expect(page.status).toBe(200);
      listed.push(...page.body.items.filter((e) => ours.has(e.retailerId)).map((e) => e.id));
      token = page.body.continuationToken;
    } while (token);
    expect(listed.sort()).toEqual(events.filter((e) => v.sees(e)).map((e) => e.id).sort());
  }, 60_000);

  it("a police officer's ?profileId= filter holds only that person's shared events", async () => {
    const investigator = await tokenFor({ org: retailers.all, roles: ['Investigator'] });
    const report = (policeSharing: { mode: string }, profileId?: string) =>
      call('POST', '/api/v1/events', {
        token: investigator,
        body: { storeId: 'akl', occurredAt: '2026-11-02T10:00:00Z', type: 'shoplifting', prevented: false, policeSharing, people: [{ ref: 'p1', role: 'offender', ...(profileId ? { profileId } : {}) }] },
      });
    const shared = await report({ mode: 'default' });
    const profileId = shared.body.people[0].profileId as string;
    await report({ mode: 'internal' }, profileId);
    const onlyInternal = (await report({ mode: 'internal' })).body.people[0].profileId as string;
    const listed = async (id: string) =>
      (await call('GET', `/api/v1/events?profileId=${id}`, { token: viewers[0]!.token, headers: PURPOSE })).body.items.map((e: { id: string }) => e.id);
    expect(await listed(profileId)).toEqual([shared.body.id]);
    expect(await listed(onlyInternal)).toEqual([]);
  }, 60_000);

  it('a revoked agreement takes effect on the very next read', async () => {
    const e = events.find((x) => x.retailer === retailers.jurisdiction && !x.sensitive)!;
    const investigator = viewers.find((v) => v.name === 'partner investigator')!.token;
    expect((await call('GET', `/api/v1/events/${e.id}`, { token: investigator })).status).toBe(200);
    const list = await call('GET', '/api/v1/agreements', { token: await tokenFor({ org: partner, roles: ['RetailerAdmin'] }) });
    const active = list.body.items.find((a: { status: string }) => a.status === 'active');
    const revoked = await call('DELETE', `/api/v1/agreements/${active.id}`, {
      token: await tokenFor({ org: retailers.jurisdiction, roles: ['RetailerAdmin'] }),
    });
    expect(revoked.body.status).toBe('revoked');
    expect((await call('GET', `/api/v1/events/${e.id}`, { token: investigator })).status).toBe(404);
  });

  it("outsiders' reads and refused attempts land in the owner's chain with the reader's org", async () => {
    const owner = retailers.all;
    const e = events.find((x) => x.retailer === owner && x.mode === 'all' && !x.sensitive)!;
    const hidden = events.find((x) => x.retailer === owner && x.mode === 'internal')!;
    const officer = viewers[0]!.token;
    await call('GET', `/api/v1/events/${e.id}`, { token: officer, headers: PURPOSE });
    await call('GET', `/api/v1/events/${hidden.id}`, { token: officer, headers: PURPOSE });
    const { readChain } = await import('../../../shared/audit/audit-entry-repository');
    const seen: { action: string; outcome: string; org: string | null; target: string }[] = [];
    for await (const entry of readChain(owner)) seen.push({ action: entry.action, outcome: entry.outcome, org: entry.actor.org, target: entry.target.id });
    expect(seen).toContainEqual({ action: 'event.read', outcome: 'success', org: agencyAkl, target: e.id });
    expect(seen).toContainEqual({ action: 'event.read', outcome: 'denied', org: agencyAkl, target: hidden.id });
  });
});
