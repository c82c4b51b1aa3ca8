import { randomUUID } from 'node:crypto';
import { container, queryAll } from '../../../shared/adapters/cosmos-containers';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { finishStoppedDeletion } from '../../../shared/events/stopped-deletions';
import { MATCH_OVERDUE_MS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';
import type { FaultMix } from '../../../tools/local/fault-proxy';
import { call } from '../support/api';
import { keyIndexProblems } from '../support/key-index';
import { ownStack } from '../support/own-stack';
import { daysAgo, docsOf, matched, report } from '../support/retention';
import { eventBody, retailerWorld } from '../support/world';
import { answersLog, chainVerifies, later, matcherIdle, outboxLeft, sleep } from '../support/store-faults';

/**
 * The two finishers of work a request or a message left part-way, met with real store faults at
 * the Cosmos edge (a fault proxy between the app, and this process, and the store) rather than a
 * crash simulated in code:
 *
 * - a DELETE stopped between its mark (the event purging, with its audit entry in the outbox) and
 *   the end of its purge is finished by the audit outbox sweep (drainAuditOutbox with
 *   finishStoppedDeletion) once overdue;
 * - a re-index stopped between the profile (written with its key note) and its key documents, or
 *   before the note's clearing, is settled by the match-pending sweep (settleKeyNote) once the note
 *   is older than MATCH_OVERDUE_MS.
 *
 * Each test drives the API under faults until the finisher has something to finish (checked with
 * the faults off between rounds), then turns the faults off, runs the finisher with a `now` past
 * overdue, and checks the invariants over the store as a whole.
 */
const stack = ownStack();
const faults = () => stack().faults!.cosmos;
const quietLog = { warn: () => {} };

/** Faults injected so far, of every kind. */
const injected = () => Object.values(faults().counts).reduce((n, v) => n + v, 0) - faults().counts.requests - faults().counts.passed - faults().counts.partitionFull;

const docsOfType = <T>(orgId: string, docType: string) => queryAll<T>('events', orgId, 'SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = @docType', { orgId, docType });

/** The org's successful `event.delete` entries, by event: how many, and what the last says. */
async function deleteEntries(orgId: string): Promise<Map<string, { n: number; details: Record<string, unknown> }>> {
  const { resources } = await container('audit')
    .items.query<{ id: string; details: Record<string, unknown> }>({
      query: "SELECT c.target.id, c.details FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND c.action = 'event.delete' AND c.outcome = 'success'",
      parameters: [{ name: '@orgId', value: orgId }],
    })
    .fetchAll();
  const by = new Map<string, { n: number; details: Record<string, unknown> }>();
  for (const { id, details } of resources) by.set(id, { n: (by.get(id)?.n ?? 0) + 1, details });
  return by;
}

/**
 * The finishers, with the faults off, as their timers would run once the work is overdue: the
 * audit outbox sweep (finishing stopped deletions), then the match-pending sweep (resending
 * matching requests, finishing corrections' leavings, settling key notes), the matcher let finish
 * after each, until nothing is left (at most three rounds).
 */
async function finishAll(orgId: string): Promise<void> {
  await matcherIdle();
  for (let round = 0; round < 3; round++) {
    await drainAuditOutbox(later(OUTBOX_OVERDUE_MS), orgId, finishStoppedDeletion);
    await resendOverdueMatching(quietLog, later(MATCH_OVERDUE_MS), orgId);
    await matcherIdle();
    const left = (await outboxLeft(orgId)).length + (await docsOfType(orgId, 'key-note')).length + (await docsOfType(orgId, 'match-pending')).length;
    if (left === 0) return;
  }
}

const person = (given: string, family: string, extra: Record<string, unknown> = {}) => ({ ref: 'p1', role: 'offender', name: { given, family }, ...extra });

describe('deletions stopped by store faults are finished by the audit outbox sweep', () => {
  it('DELETEs, corrections and new reports of the same people under 429s, 503s and lost answers: once the sweep has run, every deleted event is gone everywhere and audited once, every other intact, the chain verifies', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    const plate = `FD${Math.floor(100000 + Math.random() * 900000)}`;
    const vehicles = [{ plate, make: 'Mazda', model: 'Demio', colour: 'red' }];
    // Four people, each first reported alone; a fifth report of the first under the same name and
    // DOB without the profile (a namesake profile, so a suggestion joins the two).
    const people = [
      person('Aroha', `Stopmark${tag}`, { dateOfBirth: '1985-04-12', phone: '+64215550101' }),
      person('Bede', `Halfgone${tag}`, { dateOfBirth: '1990-07-01' }),
      person('Cora', `Leftover${tag}`, { phone: '+64215550103' }),
      person('Dane', `Purgewell${tag}`, { dateOfBirth: '1979-11-30' }),
    ];
    const events: { id: string; profileIds: string[] }[] = [];
    const profileOf: string[] = [];
    for (const [i, p] of people.entries()) {
      const made = await report(w.investigator, { people: [p], vehicles, occurredAt: daysAgo(20 - i) });
      profileOf.push(made.people[0]!.profileId);
      events.push({ id: made.id, profileIds: [made.people[0]!.profileId] });
    }
    const namesake = await report(w.investigator, { people: [people[0]], vehicles, occurredAt: daysAgo(15) });
    events.push({ id: namesake.id, profileIds: [namesake.people[0]!.profileId] });
    // Twelve more, each of one or two of the four (by profile), all with the plate.
    for (let i = 0; i < 12; i++) {
      const at = [i % 4, ...(i % 3 === 0 ? [(i + 1) % 4] : [])];
      const ps = at.map((k, j) => ({ ...people[k]!, ref: `p${j + 1}`, profileId: profileOf[k] }));
      const made = await report(w.investigator, { people: ps, vehicles, occurredAt: daysAgo(14 - i, 9 + (i % 8)) });
      events.push({ id: made.id, profileIds: at.map((k) => profileOf[k]!) });
    }
    await matched(w.org, [...new Set(events.flatMap((e) => e.profileIds))]);
    expect((await docsOf('links', w.org)).filter((l) => l.docType === 'link').length).toBeGreaterThan(0);

    const log = answersLog();
    // Four events are never asked to be deleted (they are corrected instead); the rest are, a few at a time.
    const keep = events.slice(-4).map((e) => e.id);
    const toDelete = events.map((e) => e.id).filter((id) => !keep.includes(id));
    const deleteAnswers = new Map<string, number[]>();
    const mix: FaultMix = { rate: 0.6, weights: { 'reset-after': 2, unavailable: 2, throttle: 1 }, retryAfterMs: 50 };
    const injectedBefore = injected();
    const countsBefore = { ...faults().counts };
    let stoppedSeen: string[] = [];
    let rounds = 0;
    // Rounds until at least two deletions stopped after their mark (and one answered 204), or no event is left to delete.
    while (toDelete.length > 0 && (stoppedSeen.length < 2 || ![...deleteAnswers.values()].some((s) => s.includes(204)))) {
      rounds++;
      const batch = toDelete.splice(0, 4);
      faults().set(mix);
      await Promise.all([
        ...batch.map(async (id) => {
          const got = await log.retrying(2, 'DELETE', 'DELETE', `/api/v1/events/${id}`, { token: w.admin });
          deleteAnswers.set(id, got.map((r) => r.status));
        }),
        // A correction of a kept event: a shared person's date of birth and a new alias.
        (async () => {
          const id = keep[rounds % keep.length]!;
          const [read] = await log.retrying(3, 'GET', 'GET', `/api/v1/events/${id}`, { token: w.investigator });
          if (read?.status !== 200) return;
          const corrected = read.body.people.map((p: { name: { given: string; family: string } } & Record<string, unknown>, j: number) =>
            j === 0 ? { ...p, name: { ...p.name, aliases: [`Alias${rounds}`] }, dateOfBirth: `19${70 + rounds}-01-0${1 + (rounds % 9)}` } : p,
          );
          await log.retrying(2, 'PATCH', 'PATCH', `/api/v1/events/${id}`, {
            token: w.investigator,
            body: { people: corrected },
            headers: { 'if-match': read.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
          });
        })(),
        // A new report of one of the four. (Each keeps a report that is never deleted: a report joining a
        // profile while the deletion of its only event takes it out of the index has a test of its own, below.)
        (async () => {
          const k = rounds % 4;
          const body = { people: [{ ...people[k]!, profileId: profileOf[k] }], vehicles, occurredAt: daysAgo(3, 8 + rounds) };
          await log.retrying(3, 'POST', 'POST', '/api/v1/events', { token: w.investigator, body: eventBody(body), headers: { 'idempotency-key': randomUUID() } });
        })(),
      ]);
      faults().set({ rate: 0 });
      // With the store healthy again, which deletions stopped after their mark.
      stoppedSeen = (await docsOf<{ id: string; purging?: boolean }>('events', w.org)).filter((e) => e.purging).map((e) => e.id);
    }
    const met = Object.fromEntries(Object.entries(faults().counts).map(([k, v]) => [k, v - countsBefore[k as keyof typeof countsBefore]]));
    console.log(JSON.stringify({ rounds, stoppedSeen: stoppedSeen.length, met, answers: log.tally() }));

    // The faults were real and met; the answers the right ones.
    expect(injected()).toBeGreaterThan(injectedBefore);
    expect(met['reset-after']).toBeGreaterThan(0);
    expect(met.unavailable).toBeGreaterThan(0);
    log.check();
    // The sweep has something to finish: deletions stopped after their mark (their event is gone to every reader).
    expect(stoppedSeen.length).toBeGreaterThan(0);
    for (const id of stoppedSeen) expect((await call('GET', `/api/v1/events/${id}`, { token: w.investigator })).status).toBe(404);

    await finishAll(w.org);

    const asked = [...deleteAnswers.keys()];
    const stored = new Map((await docsOf<{ id: string; purging?: boolean }>('events', w.org)).map((e) => [e.id, e]));
    const gone = events.map((e) => e.id).filter((id) => !stored.has(id));
    const acknowledged = asked.filter((id) => deleteAnswers.get(id)!.includes(204));
    // Nothing is left purging; every deletion answered 204, and every one that stopped, is gone.
    expect([...stored.values()].filter((e) => e.purging).map((e) => e.id)).toEqual([]);
    expect(acknowledged.filter((id) => stored.has(id))).toEqual([]);
    expect(stoppedSeen.filter((id) => stored.has(id))).toEqual([]);
    // Only events asked to be deleted are gone.
    expect(gone.filter((id) => !asked.includes(id))).toEqual([]);

    const profiles = await docsOf<ProfileDoc>('profiles', w.org);
    const plateEvents = (await docsOf<{ entries: { eventId: string }[] }>('plate-index', w.org)).flatMap((d) => d.entries.map((e) => e.eventId));
    const links = (await docsOf<{ docType: string; subject: { eventId: string; profileId: string }; candidate: { eventIds: string[]; profileId: string } }>('links', w.org)).filter((l) => l.docType === 'link');
    const entries = await deleteEntries(w.org);
    // Gone everywhere: from profiles, the plate index, suggestions; its deletion audited once.
    expect(profiles.filter((p) => p.eventIds.some((id) => gone.includes(id))).map((p) => p.id)).toEqual([]);
    expect(profiles.filter((p) => (p.match?.indexedEvents ?? []).some((id) => gone.includes(id))).map((p) => p.id)).toEqual([]);
    expect(plateEvents.filter((id) => gone.includes(id))).toEqual([]);
    expect(links.filter((l) => gone.includes(l.subject.eventId) || l.candidate.eventIds.some((id) => gone.includes(id)))).toEqual([]);
    expect(Object.fromEntries(gone.map((id) => [id, entries.get(id)?.n ?? 0]))).toEqual(Object.fromEntries(gone.map((id) => [id, 1])));
    // Those that stopped after their mark were finished by the sweep, and their entry says so.
    for (const id of stoppedSeen) expect(entries.get(id)?.details).toMatchObject({ finishedBySweep: true });
    // Never deleted: intact, in every profile it names and in the plate index, and no deletion of it in the chain.
    const intact = events.filter((e) => stored.has(e.id));
    expect(intact.length).toBeGreaterThanOrEqual(keep.length);
    for (const e of intact) {
      expect((await call('GET', `/api/v1/events/${e.id}`, { token: w.investigator })).status).toBe(200);
      expect(entries.get(e.id)?.n ?? 0).toBe(0);
      expect(plateEvents).toContain(e.id);
      for (const p of e.profileIds) expect(profiles.find((x) => x.id === p)?.eventIds ?? []).toContain(e.id);
    }
    expect(await chainVerifies(w.org)).toMatchObject({ ok: true, firstBadSeq: null });
    expect(await outboxLeft(w.org)).toEqual([]);
    // No suggestion names a profile that went with its last event.
    expect(links.filter((l) => ![l.subject.profileId, l.candidate.profileId].every((id) => profiles.some((p) => p.id === id)))).toEqual([]);
    // The key index holds the profiles that stay, through their keys, and nothing of those that went.
    const index = await keyIndexProblems(w.org);
    console.log(JSON.stringify({ population: index.population, indexed: index.indexed }));
    expect(index.problems).toEqual([]);
  }, 120_000);
});

describe('re-indexes stopped by store faults are settled by the match-pending sweep', () => {
  it("new reports, corrections of names and dates of birth, people removed and events deleted while the key documents' requests fail (some writes landing with their answers lost): once the sweep has run, every profile is found through its keys and only through them, and no note is left", async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    const given = ['Aperahama', 'Brontë', 'Ciarán', 'Delwyn', 'Ekaterina', 'Fetu', 'Grainne', 'Huia', 'Ilona', 'Jarrah'];
    const people = given.map((g, i) => person(g, `Keynote${tag}${String.fromCharCode(97 + i)}`, { dateOfBirth: `198${i}-0${1 + (i % 9)}-1${i}`, phone: `+642155502${String(i).padStart(2, '0')}` }));
    const profileOf: string[] = [];
    const eventsOf = new Map<string, string[]>();
    const record = (profileId: string, eventId: string) => eventsOf.set(profileId, [...(eventsOf.get(profileId) ?? []), eventId]);
    for (const [i, p] of people.entries()) {
      const made = await report(w.investigator, { people: [p], vehicles: [], occurredAt: daysAgo(30 - i) });
      profileOf.push(made.people[0]!.profileId);
      record(made.people[0]!.profileId, made.id);
    }
    // Three reports of two people each (without their phones; the second under an alias too), a correction of which takes the second out again.
    const pairs: string[] = [];
    const withoutPhone = ({ phone: _, ...p }: Record<string, unknown>) => p;
    for (let i = 0; i < 3; i++) {
      const made = await report(w.investigator, { people: [{ ...withoutPhone(people[i]!), profileId: profileOf[i] }, { ...withoutPhone(people[i + 5]!), name: { ...people[i + 5]!.name, aliases: [`Tui Twin${tag}`] }, ref: 'p2', profileId: profileOf[i + 5] }], vehicles: [], occurredAt: daysAgo(18 - i) });
      pairs.push(made.id);
      record(profileOf[i]!, made.id);
      record(profileOf[i + 5]!, made.id);
    }
    await matched(w.org, profileOf);
    expect((await keyIndexProblems(w.org)).problems).toEqual([]);

    const log = answersLog();
    const retries = { token: w.investigator };
    const mixes: FaultMix[] = [
      // Every request to the key documents fails (the bulk reads and writes, the point deletes): each
      // re-index that changes keys stops after its profile and note, some of its key writes landed
      // with their answers lost (so the note outlives keys already in line), the others refused.
      { rate: 1, weights: { 'reset-after': 1, unavailable: 1, throttle: 1 }, retryAfterMs: 50, only: { path: '/colls/match-keys/docs' } },
      // Most of them fail, and the retries get most through: some re-indexes finish, some stop part-way.
      { rate: 0.6, weights: { 'reset-after': 2, unavailable: 2, throttle: 1 }, retryAfterMs: 50, only: { path: '/colls/match-keys/docs' } },
    ];
    const countsBefore = { ...faults().counts };
    let notesSeen = 0;
    let rounds = 0;
    // The first reports of the first three: each person stays (with the report of two), and loses their phone's key.
    // (No person is left without reports here: a report joining a profile while the deletion of its only
    // event takes it out of the index has a test of its own, below.)
    const deletable = profileOf.slice(0, 3).map((p) => eventsOf.get(p)![0]!);
    // Rounds of each mix until at least three notes were left behind (at most six rounds).
    while ((notesSeen < 3 || rounds < mixes.length) && rounds < 6) {
      const r = rounds++;
      faults().set(mixes[r % mixes.length]!);
      const correct = async (id: string, change: (people: Record<string, any>[]) => Record<string, any>[]) => {
        const [read] = await log.retrying(3, 'GET', 'GET', `/api/v1/events/${id}`, retries);
        if (read?.status !== 200) return;
        await log.retrying(2, 'PATCH', 'PATCH', `/api/v1/events/${id}`, {
          token: w.investigator,
          body: { people: change(read.body.people) },
          headers: { 'if-match': read.headers.get('etag')!, 'content-type': 'application/merge-patch+json' },
        });
      };
      await Promise.all([
        // New reports of existing people (without their phones), and one of someone new.
        ...[0, 1, 2].map((j) =>
          (async () => {
            const k = (r * 3 + j) % people.length;
            const body = eventBody({ people: [{ ...withoutPhone(people[k]!), profileId: profileOf[k] }], vehicles: [], occurredAt: daysAgo(5, 8 + j + r) });
            await log.retrying(3, 'POST', 'POST', '/api/v1/events', { token: w.investigator, body, headers: { 'idempotency-key': randomUUID() } });
          })(),
        ),
        log.retrying(3, 'POST', 'POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [person('Newcomer', `Keynote${tag}n${r}`, { dateOfBirth: '2001-02-03' })], vehicles: [], occurredAt: daysAgo(4, 10 + r) }), headers: { 'idempotency-key': randomUUID() } }),
        // A name corrected, and a date of birth.
        correct(eventsOf.get(profileOf[(r + 3) % people.length]!)![0]!, (ps) => ps.map((p) => ({ ...p, name: { ...p.name, given: `${p.name.given.split('-')[0]}-${r}` } }))),
        correct(eventsOf.get(profileOf[(r + 6) % people.length]!)![0]!, (ps) => ps.map((p) => ({ ...p, dateOfBirth: `19${60 + r}-0${1 + r}-2${r}` }))),
        // A person taken out of a report of two (once each).
        ...(r < pairs.length ? [correct(pairs[r]!, (ps) => ps.slice(0, 1))] : []),
        // An event deleted.
        ...(deletable.length ? [log.retrying(2, 'DELETE', 'DELETE', `/api/v1/events/${deletable.shift()!}`, { token: w.admin })] : []),
      ]);
      // The matcher's re-indexes of what changed run under the same faults, until it has nothing left (its failures retried, then kept as poison).
      await matcherIdle(60_000);
      faults().set({ rate: 0 });
      notesSeen = (await docsOfType(w.org, 'key-note')).length;
    }
    const met = Object.fromEntries(Object.entries(faults().counts).map(([k, v]) => [k, v - countsBefore[k as keyof typeof countsBefore]]));
    console.log(JSON.stringify({ rounds, notesSeen, met, answers: log.tally() }));
    expect(met['reset-after']).toBeGreaterThan(0);
    expect(met.unavailable).toBeGreaterThan(0);
    log.check();
    // The sweep has notes to settle, left by re-indexes the faults stopped.
    expect(notesSeen).toBeGreaterThan(0);

    await finishAll(w.org);

    const { problems, population, indexed, profiles } = await keyIndexProblems(w.org);
    expect(problems).toEqual([]);
    expect(await docsOfType(w.org, 'key-note')).toEqual([]);
    // The person lookup finds each profile by its phone(s).
    for (const p of profiles) {
      for (const phone of p.match?.facts.phones ?? []) {
        const hits = await call('POST', '/api/v1/profiles/search', { token: w.investigator, body: { phone } });
        expect({ phone, found: hits.body.items.map((h: { profileId: string }) => h.profileId) }).toEqual({ phone, found: expect.arrayContaining([p.id]) });
      }
    }
    // The population is not asserted here: whether these rounds stop a join is up to the faults, and
    // a stopped join is not counted (below, pinned as a known gap).
    console.log(JSON.stringify({ population, indexed }));
  }, 150_000);
});

/**
 * The population count (the denominator of every key's frequency) is moved once per profile that
 * joins or leaves the index. Each scenario below stops the work at one chosen store request, so
 * each behaves the same way on every run. A join whose key writes were lost is not counted when
 * the sweep settles its note (documented: one off weighs nothing in the frequencies it divides);
 * a purge run again after its leave does not count it down twice (unindex writes the profile
 * without keys before taking them out).
 */
describe('the population count after the finishers', () => {
  // A join whose key writes failed: the note's keys are settled, its population move is not.
  it.failing('a new person whose first re-index was stopped before its key writes is counted in the population once the sweep has settled the note', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    // Someone indexed already, so the population document exists.
    const first = await report(w.investigator, { people: [person('Wiremu', `Counted${tag}`, { dateOfBirth: '1982-03-04' })], vehicles: [] });
    await matched(w.org, [first.people[0]!.profileId]);
    expect((await keyIndexProblems(w.org)).population).toBe(1);

    // Every request to the key documents fails (503, each of its five tries) while the newcomer is matched.
    const before = faults().counts.unavailable;
    faults().set({ rate: 1, weights: { unavailable: 1 }, only: { path: '/colls/match-keys/docs' } });
    const made = await report(w.investigator, { people: [person('Mereana', `Uncounted${tag}`, { dateOfBirth: '1991-05-06', phone: '+64215550301' })], vehicles: [] });
    const profileId = made.people[0]!.profileId;
    await waitForDoc(w.org, 'key-note', (n: { profileId: string }) => n.profileId === profileId);
    await matcherIdle(60_000);
    faults().set({ rate: 0 });
    expect(faults().counts.unavailable).toBeGreaterThan(before);

    await finishAll(w.org);
    const { problems, population, indexed } = await keyIndexProblems(w.org);
    // What the sweep does settle: the newcomer is found through its keys, and no note is left.
    expect(problems).toEqual([]);
    expect(await docsOfType(w.org, 'key-note')).toEqual([]);
    expect(indexed).toBe(2);
    // Known gap, not fixed: the population still counts one.
    expect(population).toBe(indexed);
  }, 90_000);

  // A purge run again after its unindex had counted the person out: counted out twice.
  it("a deletion of a person's only event, stopped after the profile's keys went and before the profile did, leaves the population counting every other indexed profile once the outbox sweep has finished it", async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    const stays = await report(w.investigator, { people: [person('Tane', `Remains${tag}`, { dateOfBirth: '1975-08-09' })], vehicles: [] });
    const goes = await report(w.investigator, { people: [person('Ngaio', `Departs${tag}`, { dateOfBirth: '1988-10-11' })], vehicles: [] });
    const goner = goes.people[0]!.profileId;
    await matched(w.org, [stays.people[0]!.profileId, goner]);
    expect((await keyIndexProblems(w.org)).population).toBe(2);

    // The profile's removal (a point delete of its document) fails on every try: the DELETE stops after the purge took its keys.
    const before = faults().counts.unavailable;
    faults().set({ rate: 1, weights: { unavailable: 1 }, only: { method: 'DELETE', path: `/docs/${goner}` } });
    const res = await call('DELETE', `/api/v1/events/${goes.id}`, { token: w.admin });
    faults().set({ rate: 0 });
    expect(faults().counts.unavailable).toBeGreaterThan(before);
    expect({ status: res.status, retryAfter: res.headers.get('retry-after') }).toEqual({ status: 503, retryAfter: expect.stringMatching(/^\d+$/) });
    // Gone to every reader; the profile is still there, its keys already out of the index.
    expect((await call('GET', `/api/v1/events/${goes.id}`, { token: w.investigator })).status).toBe(404);
    expect((await docsOf<ProfileDoc>('profiles', w.org)).map((p) => p.id)).toContain(goner);

    await finishAll(w.org);
    const { problems, population, indexed, profiles } = await keyIndexProblems(w.org);
    // What the sweep does finish: the event and the profile are gone, the deletion audited once, the index clean.
    expect(profiles.map((p) => p.id)).not.toContain(goner);
    expect((await deleteEntries(w.org)).get(goes.id)?.n).toBe(1);
    expect(problems).toEqual([]);
    expect(indexed).toBe(1);
    // Counted out once, not twice.
    expect(population).toBe(indexed);
  }, 90_000);
});

describe('a new report of a person while the deletion of their only event takes them out of the index', () => {
  // Slow answers from the key documents hold the purge in its unindex while the report joins the profile.
  it('leaves the person found through their keys and counted once, after both finishers', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    const someone = person('Kahu', `Overlap${tag}`, { dateOfBirth: '1984-12-01', phone: '+64215550401' });
    const other = await report(w.investigator, { people: [person('Rangi', `Bystander${tag}`, { dateOfBirth: '1970-01-02' })], vehicles: [] });
    const only = await report(w.investigator, { people: [someone], vehicles: [] });
    const profileId = only.people[0]!.profileId;
    await matched(w.org, [other.people[0]!.profileId, profileId]);
    expect((await keyIndexProblems(w.org)).population).toBe(2);

    const before = faults().counts.slow;
    faults().set({ rate: 1, weights: { slow: 1 }, slowMs: 1_500, only: { path: '/colls/match-keys/docs' } });
    const deleting = call('DELETE', `/api/v1/events/${only.id}`, { token: w.admin });
    // The purge has reached the key documents (its unindex: the profile held only this event).
    for (const deadline = Date.now() + 20_000; faults().counts.slow === before && Date.now() < deadline; ) await sleep(20);
    expect(faults().counts.slow).toBeGreaterThan(before);
    const again = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [{ ...someone, profileId }], vehicles: [], occurredAt: daysAgo(1) }) });
    expect(again.status).toBe(201);
    expect((await deleting).status).toBe(204);
    await matched(w.org, [profileId]);
    faults().set({ rate: 0 });

    await finishAll(w.org);
    const { problems, population, indexed, profiles } = await keyIndexProblems(w.org);
    // The person stays, with the new report only.
    expect(profiles.find((p) => p.id === profileId)?.eventIds).toEqual([again.body.id]);
    const lookup = await call('POST', '/api/v1/profiles/search', { token: w.investigator, body: { phone: '+64215550401' } });
    const foundByPhone = lookup.body.items.some((h: { profileId: string }) => h.profileId === profileId);
    // Found through every key, and counted once.
    expect({ problems, population, foundByPhone }).toEqual({ problems: [], population: indexed, foundByPhone: true });
  }, 90_000);
});

/** Waits (faults or not: the probe reads through the proxy, so it retries) until a record of this type matching `which` exists. */
async function waitForDoc<T>(orgId: string, docType: string, which: (doc: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await docsOfType<T>(orgId, docType).catch(() => [] as T[])).find(which);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${docType} in time`);
    await sleep(200);
  }
}
