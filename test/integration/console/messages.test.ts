import { baseUrl, call, createOrg } from '../support/api';
import { checkView, signedIn, type Browser } from '../support/browser';
import { eventBody, ownMinute, retailerWorld } from '../support/world';

/**
 * A police officer and the retailer's investigator talk about one shared event in the console
 * (issue 29): the officer writes from the shared event (with the stated purpose on every request),
 * a message naming a sensitive characteristic is refused beside the field, and the investigator
 * reads it on the event's own page and answers.
 */
jest.setTimeout(180_000);

describe('messages on an event in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let agency: string;
  let eventId: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    agency = await createOrg('agency');
    const posted = await call('POST', '/api/v1/events', {
      token: world.investigator,
      body: eventBody({ occurredAt: ownMinute().occurredAt, policeSharing: { mode: 'all', excludeAgencies: [] } }),
    });
    if (posted.status !== 201) throw new Error(`event: ${posted.status} ${posted.text}`);
    eventId = posted.body.id;
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  it('the officer writes on the shared event; the investigator reads it on the event page and answers', async () => {
    const officer = await signedIn(baseUrl(), agency, ['PoliceOfficer'], 'officer-12', `/police/events/${eventId}`);
    browsers.push(officer);
    const police = officer.page;
    const sent: Record<string, string>[] = [];
    police.on('request', (r) => {
      if (r.url().includes('/messages')) sent.push(r.headers());
    });
    await police.getByLabel('Legal basis').selectOption('investigation');
    await police.getByLabel('Case reference').fill('AKL-2026/0777');
    await police.getByRole('button', { name: 'Continue' }).click();
    await police.getByRole('heading', { name: 'Messages', level: 2 }).waitFor();
    await police.getByText('No messages yet.').waitFor();

    await police.getByLabel('Your message').fill('Was he with a woman who looked Samoan?');
    await police.getByRole('button', { name: 'Send message' }).click();
    await police.locator('#f-body-error').getByText(/Contains sensitive term/).waitFor();
    await police.getByLabel('Your message').fill('Can you send the CCTV from the east door, 14:00 to 14:30?');
    await police.getByRole('button', { name: 'Send message' }).click();
    await police.getByText('Can you send the CCTV from the east door, 14:00 to 14:30?').waitFor();
    expect(await police.getByLabel('Your message').inputValue()).toBe('');
    await checkView(officer, 'messages-police');
    expect(sent.length).toBeGreaterThanOrEqual(3);
    for (const headers of sent) expect([headers['x-legal-basis'], headers['x-case-reference']]).toEqual(['investigation', 'AKL-2026/0777']);

    const investigator = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-msg', `/events/${eventId}`);
    browsers.push(investigator);
    const page = investigator.page;
    await page.getByRole('heading', { name: 'Event', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /Shoplifting at akl-042/ }).waitFor();
    await page.getByText('Can you send the CCTV from the east door, 14:00 to 14:30?').waitFor();
    await page.getByText('Police', { exact: true }).waitFor();
    await page.getByLabel('Your message').fill('Yes: uploading it to the event this afternoon.');
    await page.getByRole('button', { name: 'Send message' }).click();
    await page.getByText('Yes: uploading it to the event this afternoon.').waitFor();
    await checkView(investigator, 'messages-investigator');

    // The officer sees the answer on the next opening; the API holds both, oldest first.
    await police.reload();
    await police.getByText('Yes: uploading it to the event this afternoon.').waitFor();
    const listed = await call('GET', `/api/v1/events/${eventId}/messages`, { token: world.investigator });
    expect(listed.body.items.map((m: { author: { relation: string } }) => m.author.relation)).toEqual(['police', 'owner']);
  });
});
