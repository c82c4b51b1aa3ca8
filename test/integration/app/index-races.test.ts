import { randomUUID } from 'node:crypto';
import { queryAll } from '../../../shared/adapters/cosmos-containers';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { finishStoppedDeletion } from '../../../shared/events/stopped-deletions';
import { call } from '../support/api';
import { keyIndexProblems } from '../support/key-index';
import { matchingSettled } from '../support/matching';
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

const deleteEvent = async (w: World, eventId: string) => (await call('DELETE', `/api/v1/events/${eventId}`, { token: w.admin })).status;

/**
 * A DELETE that answered 503 (the profile kept being indexed while it went, or a store fault) left its
 * event marked, and the audit outbox sweep finishes it once overdue: run here as its timer would,
 * once every DELETE has answered (so none still under way is taken for stopped), a few times if
 * the finisher itself meets a busy profile.
 */
async function finishStopped(w: World, eventIds: readonly string[]): Promise<void> {
  for (let round = 0; round < 5 && eventIds.length; round += 1) {
    await drainAuditOutbox(new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000), w.org, finishStoppedDeletion).catch(() => undefined);
    if ((await queryAll('events', w.org, "SELECT VALUE c.id FROM c WHERE c.orgId = @orgId AND c.docType = 'event' AND ARRAY_CONTAINS(@ids, c.id)", { orgId: w.org, ids: [...eventIds] })).length === 0) return;
  }
}

/** The key index once the org's matching work is done (matchingSettled: what is still pending is shown with it, and the notes left to the sweep), checked once. */
async function settledIndex(orgId: string) {
  const { left, swept } = await matchingSettled(orgId);
  const { problems, population, indexed, profiles } = await keyIndexProblems(orgId);
  return { problems, pending: left, swept, population, indexed, profiles };
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
    const ids = events.flat().map((e) => e.id);
    const statuses = await Promise.all(ids.map((id) => deleteEvent(w, id)));
    expect(statuses.every((s) => [204, 503].includes(s))).toBe(true);
    await finishStopped(
      w,
      ids.filter((_, i) => statuses[i] === 503),
    );
    const index = await settledIndex(w.org);
    expect(index.profiles.filter((p) => profileIds.includes(p.id))).toEqual([]);
    expect({ problems: index.problems, pending: index.pending }).toEqual({ problems: [], pending: [] });
    // A writer may leave its note to the sweep under contention; one per person would be every writer.
    expect(index.swept.length).toBeLessThan(profileIds.length);
    expect(index.population).toBe(index.indexed);
  });

  it('a report deleted the moment it is written (its first match to come or under way) leaves no key behind; the people who stay are found', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    // Three people who stay, each in a report that is kept.
    const kept: Made[] = [];
    for (let i = 3; i < 6; i += 1) kept.push(await reportOf(w, { people: [person(tag, i)], occurredAt: '2026-11-01T10:00:00Z' }));
    // Three who go: each report deleted straight after it is written, and a second report of a kept person deleted as fast.
    const answered = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const made = await reportOf(w, { people: [person(tag, i)], occurredAt: '2026-11-03T10:00:00Z' });
        return { id: made.id, status: await deleteEvent(w, made.id) };
      }),
    );
    const again = await reportOf(w, { people: [person(tag, 3, kept[0]!.people[0]!.profileId)], occurredAt: '2026-11-04T10:00:00Z' });
    answered.push({ id: again.id, status: await deleteEvent(w, again.id) });
    expect(answered.every((a) => [204, 503].includes(a.status))).toBe(true);
    await finishStopped(
      w,
      answered.filter((a) => a.status === 503).map((a) => a.id),
    );
    await matched(
      w.org,
      kept.map((k) => k.people[0]!.profileId),
    );
    const index = await settledIndex(w.org);
    expect(index.profiles.map((p) => p.id).sort()).toEqual(kept.map((k) => k.people[0]!.profileId).sort());
    expect({ problems: index.problems, pending: index.pending }).toEqual({ problems: [], pending: [] });
    expect(index.swept.length).toBeLessThan(3);
    expect(index.population).toBe(index.indexed);
  });
});
