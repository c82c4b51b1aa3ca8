import { baseUrl, call } from '../support/api';
import { checkView, signedIn, type Browser } from '../support/browser';
import { files, storage } from '../support/evidence';
import { indexed } from '../support/people';
import { eventBody, retailerWorld } from '../support/world';

/**
 * A store worker reports an event in the console (issue 29): looks the person up first and attaches
 * the event to the profile on record, is told beside the field what the console or the API refuses
 * (a plate that is no plate; a description that names an ethnicity), and files the event with a CCTV
 * still, watching its upload finish and the service accept the bytes.
 */
jest.setTimeout(180_000);

describe('the report view in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let knownProfile: string;
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    // Someone reported before, whom the lookup finds by name.
    const person = { ref: 'p1', role: 'offender', name: { given: 'Aroha', family: 'Tipene-Marsh' }, clothing: 'red puffer jacket' };
    const res = await call('POST', '/api/v1/events', { token: world.reporter, body: eventBody({ people: [person], vehicles: [], occurredAt: '2026-11-02T09:30:00Z' }) });
    if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
    knownProfile = res.body.people[0].profileId;
    // The lookup finds people by matching's keys, written from a queue after intake.
    await indexed(world.org, knownProfile, res.body.id);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  it('a reporter looks the person up, attaches the event to them, and files it with a photo whose upload completes', async () => {
    const started = Date.now();
    const browser = await signedIn(baseUrl(), world.org, ['Reporter'], 'rep-console', '/report');
    browsers.push(browser);
    const { page } = browser;
    const photo = await files.png(480, 360);
    const posts: string[] = [];
    // The evidence goes from the page straight to the blob endpoint, never through the API.
    const blobOrigin = new URL(storage().url).origin;
    const toStorage: Promise<{ method: string; headers: Record<string, string>; bytes: number | undefined }>[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/events') posts.push(request.postData() ?? '');
      if (new URL(request.url()).origin === blobOrigin && request.method() !== 'OPTIONS') {
        // The body's length as sent (Playwright keeps no copy of a File body, so postData is empty): its Content-Length.
        toStorage.push(request.allHeaders().then((headers) => ({ method: request.method(), headers, bytes: Number(headers['content-length']) })));
      }
    });
    await page.getByRole('heading', { name: 'Report an event', level: 1 }).waitFor();
    // A Reporter is offered reporting, and not link review (an Investigator's).
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Report']);
    await checkView(browser, 'report');

    // The lookup before reporting: found by name, attached to the report's first person.
    await page.getByRole('form', { name: 'Person lookup' }).getByLabel('Name').fill('Aroha Tipene-Marsh');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('cell', { name: 'Aroha Tipene-Marsh', exact: true }).waitFor();
    await checkView(browser, 'report-lookup');
    await page.getByRole('button', { name: /Attach Aroha Tipene-Marsh to this report/ }).click();
    await page.getByText('Attached to a person on record').waitFor();

    await page.getByLabel('Type').selectOption('shoplifting');
    await page.getByLabel('Store').selectOption('akl-042');
    await page.getByLabel('When it happened').fill('2026-11-20T14:05');
    await page.getByLabel('What happened').fill('Took Indian tonic water. Offender looked Indian, approx 30.');
    await page.getByLabel('Clothing').fill('red puffer jacket, black cap');
    await page.getByRole('button', { name: 'Add a product' }).click();
    await page.getByLabel('Product 1').fill('Razor blades 8pk');
    await page.getByLabel('Quantity').fill('3');
    await page.getByLabel('Unit value').fill('24.99');
    await page.getByRole('button', { name: 'Add a vehicle' }).click();
    await page.getByLabel('Plate of vehicle 1').fill('!!');
    await page.getByLabel(/CCTV stills, video or a witness statement/).setInputFiles({ name: 'till-camera-still.png', mimeType: 'image/png', buffer: photo });

    // The console's own check, beside the field: nothing is sent.
    await page.getByRole('button', { name: 'Report the event' }).click();
    await page.locator('#f-vehicles-0-plate-error').getByText('A plate of 1–12 letters or digits.').waitFor();
    expect(await page.getByLabel('Plate of vehicle 1').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toEqual([]);

    // The API's screening, beside the field it found the term in, naming the term and the words.
    await page.getByLabel('Plate of vehicle 1').fill('HRB 412');
    await page.getByRole('button', { name: 'Report the event' }).click();
    await page.locator('#f-description-error').getByText('Contains sensitive term(s): indian in "looked Indian"').waitFor();
    expect(await page.getByLabel('What happened').getAttribute('aria-invalid')).toBe('true');
    expect(posts).toHaveLength(1);
    await checkView(browser, 'report-refused');

    await page.getByLabel('What happened').fill('Took Indian tonic water and three packs of razor blades, left without paying.');
    await page.getByRole('button', { name: 'Report the event' }).click();
    await page.getByRole('heading', { name: 'Event reported', level: 1 }).waitFor();
    const state = page.locator('#upload-0-state');
    await state.getByText(/^Ready: image\/png, 480×360, SHA-256 [0-9a-f]{12}…$/).waitFor();
    // One PUT to the SAS URL, as a block blob, with the whole photo, and no credential of the
    // person's: the SAS in the URL is the only authority (a bearer token must never reach storage).
    const sent = await Promise.all(toStorage);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ method: 'PUT', headers: expect.objectContaining({ 'x-ms-blob-type': 'BlockBlob' }), bytes: photo.length });
    expect(sent[0]!.headers).not.toHaveProperty('authorization');
    await page.getByRole('heading', { name: /Shoplifting at akl-042/ }).waitFor();
    await checkView(browser, 'report-created');

    // What the API holds: the event on the known profile, with the photo ready and hashed.
    expect(posts).toHaveLength(2);
    const id = (await page.locator('dd code').first().textContent())!;
    const stored = await call('GET', `/api/v1/events/${id}`, { token: world.reporter });
    expect(stored.status).toBe(200);
    expect(stored.body.people).toEqual([expect.objectContaining({ profileId: knownProfile, clothing: 'red puffer jacket, black cap' })]);
    expect(stored.body.vehicles).toEqual([expect.objectContaining({ plate: 'HRB 412', normalisedPlate: 'HRB412' })]);
    expect(stored.body.evidence).toEqual([expect.objectContaining({ kind: 'image', status: 'ready', mediaType: 'image/png' })]);
    console.log(`report journey: ${Date.now() - started} ms`);
  });
});
