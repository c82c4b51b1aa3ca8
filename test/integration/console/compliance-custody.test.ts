import { baseUrl, call, createOrg, PURPOSE, tokenFor } from '../support/api';
import { checkView, signedIn, type Browser } from '../support/browser';
import { files, submit } from '../support/evidence';
import { eventBody, ownMinute, retailerWorld } from '../support/world';

/**
 * Transparency and custody in the console (issue 29): a retailer's admin sees what the police read
 * of its data and why (per month, agency and legal basis); a compliance officer opens an evidence
 * item's chain of custody and has the stored bytes re-hashed; an investigator reaches the same
 * chain from the event.
 */
jest.setTimeout(180_000);

describe('transparency and custody in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let agency: string;
  let eventId: string;
  let evidenceId: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    agency = await createOrg('agency');
    const posted = await call('POST', '/api/v1/events', {
      token: world.reporter,
      body: eventBody({ occurredAt: ownMinute().occurredAt, policeSharing: { mode: 'all', excludeAgencies: [] } }),
    });
    if (posted.status !== 201) throw new Error(`event: ${posted.status} ${posted.text}`);
    eventId = posted.body.id;
    const { created } = await submit(world.reporter, eventId, await files.jpeg(), { fileName: 'door.jpg', kind: 'cctv' });
    evidenceId = created.evidenceId;
    // Two police reads under one case: what the transparency report counts.
    const officer = await tokenFor({ org: agency, roles: ['PoliceOfficer'], sub: 'officer-31' });
    for (const path of [`/api/v1/events/${eventId}`, `/api/v1/evidence/${evidenceId}`]) {
      const read = await call('GET', path, { token: officer, headers: PURPOSE });
      if (read.status !== 200) throw new Error(`police read ${path}: ${read.status} ${read.text}`);
    }
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  it("a retailer's admin sees the police requests per month, agency and legal basis", async () => {
    const browser = await signedIn(baseUrl(), world.org, ['RetailerAdmin'], 'admin-7', '/');
    browsers.push(browser);
    const { page } = browser;
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Police requests']);
    await nav.getByRole('link', { name: 'Police requests' }).click();
    await page.getByRole('heading', { name: 'Police requests', level: 1 }).waitFor();
    const row = page.locator('tbody tr');
    await row.first().waitFor();
    const month = new Date().toISOString().slice(0, 7);
    // Month, agency, basis, lists, reads, downloads, vehicle enquiries, cases.
    expect(await row.allInnerTexts()).toEqual([expect.stringMatching(new RegExp(`^${month}\\t.+\\tInvestigation\\t0\\t2\\t0\\t0\\t1$`))]);
    await checkView(browser, 'transparency');
  });

  it('a compliance officer opens an evidence item’s chain of custody and re-hashes the stored bytes', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Compliance'], 'comp-31', '/');
    browsers.push(browser);
    const { page } = browser;
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Audit', 'Police requests']);
    await nav.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('button', { name: 'Show custody' }).click();
    await page.getByText('Give the evidence id.').waitFor();
    await page.getByLabel('Evidence id').fill(evidenceId);
    await page.getByRole('button', { name: 'Show custody' }).click();

    await page.getByRole('heading', { name: 'Chain of custody', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/custody/${evidenceId}`);
    await page.getByText('not checked').waitFor();
    const actions = await page.locator('tbody tr td:nth-child(4)').allInnerTexts();
    expect(actions[0]).toBe('evidence.create');
    // The police read is on the chain, with who made it.
    expect(actions).toContain('evidence.read');
    await page.getByRole('button', { name: 'Verify the stored bytes' }).click();
    await page.getByText('still hash to the recorded SHA-256').waitFor();
    await checkView(browser, 'custody-verified');
  });

  it('an investigator reaches the chain of custody from the event', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-31', `/events/${eventId}`);
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Evidence', level: 3 }).waitFor();
    await checkView(browser, 'event-investigator');
    await page.getByRole('link', { name: /^Chain of custody/ }).click();
    await page.getByRole('heading', { name: 'Chain of custody', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/custody/${evidenceId}`);
    await page.getByText('not checked').waitFor();
    await page.getByRole('cell', { name: 'evidence.create' }).waitFor();
  });
});
