import { baseUrl, call, createOrg, PURPOSE, tokenFor } from '../support/api';
import { signedIn, type Browser } from '../support/browser';
import { files, submit } from '../support/evidence';
import { matchingDone } from '../support/retention';
import { eventBody, ownMinute, retailerWorld } from '../support/world';

/**
 * Every view of the console is interactive within a second on the local stack with data in it
 * (issue 29): measured from the navigation (a full page load: the page, its script, the configuration,
 * a lazily loaded view's chunk and the view's API calls) to the view's main content shown with nothing
 * left loading, with the browser's cache off, so each load fetches everything again. Each view is
 * loaded three times and judged by its median: one load slowed by the other test files running
 * beside this one on CI's two cores says nothing of the view. The times are printed.
 */
jest.setTimeout(180_000);

const LIMIT_MS = 1_000;

const pair = [
  { ref: 'p1', role: 'offender', name: { given: 'Aroha', family: 'Pendlebury-Tane' }, dateOfBirth: '1988-03-09' },
  { ref: 'p2', role: 'accomplice', name: { given: 'Nikau', family: 'Ferriday' }, dateOfBirth: '1992-07-21' },
];

describe('the console’s views, timed', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let agency: string;
  let eventId: string;
  let profileId: string;
  let evidenceId: string;
  const browsers: Browser[] = [];
  const times: { view: string; ms: string }[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    agency = await createOrg('agency');
    // Thirty events: a week of a store's reports, shared with the police, two people together in each.
    const { occurredAt } = ownMinute();
    const eventIds: string[] = [];
    for (let i = 0; i < 30; i++) {
      const at = new Date(Date.parse(occurredAt) - i * 3_600_000).toISOString();
      // The first person again in each (her profile attached); an accomplice reported afresh each time, as a store would.
      const people = profileId ? [{ ...pair[0]!, profileId }, pair[1]!] : pair;
      const res = await call('POST', '/api/v1/events', {
        token: world.investigator,
        body: eventBody({ occurredAt: at, people, storeId: i % 2 ? 'akl-042' : 'wgn-007', policeSharing: { mode: 'all', excludeAgencies: [] } }),
      });
      if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
      eventId ??= res.body.id;
      profileId ??= res.body.people[0].profileId;
      eventIds.push(res.body.id);
    }
    // The views read what the matcher has indexed (harm, groups, suggestions): timed once it is done, not while it works.
    await matchingDone(world.org, eventIds, 60_000);
    evidenceId = (await submit(world.investigator, eventId, await files.jpeg(), { fileName: 'till.jpg', kind: 'cctv' })).created.evidenceId;
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-t' });
    await call('POST', `/api/v1/events/${eventId}/messages`, { token: officer, headers: PURPOSE, body: { body: 'Any CCTV of the car park?' } });
  });

  afterAll(async () => {
    console.log(`console views, navigation to interactive, median of three loads without the cache (limit ${LIMIT_MS} ms):\n${times.map((t) => `  ${t.view.padEnd(24)} ${t.ms} ms`).join('\n')}`);
    for (const browser of browsers) await browser.close();
  });

  /** Opens `path` afresh and waits for its heading, `content`, and no status still saying it is loading: the median of three loads, each printed. */
  async function timed(browser: Browser, view: string, path: string, content: string): Promise<number> {
    const loads = [await loadOnce(browser, path, content), await loadOnce(browser, path, content), await loadOnce(browser, path, content)];
    const ms = [...loads].sort((a, b) => a - b)[1]!;
    times.push({ view, ms: `${ms} (${loads.join(', ')})` });
    return ms;
  }

  async function loadOnce(browser: Browser, path: string, content: string): Promise<number> {
    const { page } = browser;
    const cdp = await page.context().newCDPSession(page);
    // The cache setting takes effect only with the session's network domain enabled.
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    try {
      return await timeLoad(page, path, content);
    } finally {
      await cdp.detach();
    }
  }

  async function timeLoad(page: Browser['page'], path: string, content: string): Promise<number> {
    const started = Date.now();
    await page.goto(`${baseUrl()}${path}`);
    await page.locator('main h1').waitFor();
    await page.locator(content).first().waitFor();
    await page.waitForFunction(() => {
      const statuses = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll('main [role=status]');
      return !Array.from(statuses).some((s) => (s.textContent ?? '').trim().endsWith('…'));
    });
    const ms = Date.now() - started;
    // A view that failed to read is not interactive, however fast it said so.
    expect(await page.locator('main [role=alert]').count()).toBe(0);
    // And everything was fetched again: the script and any view's chunk came over the network.
    const fetched = await page.evaluate(() => performance.getEntriesByType('resource').filter((r) => (r as unknown as { transferSize: number }).transferSize > 0 && r.name.includes('/assets/')).length);
    expect(fetched).toBeGreaterThan(0);
    return ms;
  }

  it('every retailer view is interactive within a second', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Reporter', 'Investigator', 'Compliance', 'RetailerAdmin'], 'all-roles', '/');
    browsers.push(browser);
    const views: [string, string, string][] = [
      ['home', '/', 'main .cards a'],
      ['report', '/report', 'main form button'],
      ['link review', '/links', 'main table, main p[role=status]'],
      ['profiles by harm', '/profiles', 'main tbody tr'],
      ['profile', `/profiles/${profileId}`, 'main .events li'],
      ['groups', '/groups', 'main .groups li a'],
      ['analytics', '/analytics', 'main svg.chart'],
      ['event', `/events/${eventId}`, 'main .messages li'],
      ['audit', '/compliance', 'main button'],
      ['police requests', '/transparency', 'main table, main p[role=status]'],
      ['chain of custody', `/custody/${evidenceId}`, 'main tbody tr'],
    ];
    const slow: string[] = [];
    for (const [view, path, content] of views) {
      const ms = await timed(browser, view, path, content);
      if (ms > LIMIT_MS) slow.push(`${view} ${ms} ms`);
    }
    expect(slow).toEqual([]);
  });

  it('every police view is interactive within a second', async () => {
    const browser = await signedIn(baseUrl(), agency, ['PoliceOfficer'], 'officer-t2', '/police');
    browsers.push(browser);
    const { page } = browser;
    // The purpose is stated once per session, before any read; the views are timed after it.
    await page.getByLabel('Legal basis').selectOption('investigation');
    await page.getByLabel('Case reference').fill('AKL-2026/0100');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('columnheader', { name: 'When' }).waitFor();
    const slow: string[] = [];
    for (const [view, path, content] of [
      ['shared events', '/police', 'main tbody tr'],
      ['shared event', `/police/events/${eventId}`, 'main .messages li'],
    ] as const) {
      const ms = await timed(browser, view, path, content);
      if (ms > LIMIT_MS) slow.push(`${view} ${ms} ms`);
    }
    expect(slow).toEqual([]);
  });
});
