import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { baseUrl, call, createOrg, tokenFor } from '../support/api';
import { checkView, openBrowser, signedIn, type Browser } from '../support/browser';
import { eventBody, ownMinute, retailerWorld } from '../support/world';

/**
 * The console in Debian's Chromium against the test stack, as its people use it (issue 29): a
 * police officer signs in, is asked once why they are reading, and reads a shared event; a
 * compliance officer verifies the audit chain and downloads it. Every view is checked with
 * axe-core and photographed (.artifacts/console/).
 */
// Three people in Chromium, each in a browser of its own: more than the default minute on a loaded machine.
jest.setTimeout(180_000);

describe('the console in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let agency: string;
  let eventId: string;
  let eventDay: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    agency = await createOrg('agency');
    // A minute no other test writes at: the officer lists that day, where other tests' shared events are few.
    const { occurredAt } = ownMinute();
    eventDay = occurredAt.slice(0, 10);
    const posted = await call('POST', '/api/v1/events', {
      token: world.reporter,
      body: eventBody({ occurredAt, policeSharing: { mode: 'all', excludeAgencies: [] } }),
    });
    if (posted.status !== 201) throw new Error(`event: ${posted.status} ${posted.text}`);
    eventId = posted.body.id;
    // The read the compliance officer finds in the export, made here so that journey stands alone.
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-9' });
    const read = await call('GET', `/api/v1/events/${eventId}`, { token: officer, headers: { 'x-legal-basis': 'investigation', 'x-case-reference': 'AKL-2026/0999' } });
    if (read.status !== 200) throw new Error(`police read: ${read.status} ${read.text}`);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  /**
   * The sign-in itself, up to the button: from the home page's link (photographing both pages), or
   * straight to the development sign-in with a `returnTo` that signedIn would wait for in vain.
   */
  async function signIn(org: string, roles: string[], options: { sub: string; check?: boolean; returnTo?: string }) {
    const browser = await openBrowser();
    browsers.push(browser);
    const { page } = browser;
    if (options.returnTo === undefined) {
      await page.goto(`${baseUrl()}/`);
      await page.getByRole('heading', { name: 'Sign in to Daybreak' }).waitFor();
      if (options.check) await checkView(browser, 'signed-out');
      await page.getByRole('link', { name: 'Sign in' }).click();
    } else {
      await page.goto(`${baseUrl()}/dev/sign-in?return=${encodeURIComponent(options.returnTo)}`);
    }
    await page.getByRole('heading', { name: 'Development sign-in' }).waitFor();
    await page.getByLabel('Organisation id').fill(org);
    for (const role of roles) await page.getByRole('checkbox', { name: role, exact: true }).check();
    await page.getByLabel('User id').fill(options.sub);
    if (options.check) await checkView(browser, 'dev-sign-in');
    return browser;
  }

  it('a police officer is asked for the legal basis once, and reads a shared event with it on every request', async () => {
    const started = Date.now();
    const browser = await signIn(agency, ['PoliceOfficer'], { sub: 'officer-7', check: true });
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    await checkView(browser, 'home-police');

    const apiRequests: { url: string; headers: Record<string, string> }[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests.push({ url: request.url(), headers: request.headers() });
    });
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Shared events' }).click();
    await page.getByRole('heading', { name: 'Why are you reading?' }).waitFor();
    expect(apiRequests).toEqual([]); // nothing is read before the purpose is stated
    await checkView(browser, 'police-purpose');

    await page.getByLabel('Legal basis').selectOption('warrant');
    await page.getByLabel('Case reference').fill('not valid!');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.getByLabel('Case reference').getAttribute('aria-invalid')).toBe('true');
    await page.getByLabel('Case reference').fill('AKL-2026/0412');
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('columnheader', { name: 'When' }).waitFor();
    await page.getByLabel('Happened from').fill(eventDay);
    await page.getByLabel('Happened to').fill(eventDay);
    await page.getByRole('button', { name: 'Show events' }).click();
    const open = page.locator(`a[href="/police/events/${eventId}"]`);
    await open.waitFor();
    await checkView(browser, 'police-shared-events');

    await open.click();
    await page.getByRole('heading', { name: /Shoplifting at akl-042/ }).waitFor();
    await page.getByText('Concealed razor blades in a bag').waitFor();
    await checkView(browser, 'police-shared-event');

    // Back to the list and in again after a reload: the purpose is asked once per session, not per view.
    await page.reload();
    await page.getByRole('heading', { name: /Shoplifting at akl-042/ }).waitFor();
    await page.getByRole('link', { name: 'Back to shared events' }).click();
    await page.getByRole('columnheader', { name: 'When' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Why are you reading?' }).count()).toBe(0);

    // A malformed event address is no page, not a broken one.
    await page.goto(`${baseUrl()}/police/events/%E0%A4`);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();

    const reads = apiRequests.filter((r) => /\/api\/v1\/events/.test(r.url));
    expect(reads.length).toBeGreaterThanOrEqual(4);
    for (const read of reads) expect([read.headers['x-legal-basis'], read.headers['x-case-reference']]).toEqual(['warrant', 'AKL-2026/0412']);

    // A token the API refuses (its signature spoiled here; in life, expired or revoked) ends the session:
    // sign-in is offered again, with the way back to where the officer was.
    await page.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(key: string): string; setItem(key: string, value: string): void } }).sessionStorage;
      const token = storage.getItem('daybreak.token');
      storage.setItem('daybreak.token', token.slice(0, -4) + (token.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    });
    await page.goto(`${baseUrl()}/police`);
    await page.getByText('Your session has ended.').waitFor();
    expect(await page.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/dev/sign-in?return=%2Fpolice');
    console.log(`police journey: ${Date.now() - started} ms`);
  });

  it('a compliance officer verifies the audit chain and downloads the export, which holds a police read with its case', async () => {
    const started = Date.now();
    const browser = await signedIn(baseUrl(), world.org, ['Compliance'], 'comp-7', '/', { mfa: true });
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    await checkView(browser, 'compliance');

    await page.getByRole('button', { name: 'Verify audit chain' }).click();
    await page.getByText(/The chain is intact: \d+ entries/).waitFor();

    const downloading = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download export' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(new RegExp(`^audit-${world.org}-\\d{4}-\\d{2}-\\d{2}\\.jsonl$`));
    const file = path.join(os.tmpdir(), `daybreak-console-${world.org}.jsonl`);
    try {
      await download.saveAs(file);
      await page.getByText(/Downloaded audit-.*\.jsonl/).waitFor();
      await checkView(browser, 'compliance-verified-exported');

      const entries = (await readFile(file, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
      const policeRead = entries.find((e) => e.actor.org === agency && e.target.id === eventId && e.details?.caseReference === 'AKL-2026/0999');
      expect(policeRead?.details).toMatchObject({ legalBasis: 'investigation', caseReference: 'AKL-2026/0999' });
    } finally {
      await rm(file, { force: true });
    }
    console.log(`compliance journey: ${Date.now() - started} ms`);
  });

  it('a view is closed to a role it is not for; sign-in returns only to a path of this origin', async () => {
    // '/\\evil.example' is a path to a string check, and another host to the browser.
    const browser = await signIn(world.org, ['Reporter'], { sub: 'rep-7', returnTo: '/\\evil.example/x' });
    const { page } = browser;
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    expect(new URL(page.url()).origin).toBe(new URL(baseUrl()).origin);
    await page.goto(`${baseUrl()}/compliance`);
    await page.getByText('This view is for the Compliance role.').waitFor();
    // The navigation offers a Reporter only the view for that role.
    expect(await page.getByRole('navigation', { name: 'Views' }).getByRole('link').allTextContents()).toEqual(['Report']);
    await checkView(browser, 'wrong-role');
  });
});
