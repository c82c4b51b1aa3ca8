import { baseUrl, call } from '../support/api';
import { checkView, signedIn, type Browser } from '../support/browser';
import { indexed } from '../support/people';
import { eventBody, retailerWorld } from '../support/world';

/**
 * An investigator looks at who does the most harm and who offends together (issue 29): three reports
 * made through the API (a knife used, then two people together twice) become profiles ranked by harm
 * with their risk tiers, and a group of two; each opens its profile.
 */
jest.setTimeout(180_000);

const knife = { ref: 'p1', role: 'offender', name: { given: 'Rawiri', family: 'Kettleborough' }, dateOfBirth: '1979-02-11' };
const pair = [
  { ref: 'p1', role: 'offender', name: { given: 'Mereana', family: 'Quillfeather' }, dateOfBirth: '1991-08-30' },
  { ref: 'p2', role: 'accomplice', name: { given: 'Hemi', family: 'Strathdownie' }, dateOfBirth: '1990-01-04' },
];

describe('the profiles and groups views in a browser', () => {
  let world: Awaited<ReturnType<typeof retailerWorld>>;
  let knifeProfile: string;
  let pairProfiles: string[];
  const browsers: Browser[] = [];

  beforeAll(async () => {
    world = await retailerWorld();
    const post = async (body: Record<string, unknown>) => {
      const res = await call('POST', '/api/v1/events', { token: world.investigator, body: eventBody({ vehicles: [], ...body }) });
      if (res.status !== 201) throw new Error(`event: ${res.status} ${res.text}`);
      return res.body as { id: string; people: { profileId: string }[] };
    };
    const robbery = await post({ type: 'robbery', people: [knife], violence: { threatened: true, used: true, weapon: 'knife' }, occurredAt: '2026-11-02T09:00:00Z' });
    knifeProfile = robbery.people[0]!.profileId;
    const first = await post({ people: pair, occurredAt: '2026-11-03T09:00:00Z' });
    pairProfiles = first.people.map((p) => p.profileId);
    // The second time together, attached to the same two profiles.
    const second = await post({ people: pair.map((p, i) => ({ ...p, profileId: pairProfiles[i] })), occurredAt: '2026-11-10T09:00:00Z' });
    // Harm is scored by matching, which runs from a queue: the listing holds a profile only once it has run.
    await Promise.all([indexed(world.org, knifeProfile, robbery.id), ...pairProfiles.map((p) => indexed(world.org, p, second.id))]);
  });

  afterAll(async () => {
    for (const browser of browsers) await browser.close();
  });

  it('an investigator lists profiles by harm, filters by risk tier, and opens one', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-profiles', '/');
    browsers.push(browser);
    const { page } = browser;
    const nav = page.getByRole('navigation', { name: 'Views' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Report', 'Link review', 'Profiles', 'Groups', 'Analytics']);
    await nav.getByRole('link', { name: 'Profiles' }).click();
    await page.getByRole('heading', { name: 'Profiles by harm', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Rawiri Kettleborough' }).waitFor();
    await page.getByRole('columnheader', { name: 'Risk tiers' }).waitFor();
    // The knife makes Rawiri the most harmful, with the tier that says so and why.
    const rows = page.locator('tbody tr');
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('Rawiri Kettleborough');
    await rows.first().getByText('extreme-threat').waitFor();
    expect(await rows.count()).toBe(3);
    await checkView(browser, 'profiles-by-harm');

    await page.getByLabel('Risk tier').fill('extreme-threat');
    await page.getByRole('button', { name: 'Show profiles' }).click();
    await page.getByRole('caption').getByText('1 profile in the extreme-threat tier, most harm first').waitFor();
    await checkView(browser, 'profiles-extreme-threat');

    await page.getByRole('link', { name: 'Rawiri Kettleborough' }).click();
    await page.getByRole('heading', { name: 'Profile', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/profiles/${knifeProfile}`);
    await page.getByRole('heading', { name: 'Person: Rawiri Kettleborough' }).waitFor();
  });

  it('an investigator sees who offends together, and opens a member', async () => {
    const browser = await signedIn(baseUrl(), world.org, ['Investigator'], 'inv-groups', '/groups');
    browsers.push(browser);
    const { page } = browser;
    await page.getByRole('heading', { name: 'Groups', level: 1 }).waitFor();
    await page.getByRole('heading', { name: /^Group 1: 2 people, 2 events together, loss 149\.94$/ }).waitFor();
    await page.getByRole('link', { name: 'Hemi Strathdownie' }).waitFor();
    await page.getByRole('link', { name: 'Mereana Quillfeather' }).waitFor();
    // Rawiri was alone: in no group.
    expect(await page.getByRole('heading', { level: 2 }).count()).toBe(1);
    await checkView(browser, 'groups');

    await page.getByRole('link', { name: 'Hemi Strathdownie' }).click();
    await page.getByRole('heading', { name: 'Person: Hemi Strathdownie' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/profiles/${pairProfiles[1]}`);
    await page.getByRole('heading', { name: /^2 events$/ }).waitFor();
  });
});
