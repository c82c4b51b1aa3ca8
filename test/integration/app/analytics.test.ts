import { call, tokenFor } from '../support/api';
import { daysAgo, matched, report, shortRetentionWorld } from '../support/retention';
import { retailerWorld } from '../support/world';

const analytics = (token: string, query: string) => call('GET', `/api/v1/analytics?${query}`, { token });

describe('GET /api/v1/analytics', () => {
  it('counts, loss value, prevented and repeat-offender shares per type, product, store, hour and weekday', async () => {
    const w = await retailerWorld();
    const jon = await report(w.investigator, { occurredAt: '2026-03-02T23:30:00+13:00' }); // Monday 23:30 in Auckland
    await report(w.investigator, {
      occurredAt: '2026-03-03T09:10:00+13:00',
      people: [{ ref: 'p1', role: 'offender', profileId: jon.people[0]!.profileId }],
      prevented: true,
      sensitive: true,
    });
    await report(w.investigator, {
      occurredAt: '2026-03-04T12:00:00Z',
      storeId: 'wgn-007',
      type: 'robbery',
      products: [{ sku: '999', name: 'Cash float', quantity: 1, unitValue: 500 }],
      people: [],
    });
    const range = 'from=2026-03-01&to=2026-03-31';

    const byType = await analytics(w.investigator, `${range}&groupBy=type`);
    expect(byType.status).toBe(200);
    expect(byType.body.groups).toEqual([
      expect.objectContaining({ key: 'shoplifting', events: 2, prevented: 1, preventedShare: 0.5, repeatOffenderEvents: 2, repeatOffenderShare: 1, lossValue: 74.97 }),
      expect.objectContaining({ key: 'robbery', events: 1, prevented: 0, repeatOffenderEvents: 0, lossValue: 500, lossValueByCurrency: { NZD: 500 } }),
    ]);
    expect(byType.body.totals).toMatchObject({ events: 3, lossValue: 574.97 });

    const byProduct = (await analytics(w.investigator, `${range}&groupBy=product`)).body.groups;
    expect(byProduct).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: '123', events: 2, quantity: 6, value: 149.94, lossValue: 74.97 }),
        expect.objectContaining({ key: '999', events: 1, quantity: 1, lossValue: 500 }),
      ]),
    );
    const byStore = (await analytics(w.investigator, `${range}&groupBy=store`)).body.groups;
    expect(byStore.map((g: { key: string; events: number }) => [g.key, g.events])).toEqual([
      ['akl-042', 2],
      ['wgn-007', 1],
    ]);
    const byHour = (await analytics(w.investigator, `${range}&groupBy=hour`)).body.groups;
    expect(byHour.map((g: { key: string }) => g.key).sort()).toEqual(['09', '12', '23']);
    const byDay = (await analytics(w.investigator, `${range}&groupBy=weekday`)).body.groups;
    expect(byDay.map((g: { key: string }) => g.key).sort()).toEqual(['monday', 'tuesday', 'wednesday']);

    // Another retailer sees nothing of these.
    const other = await retailerWorld();
    expect((await analytics(other.investigator, `${range}&groupBy=type`)).body.totals.events).toBe(0);
  });

  it('is for Investigators; bad query parameters are 400', async () => {
    const w = await retailerWorld();
    for (const token of [w.reporter, w.admin, w.compliance, w.integration, await tokenFor({ roles: ['PlatformAdmin'] })]) {
      expect((await analytics(token, 'groupBy=type')).status).toBe(403);
    }
    for (const query of [
      'groupBy=person',
      'groupBy=type&from=yesterday',
      'groupBy=type&from=2026-13-01',
      'groupBy=type&from=2026-03-10&to=2026-03-01',
      'groupBy=type&from=2000-01-01&to=2026-01-01',
      'groupBy=type&storeId=akl-042',
    ]) {
      const res = await analytics(w.investigator, query);
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
    expect((await analytics(w.investigator, '')).status).toBe(200);
  });

  it('gives the same figures for a period before and after the retention sweep purged it', async () => {
    const w = await shortRetentionWorld();
    const first = await report(w.investigator, { occurredAt: daysAgo(45, 22) });
    await report(w.investigator, { occurredAt: daysAgo(44, 3), people: [{ ref: 'p1', role: 'offender', profileId: first.people[0]!.profileId }] });
    await report(w.investigator, { occurredAt: daysAgo(43), prevented: true, people: [], storeId: 'wgn-007', type: 'robbery' });
    await report(w.investigator, { occurredAt: daysAgo(42), sensitive: true, products: [{ sku: 'X1', name: 'Gift card', quantity: 2, unitValue: 50.5 }] });
    await report(w.investigator, { occurredAt: daysAgo(3) });
    await matched(w.org, [first.people[0]!.profileId]);
    const query = (groupBy: string) => `from=${daysAgo(60).slice(0, 10)}&to=${daysAgo(0).slice(0, 10)}&groupBy=${groupBy}`;
    const groupings = ['type', 'product', 'store', 'hour', 'weekday'];
    const before = await Promise.all(groupings.map(async (g) => (await analytics(w.investigator, query(g))).body));
    expect(before[0].totals.events).toBe(5);

    const platform = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin' });
    const sweep = await call('POST', `/api/v1/admin/jobs/retention-sweep?retailerId=${w.org}`, { token: platform });
    expect(sweep.body.totals.eventsPurged).toBe(4);

    const after = await Promise.all(groupings.map(async (g) => (await analytics(w.investigator, query(g))).body));
    expect(after).toEqual(before);
  });
});
