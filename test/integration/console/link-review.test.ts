import { baseUrl, call } from '../support/api';
import { pendingLink } from '../support/people';
import { checkView, signedIn, type Browser } from '../support/browser';
import { eventBody, retailerWorld } from '../support/world';

/**
 * An investigator works the Connect the Dots queue in the console (issue 29): two reports of one
 * person, made through the API, become a suggestion; the investigator opens it, sees both profiles
 * side by side with their events, the reasons and the probability, accepts it with a note, sees the
 * merged profile with its history, and splits it again into the two people.
 */
jest.setTimeout(180_000);

const who = { ref: 'p1', role: 'offender', name: { given: 'Tamati', family: 'Wharerau-Okafor' }, dateOfBirth: '1983-05-17', phone: '+64215550177' };

/** Two reports of one person (Tamati, then Tam), made through the API: what becomes a suggestion. */
async function twoReports(w: Awaited<ReturnType<typeof retailerWorld>>): Promise<{ id: string; people: { profileId: string }[] }[]> {
  const made = [];
  for (const [person, occurredAt] of [
    [who, '2026-10-01T10:00:00Z'],
    [{ ...who, name: { given: 'Tam', family: 'Wharerau-Okafor' } }, '2026-10-09T10:00:00Z'],
  ] as const) {
    const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [person], vehicles: [], occurredAt }) });
    if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
    made.push(res.body);
  }
  return made;
}

describe('the link review view in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let link: { id: string; subject: { profileId: string }; candidate: { profileId: string } };
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    await twoReports(world);
    // The matcher runs from a queue after intake: wait for its suggestion.
    link = await pendingLink(world.investigator);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  it('an investigator accepts a suggestion, sees the merged profile with its history, and splits it again', async () => {
    const started = Date.now();
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-console', '/');
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Welcome' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Report', 'Link review', 'Profiles', 'Groups', 'Analytics']);
    await nav.getByRole('link', { name: 'Link review' }).click();

    await page.getByRole('heading', { name: 'Link suggestions', level: 1 }).waitFor();
    const review = page.locator(`a[href="/links/${link.id}"]`);
    await review.waitFor();
    await page.getByRole('columnheader', { name: 'Probability' }).waitFor();
    await checkView(browser, 'link-queue');

    await review.click();
    await page.getByRole('heading', { name: 'Review a suggestion', level: 1 }).waitFor();
    await page.getByText(/\d+% likely the same person/).waitFor();
    await page.getByRole('heading', { name: /^Newly reported: Ta/ }).waitFor();
    await page.getByRole('heading', { name: /^On record: Ta/ }).waitFor();
    await page.getByRole('caption').getByText('Why they were suggested').waitFor();
    // Each side's events are read (after the profiles) and listed: one each.
    const events = page.locator('.pair .events li');
    await events.nth(1).waitFor();
    // (Which report is the suggestion's subject depends on which the matcher took first.)
    expect((await events.allTextContents()).map((text) => /^Shoplifting at akl-042, (\d+ Oct 2026)/.exec(text)?.[1]).sort()).toEqual(['1 Oct 2026', '9 Oct 2026']);
    await checkView(browser, 'link-review');

    // A note is screened like any free text, and the refusal is shown beside it.
    await page.getByLabel('Note (optional)').fill('Same date of birth and phone; he looked Indian on both stills.');
    await page.getByRole('button', { name: /^Accept/ }).click();
    await page.locator('#f-note-error').getByText(/Contains sensitive term/).waitFor();
    await page.getByLabel('Note (optional)').fill('Same date of birth and phone; CCTV stills match.');
    await page.getByRole('button', { name: /^Accept/ }).click();

    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/profiles/${link.candidate.profileId}`);
    await page.getByRole('cell', { name: 'Merged in' }).waitFor();
    await page.getByRole('cell', { name: link.subject.profileId }).waitFor();
    await page.getByRole('heading', { name: /^2 events$/ }).waitFor();
    await checkView(browser, 'profile-merged');
    // The decision kept the note that passed the screen.
    const accepted = (await call('GET', '/api/v1/links?status=accepted&pageSize=100', { token: world.investigator })).body.items;
    expect(accepted).toEqual([expect.objectContaining({ id: link.id, decision: expect.objectContaining({ note: 'Same date of birth and phone; CCTV stills match.' }) })]);

    await page.getByRole('button', { name: 'Split' }).click();
    await page.getByText('Say why the merge was wrong.').waitFor();
    await page.getByLabel('Why the merge was wrong').fill('Two brothers, confirmed on CCTV.');
    await page.getByRole('button', { name: 'Split' }).click();
    await page.getByRole('heading', { name: 'Split: two people again', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /^Kept: / }).waitFor();
    await page.getByRole('heading', { name: /^Restored: / }).waitFor();
    await page.getByRole('cell', { name: 'Split out' }).waitFor();
    await checkView(browser, 'profile-split');

    // What the API holds: both profiles back, the survivor's history a merge and its split.
    const survivor = await call('GET', `/api/v1/profiles/${link.candidate.profileId}`, { token: world.investigator });
    const restored = await call('GET', `/api/v1/profiles/${link.subject.profileId}`, { token: world.investigator });
    expect(survivor.body.history.map((h: { action: string }) => h.action)).toEqual(['merge', 'split']);
    expect([survivor.body.eventIds.length, restored.body.eventIds.length]).toEqual([1, 1]);
    console.log(`link review journey: ${Date.now() - started} ms`);
  });

  it("splitting a merge whose survivor's own report was deleted since: the page says that profile is gone, and shows the restored one", async () => {
    const w = await retailerWorld();
    const made = await twoReports(w);
    const merged = await pendingLink(w.investigator);
    expect((await call('POST', `/api/v1/links/${merged.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
    const into = merged.candidate.profileId;
    const own = made.find((e) => e.people[0]!.profileId === into)!;
    expect((await call('DELETE', `/api/v1/events/${own.id}`, { token: w.admin })).status).toBe(204);

    const browser = await signedIn(baseUrl(), w.org, ['Investigator'], 'inv-console', `/profiles/${into}`);
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    await page.getByLabel('Why the merge was wrong').fill('Two brothers, confirmed on CCTV.');
    await page.getByRole('button', { name: 'Split' }).click();
    await page.getByRole('heading', { name: 'Split: the merge is undone', level: 1 }).waitFor();
    await page.getByText(/The profile merged away is back; this one is gone, as its reports were all deleted since the merge\./).waitFor();
    await page.getByRole('heading', { name: /^Restored: / }).waitFor();
    expect(await page.getByRole('heading', { name: /^Kept: / }).count()).toBe(0);
    await checkView(browser, 'profile-split-survivor-gone');
    expect((await call('GET', `/api/v1/profiles/${into}`, { token: w.investigator })).status).toBe(404);
  });
});
