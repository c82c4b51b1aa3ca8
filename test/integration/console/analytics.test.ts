import { baseUrl, call } from '../support/api';
import { checkView, signedIn, type Browser } from '../support/browser';
import { eventBody, retailerWorld } from '../support/world';

/**
 * An investigator reads the analytics (issue 29): events reported through the API are counted per
 * type and per store, as bar charts each with its data table, and the charts' figures are the API's.
 */
jest.setTimeout(180_000);

describe('the analytics view in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    const events = [
      { type: 'shoplifting', storeId: 'akl-042', occurredAt: '2026-11-02T09:00:00Z' },
      { type: 'shoplifting', storeId: 'akl-042', occurredAt: '2026-11-03T10:00:00Z' },
      { type: 'shoplifting', storeId: 'wgn-007', occurredAt: '2026-11-04T11:00:00Z' },
      { type: 'robbery', storeId: 'wgn-007', occurredAt: '2026-11-05T12:00:00Z', products: [{ sku: '9', name: 'Cigarettes', quantity: 10, unitValue: 40 }] },
    ];
    for (const overrides of events) {
      const res = await call('POST', '/api/v1/events', { token: world.reporter, body: eventBody({ vehicles: [], people: [], ...overrides }) });
      if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
    }
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  it('an investigator sees events and loss per type, then per store, as charts with their tables', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-analytics', '/');
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Analytics' }).click();
    await page.getByRole('heading', { name: 'Analytics', level: 1 }).waitFor();
    await page.getByLabel('From', { exact: true }).fill('2026-11-01');
    await page.getByLabel('To', { exact: true }).fill('2026-11-30');
    await page.getByRole('button', { name: 'Show figures' }).click();

    await page.getByRole('heading', { name: 'Totals from 2026-11-01 to 2026-11-30', level: 2 }).waitFor();
    const events = page.getByRole('table', { name: 'Events per type of event' });
    expect(await events.locator('tbody tr').allInnerTexts()).toEqual(['Shoplifting\t3\t0%\t0%\t3', 'Robbery\t1\t0%\t0%\t1']);
    const loss = page.getByRole('table', { name: 'Loss per type of event' });
    expect(await loss.locator('tbody tr').allInnerTexts()).toEqual(['Shoplifting\t224.91\t224.91 NZD', 'Robbery\t400.00\t400.00 NZD']);
    // Each chart is one image, named by what it shows; its bars are the table's rows.
    const chart = page.getByRole('img', { name: /^Events per type of event: 2 bars, the largest Shoplifting at 3\./ });
    expect(await chart.locator('rect').count()).toBe(2);
    await checkView(browser, 'analytics-type');

    await page.getByLabel('Count per').selectOption('store');
    await page.getByRole('button', { name: 'Show figures' }).click();
    await page.getByRole('heading', { name: 'Events per store', level: 2 }).waitFor();
    const perStore = page.getByRole('table', { name: 'Loss per store' });
    await perStore.waitFor();
    // Two events each: the API's order between them is its own.
    expect((await perStore.locator('tbody tr').allInnerTexts()).sort()).toEqual(['akl-042\t149.94\t149.94 NZD', 'wgn-007\t474.97\t474.97 NZD']);
    await checkView(browser, 'analytics-store');

    // What the API says for the same range.
    const api = await call('GET', '/api/v1/analytics?from=2026-11-01&to=2026-11-30&groupBy=store', { token: world.investigator });
    expect(api.body.totals).toMatchObject({ events: 4, lossValue: 624.91 });
  });
});
