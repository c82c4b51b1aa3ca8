import { baseUrl, call } from '../support/api';
import { pendingLink } from '../support/people';
import { checkView, signedIn, type Browser } from '../support/browser';
import { files, submit } from '../support/evidence';
import { eventBody, retailerWorld } from '../support/world';

/**
 * Evidence images in the console (issue 29): an investigator signed in with MFA asks for the images
 * of both profiles in a link suggestion and of an event, and each one shown is a download in the
 * audit chain; one without MFA gets no button, only the reason. The page runs under the CSP it ships
 * with, and nothing it does is refused by it.
 */
jest.setTimeout(180_000);

const who = { ref: 'p1', role: 'offender', name: { given: 'Ihaka', family: 'Brannigan-Tupou' }, dateOfBirth: '1968-07-23', phone: '+64215550193' };

/** What the tests read of an <img> in the page (the tests compile without the DOM's types). */
interface Img {
  alt: string;
  src: string;
  complete: boolean;
  naturalWidth: number;
  getBoundingClientRect(): { width: number };
}
type Doc = { document: { querySelectorAll(selector: string): ArrayLike<Img> } };

/** Whether every image the selector finds (at least one) is decoded: loaded bytes, not only a placed element. */
const decoded = (selector: string): boolean => {
  const imgs = Array.from((globalThis as unknown as Doc).document.querySelectorAll(selector));
  return imgs.length > 0 && imgs.every((img) => img.complete && img.naturalWidth > 0);
};

/** Messages the page logs as errors: a CSP refusal is one ("Refused to connect to …"). */
function consoleErrors(browser: Browser): string[] {
  const errors: string[] = [];
  browser.page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

describe('evidence images in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let link: { id: string };
  const events: { id: string; evidenceId: string; fileName: string }[] = [];
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    for (const [person, occurredAt, fileName] of [
      [who, '2026-10-03T10:00:00Z', 'till-camera.jpg'],
      [{ ...who, name: { given: 'Ihaka', family: 'Brannigan' } }, '2026-10-11T10:00:00Z', 'door-camera.jpg'],
    ] as const) {
      const res = await call('POST', '/api/v1/events', { token: world.investigator, body: eventBody({ people: [person], vehicles: [], occurredAt }) });
      if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
      const { created } = await submit(world.investigator, res.body.id, await files.jpeg(320, 240), { fileName, kind: 'cctv' });
      events.push({ id: res.body.id, evidenceId: created.evidenceId, fileName });
    }
    link = await pendingLink(world.investigator);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  const downloadsBy = async (evidenceId: string, sub: string): Promise<number> => {
    const custody = await call('GET', `/api/v1/evidence/${evidenceId}/custody`, { token: world.investigator });
    if (custody.status !== 200) throw new Error(`custody: ${custody.status} ${custody.text}`);
    return custody.body.entries.filter((e: { action: string; outcome: string; actor: { sub: string } }) => e.action === 'evidence.download' && e.outcome === 'success' && e.actor.sub === sub)
      .length;
  };

  it('an investigator with MFA shows both profiles’ images on request, each a download in the audit chain', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-images', `/links/${link.id}`, { mfa: true });
    browsers.push(browser);
    const errors = consoleErrors(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Review a suggestion', level: 1 }).waitFor();
    const buttons = page.getByRole('button', { name: /^Show images of / });
    await buttons.nth(1).waitFor();
    expect(await buttons.count()).toBe(2);
    await page.getByText('1 image; each one shown is a download, recorded in the audit chain.').first().waitFor();
    // Nothing is downloaded before the click.
    expect(await page.locator('.thumbs img').count()).toBe(0);
    expect(await downloadsBy(events[0]!.evidenceId, 'inv-images')).toBe(0);

    // One panel's button, then the other's (the first is gone once clicked).
    await buttons.first().click();
    await buttons.nth(1).waitFor({ state: 'detached' });
    await buttons.first().click();
    const thumbs = page.locator('.thumbs img');
    await thumbs.nth(1).waitFor();
    // Decoded, not just placed: the bytes came through the 302 from the blob endpoint.
    await page.waitForFunction(decoded, '.thumbs img');
    const shown = await thumbs.evaluateAll((imgs) => (imgs as unknown as Img[]).map((img) => ({ alt: img.alt, src: img.src, natural: img.naturalWidth, width: img.getBoundingClientRect().width })));
    expect(shown.map((s) => s.alt).sort()).toEqual(['CCTV still: door-camera.jpg', 'CCTV still: till-camera.jpg']);
    for (const s of shown) {
      expect(s.src).toMatch(/^blob:/);
      expect(s.natural).toBe(320);
      expect(s.width).toBeLessThanOrEqual(160);
    }
    expect(await page.getByRole('link', { name: /^CCTV still: door-camera\.jpg \(opens full size in a new tab\)$/ }).getAttribute('target')).toBe('_blank');
    await page.getByText('Each image shown was downloaded and is recorded in the audit chain.').first().waitFor();
    await checkView(browser, 'link-review-images');

    // What the chain holds: one download of each, by this investigator.
    for (const { evidenceId } of events) expect(await downloadsBy(evidenceId, 'inv-images')).toBe(1);
    expect(errors.filter((e) => /Content Security Policy|Refused to/i.test(e))).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('an investigator with MFA shows an event’s image on its page', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-event-images', `/events/${events[1]!.id}`, { mfa: true });
    browsers.push(browser);
    const errors = consoleErrors(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Evidence', level: 3 }).waitFor();
    await page.getByRole('button', { name: 'Show images of this event' }).click();
    await page.waitForFunction(decoded, '.thumbs img');
    expect(await page.locator('.thumbs img').getAttribute('alt')).toBe('CCTV still: door-camera.jpg');
    await page.getByText('door-camera.jpg').waitFor();
    await checkView(browser, 'event-images');
    // The thumbnail opens the full image in a new tab: the same object URL, still valid while the page shows it.
    const [tab] = await Promise.all([browser.context.waitForEvent('page'), page.getByRole('link', { name: /^CCTV still: door-camera\.jpg/ }).click()]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(/^blob:/);
    await tab.waitForFunction(decoded, 'img');
    expect(await tab.evaluate(() => Array.from((globalThis as unknown as Doc).document.querySelectorAll('img')).map((img) => img.naturalWidth))).toEqual([320]);
    await tab.close();
    expect(await downloadsBy(events[1]!.evidenceId, 'inv-event-images')).toBe(1);
    expect(errors).toEqual([]);
  });

  it('an investigator without MFA gets no button, only the reason', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-no-mfa', `/links/${link.id}`);
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Review a suggestion', level: 1 }).waitFor();
    await page.locator('.pair .events li').nth(1).waitFor();
    const reason = page.getByText('Images need a sign-in with MFA: each one shown is a download, recorded in the audit chain.');
    await reason.nth(1).waitFor();
    expect(await reason.count()).toBe(2);
    expect(await page.getByRole('button', { name: /Show images/ }).count()).toBe(0);
    // The evidence list is there as before.
    expect(await page.getByText(/Evidence: cctv \(ready, image\/jpeg\)/).count()).toBe(2);
    await checkView(browser, 'link-review-no-mfa');
    expect(await downloadsBy(events[0]!.evidenceId, 'inv-no-mfa')).toBe(0);
  });
});
