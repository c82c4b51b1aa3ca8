import { randomUUID } from 'node:crypto';
import { call } from '../support/api';
import { keyIndexProblems } from '../support/key-index';
import { matched } from '../support/retention';
import { eventBody, retailerWorld } from '../support/world';

/**
 * Deletions racing the matcher through the running stack, with nothing simulated: two DELETEs of a
 * person's last two events at once (each sees the other's event still on the profile), and a report
 * deleted the moment it is written (its first match still to come, or under way). Whatever the
 * order, no key document may name a profile that is gone, every profile that stays is found through
 * its keys, and the population counts the profiles indexed (test/unit/matching/reindex-profile.test.ts
 * has each interleaving on its own).
 */
jest.setTimeout(180_000);

type World = Awaited<ReturnType<typeof retailerWorld>>;
type Made = { id: string; people: { profileId: string }[] };

const person = (tag: string, i: number, profileId?: string) => ({
  ref: 'p1',
  role: 'offender',
  name: { given: ['Aroha', 'Bevan', 'Catalina', 'Dmitri', 'Eruera', 'Fionnuala'][i]!, family: `Racewood${tag}${String.fromCharCode(97 + i)}` },
  dateOfBirth: `198${i}-0${1 + i}-1${i}`,
  phone: `+6421555033${i}`,
  ...(profileId ? { profileId } : {}),
});

async function reportOf(w: World, body: Record<string, unknown>): Promise<Made> {
  const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ vehicles: [], ...body }) });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as Made;
}

/** A DELETE to its end: a 503 (the profile kept being indexed, or a store fault) is asked again after its Retry-After, as a client does. */
async function deleted(w: World, eventId: string): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const res = await call('DELETE', `/api/v1/events/${eventId}`, { token: w.admin });
    if (res.status !== 503) return res.status;
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
  throw new Error(`DELETE ${eventId} kept answering 503`);
}

/** The key index once the matcher is done with whatever the deletions left it (a generous wait: two cores run the whole suite). */
async function settledIndex(orgId: string) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const index = await keyIndexProblems(orgId);
    if ((index.problems.length === 0 && index.population === index.indexed) || Date.now() > deadline) return index;
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('deletions racing the matcher through the stack', () => {
  it("two DELETEs at once of a person's last two events: the profile goes with every key, for each of six people", async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    const events: [Made, Made][] = [];
    for (let i = 0; i < 6; i += 1) {
      const first = await reportOf(w, { people: [person(tag, i)], occurredAt: '2026-11-01T10:00:00Z' });
      const second = await reportOf(w, { people: [person(tag, i, first.people[0]!.profileId)], occurredAt: '2026-11-02T10:00:00Z' });
      events.push([first, second]);
    }
    const profileIds = events.map(([first]) => first.people[0]!.profileId);
    await matched(w.org, profileIds);
    const statuses = await Promise.all(events.flatMap(([first, second]) => [deleted(w, first.id), deleted(w, second.id)]));
    expect(statuses.every((s) => s === 204 || s === 404)).toBe(true);
    const index = await settledIndex(w.org);
    expect(index.profiles.filter((p) => profileIds.includes(p.id))).toEqual([]);
    expect(index.problems).toEqual([]);
    expect(index.population).toBe(index.indexed);
  });

  it('a report deleted the moment it is written (its first match to come or under way) leaves no key behind; the people who stay are found', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    // Three people who stay, each in a report that is kept.
    const kept: Made[] = [];
    for (let i = 3; i < 6; i += 1) kept.push(await reportOf(w, { people: [person(tag, i)], occurredAt: '2026-11-01T10:00:00Z' }));
    // Three who go: each report deleted straight after it is written, and a second report of a kept person deleted as fast.
    const gone: Made[] = [];
    await Promise.all(
      [0, 1, 2].map(async (i) => {
        const made = await reportOf(w, { people: [person(tag, i)], occurredAt: '2026-11-03T10:00:00Z' });
        gone.push(made);
        expect([204, 404]).toContain(await deleted(w, made.id));
      }),
    );
    const again = await reportOf(w, { people: [person(tag, 3, kept[0]!.people[0]!.profileId)], occurredAt: '2026-11-04T10:00:00Z' });
    expect([204, 404]).toContain(await deleted(w, again.id));
    await matched(
      w.org,
      kept.map((k) => k.people[0]!.profileId),
    );
    const index = await settledIndex(w.org);
    expect(index.profiles.map((p) => p.id).sort()).toEqual(kept.map((k) => k.people[0]!.profileId).sort());
    expect(index.problems).toEqual([]);
    expect(index.population).toBe(index.indexed);
  });
});
