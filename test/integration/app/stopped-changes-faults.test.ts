import { randomUUID } from 'node:crypto';
import { container, placed, queryAll, withoutSystemProperties } from '../../../shared/adapters/cosmos-containers';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { MergeRecord } from '../../../shared/matching/merge-record-repository';
import { MATCH_OVERDUE_MS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';
import { finishStoppedChanges } from '../../../shared/audit/stopped-changes';
import type { FaultMix } from '../../../tools/local/fault-proxy';
import { call, tokenFor } from '../support/api';
import { keyIndexProblems } from '../support/key-index';
import { ownStack } from '../support/own-stack';
import { report } from '../support/people';
import { docsOf } from '../support/retention';
import { answersLog, chainVerifies, later, matcherIdle, outboxLeft, sleep } from '../support/store-faults';
import { retailerWorld } from '../support/world';

/**
 * Merges (accepting a suggestion), splits (PRODUCT §4b) and erasures (§9) through the API with real store faults
 * at the Cosmos edge (429s, 503s, answers lost after the store acted), by a client that tries
 * twice and gives up: never a 500, every 503 with Retry-After. A merge or a split left part-way
 * is finished by the audit outbox sweep once its entry is overdue (finishStoppedChanges),
 * not only by a client asking again. Afterwards every merge is whole (the folded profile gone,
 * every report and person on the survivor), every split gives both profiles back field by field
 * as they were before the merge, each is in the chain once, and the key index holds exactly the
 * profiles that stay. Each phase asks for two changes under each of its fault mixes; the mixes
 * that fail every write of one kind stop a change at that step whatever the app retries, so the
 * sweep has something to finish.
 */
const stack = ownStack();
const faults = () => stack().faults!.cosmos;
const MIX: FaultMix = { rate: 0.6, weights: { 'reset-after': 2, unavailable: 2, throttle: 1 }, retryAfterMs: 50 };
/** Every request of one kind fails (or is done and its answer lost): a change stopped at that step, whatever the app retries. */
const every = (method: string, path: string): FaultMix => ({ rate: 1, weights: { 'reset-after': 1, unavailable: 1 }, only: { method, path } });
/** Where merges and splits stop: anywhere, at their first write of an event or a profile, at the folded profile's deletion; a split's last writes. */
const MERGE_FAULTS = [MIX, every('PUT', '/colls/retailer-records/'), every('DELETE', '/colls/retailer-records/')];
const SPLIT_FAULTS = [MIX, every('PUT', '/colls/retailer-records/'), every('PUT', '/colls/link-records/')];
/** Erasures: anywhere, at the events the person leaves, at the profile's deletion (its last step). */
const ERASE_FAULTS = [MIX, every('PUT', '/colls/retailer-records/'), every('DELETE', '/colls/retailer-records/')];
/** A profile as compared: every field but when it was last written and its history. */
const comparable = ({ updatedAt: _u, history: _h, ...rest }: Record<string, unknown>) => rest;

interface Pair {
  linkId: string;
  /** The suggestion's subject, folded away by the merge; the candidate survives it. */
  from: string;
  into: string;
  before: { from: Record<string, any>; into: Record<string, any> };
  /** Each event's person, and the profile it named before the merge. */
  owners: Record<string, string>;
}

type World = Awaited<ReturnType<typeof retailerWorld>>;

async function profileOf(w: World, id: string): Promise<{ status: number; body: Record<string, any> }> {
  const res = await call('GET', `/api/v1/profiles/${id}`, { token: w.investigator });
  return { status: res.status, body: res.body };
}
const ownerOf = async (w: World, eventId: string) => (await call('GET', `/api/v1/events/${eventId}`, { token: w.investigator })).body.people[0].profileId as string;

const GIVEN = ['Rawiri', 'Bronwyn', 'Casimir', 'Delphine', 'Eamon', 'Fenella', 'Gideon', 'Honora'];
const FAMILY = ['Ngata', 'Kowalczyk', 'Abernethy', 'Okonkwo', 'Lindqvist', 'Papadakis', 'Moreau', 'Szymanski'];

/** `n` people, each reported twice on one profile and once more on a profile of its own: one suggestion each. */
async function suggestedPairs(w: World, n: number): Promise<Pair[]> {
  const tag = randomUUID().slice(0, 6);
  const events = new Map<string, string[]>();
  for (let i = 0; i < n; i++) {
    // Names, dates of birth and phones nobody else shares, so each person has one suggestion: their two profiles.
    const who = { ref: 'p1', role: 'offender', name: { given: GIVEN[i % GIVEN.length]!, family: `${FAMILY[i % FAMILY.length]}-${tag}` }, dateOfBirth: `19${70 + i}-0${1 + (i % 9)}-1${i % 10}`, phone: `+6421${tag.replace(/\D/g, '').padEnd(3, '7').slice(0, 3)}${String(1000 + i)}` };
    const first = await report(w.investigator, [who], { occurredAt: `2026-10-0${1 + (i % 9)}T10:00:00Z` });
    const profileId = first.people[0]!.profileId;
    const second = await report(w.investigator, [{ ...who, profileId }], { occurredAt: `2026-10-1${i % 10}T10:00:00Z` });
    const third = await report(w.investigator, [who], { occurredAt: `2026-10-2${i % 10}T10:00:00Z` });
    events.set(profileId, [first.id, second.id]);
    events.set(third.people[0]!.profileId, [third.id]);
  }
  const deadline = Date.now() + 60_000;
  let links: { id: string; subject: { profileId: string }; candidate: { profileId: string } }[] = [];
  while (links.length < n) {
    if (Date.now() > deadline) throw new Error(`${links.length} of ${n} suggestions made`);
    await sleep(300);
    links = (await call('GET', '/api/v1/links?status=pending&pageSize=100', { token: w.investigator })).body.items;
    links = links.filter((l) => events.has(l.subject.profileId) && events.has(l.candidate.profileId));
  }
  // One each, between a person's own two profiles.
  expect(links).toHaveLength(n);
  await matcherIdle();
  const pairs: Pair[] = [];
  for (const l of links) {
    const [from, into] = [l.subject.profileId, l.candidate.profileId];
    const owners: Record<string, string> = {};
    for (const e of [...events.get(from)!, ...events.get(into)!]) owners[e] = await ownerOf(w, e);
    pairs.push({ linkId: l.id, from, into, before: { from: (await profileOf(w, from)).body, into: (await profileOf(w, into)).body }, owners });
  }
  return pairs;
}

/** The merge records of the org, by suggestion. */
async function mergeRecords(orgId: string): Promise<Map<string, MergeRecord>> {
  const docs = await queryAll<MergeRecord>('profiles', orgId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'profile-merge'", { orgId });
  return new Map(docs.map((d) => [d.linkId, d]));
}

/**
 * The sweeps, as their timers run once the work is overdue, with the faults off: the audit outbox
 * sweep (finishing stopped merges and splits), then the match-pending sweep (settling the key notes
 * of re-indexes the faults stopped, as after any change that re-indexes); the matcher let finish
 * after each. Leases a request stopped by the faults could not give back lapse after
 * PROFILE_LEASE_MS, as long as the outbox waits: here they are made to lapse now, as that wait would.
 */
async function sweep(orgId: string): Promise<void> {
  await lapseLeases(orgId);
  await drainAuditOutbox(later(OUTBOX_OVERDUE_MS), orgId, finishStoppedChanges);
  await matcherIdle();
  await resendOverdueMatching({ warn: () => {} }, later(MATCH_OVERDUE_MS), orgId);
  await matcherIdle();
}

/** Every profile lease of the org, lapsed (what five minutes do to a lease its holder could not give back). */
async function lapseLeases(orgId: string): Promise<void> {
  const leases = await queryAll<{ id: string; orgId: string }>('profiles', orgId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'profile-lease'", { orgId });
  for (const lease of leases) await container('profiles').items.upsert(placed('profiles', { ...withoutSystemProperties(lease), expiresAt: new Date(0).toISOString() }));
}

/** The org's chain entries of one action, by target and by the suggestion they name. */
async function entries(orgId: string, action: string): Promise<{ target: { id: string }; details: Record<string, unknown> }[]> {
  const compliance = await tokenFor({ org: orgId, roles: ['Compliance'], sub: 'comp-1', mfa: true });
  const lines = (await call('GET', '/api/v1/audit/export?format=jsonl', { token: compliance })).text.split('\n').filter(Boolean);
  return lines.map((l) => JSON.parse(l)).filter((e) => e.action === action);
}

/**
 * Asks for `ask` of two pairs under each mix in turn (each request tried once: the client gives up
 * at its first 503), the faults off after each; the pairs left are not asked.
 */
async function underFaults(pairs: Pair[], ask: (p: Pair) => Promise<unknown>, mixes: FaultMix[]): Promise<void> {
  for (const [i, mix] of mixes.entries()) {
    faults().set(mix);
    await Promise.all(pairs.slice(2 * i, 2 * i + 2).map(ask));
    faults().set({ rate: 0 });
  }
}

describe('merges, splits and erasures under store faults', () => {
  it('accepted and split by a client that gives up: never a 500; whatever stopped part-way is finished by the audit outbox sweep; both profiles come back exactly; each in the chain once', async () => {
    const w = await retailerWorld();
    const pairs = await suggestedPairs(w, 8);
    const log = answersLog();
    const countsBefore = { ...faults().counts };

    // Merges: a stopped one has its suggestion accepted and its folded profile still there.
    const accept = (p: Pair) => log.retrying(1, 'accept', 'POST', `/api/v1/links/${p.linkId}/decision`, { token: w.investigator, body: { decision: 'accept' } });
    const stoppedMerges = async () => {
      const links = new Map((await docsOf<{ id: string; docType: string; status: string }>('links', w.org)).map((l) => [l.id, l]));
      const profiles = new Set((await docsOf<ProfileDoc>('profiles', w.org)).map((p) => p.id));
      return pairs.filter((p) => links.get(p.linkId)?.status === 'accepted' && profiles.has(p.from)).map((p) => p.linkId);
    };
    await underFaults(pairs, accept, MERGE_FAULTS);
    const mergesStopped = await stoppedMerges();
    expect(mergesStopped.length).toBeGreaterThan(0);
    // Each stopped merge is half done until the sweep: its folded profile is still answered.
    for (const id of mergesStopped) expect((await profileOf(w, pairs.find((p) => p.linkId === id)!.from)).status).toBe(200);
    await sweep(w.org);
    // The rest (never tried, or never stored under faults) accepted now.
    for (const p of pairs) {
      const res = await call('POST', `/api/v1/links/${p.linkId}/decision`, { token: w.investigator, body: { decision: 'accept' } });
      expect(res.status).toBe(200);
    }
    await matcherIdle();

    const records = await mergeRecords(w.org);
    for (const p of pairs) {
      expect((await profileOf(w, p.from)).status).toBe(404);
      const into = (await profileOf(w, p.into)).body;
      expect([...into.eventIds].sort()).toEqual([...p.before.from.eventIds, ...p.before.into.eventIds].sort());
      for (const e of Object.keys(p.owners)) expect(await ownerOf(w, e)).toBe(p.into);
      expect(records.get(p.linkId)?.status).toBe('merged');
    }
    const accepts = await entries(w.org, 'link.accept');
    expect(Object.fromEntries(pairs.map((p) => [p.linkId, accepts.filter((e) => e.target.id === p.linkId).length]))).toEqual(Object.fromEntries(pairs.map((p) => [p.linkId, 1])));
    for (const id of mergesStopped) expect(accepts.find((e) => e.target.id === id)?.details).toMatchObject({ merged: true, finishedBySweep: true });
    expect(await outboxLeft(w.org)).toEqual([]);
    expect((await keyIndexProblems(w.org)).problems).toEqual([]);

    // Splits: a stopped one has its merge record marked splitting.
    const split = (p: Pair) => log.retrying(1, 'split', 'POST', `/api/v1/profiles/${p.into}/split`, { token: w.investigator, body: { linkId: p.linkId, reason: 'Two cousins, confirmed on CCTV' } });
    const stoppedSplits = async () => [...(await mergeRecords(w.org)).values()].filter((r) => r.status === 'splitting').map((r) => r.linkId);
    await underFaults(pairs, split, SPLIT_FAULTS);
    const splitsStopped = await stoppedSplits();
    expect(splitsStopped.length).toBeGreaterThan(0);
    // Until the sweep, an erasure of either profile is refused, naming the split to finish (once
    // the leases the faults kept from being given back have lapsed: until then it is PROFILE_BUSY).
    await lapseLeases(w.org);
    const stoppedPair = pairs.find((p) => p.linkId === splitsStopped[0])!;
    const refused = await call('DELETE', `/api/v1/profiles/${stoppedPair.into}`, { token: w.admin });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'SPLIT_UNFINISHED' });
    await sweep(w.org);
    // The rest split now; one the sweep finished is done (a client asking again is told so).
    for (const p of pairs) {
      const res = await call('POST', `/api/v1/profiles/${p.into}/split`, { token: w.investigator, body: { linkId: p.linkId, reason: 'Two cousins, confirmed on CCTV' } });
      expect([200, 409]).toContain(res.status);
      if (res.status === 409) expect(res.body.code).toBe('ALREADY_SPLIT');
    }
    await matcherIdle();

    const met = Object.fromEntries(Object.entries(faults().counts).map(([k, v]) => [k, v - countsBefore[k as keyof typeof countsBefore]]));
    console.log(JSON.stringify({ mergesStopped: mergesStopped.length, splitsStopped: splitsStopped.length, met, answers: log.tally() }));
    expect(met['reset-after']).toBeGreaterThan(0);
    expect(met.unavailable).toBeGreaterThan(0);
    log.check();
    // No request here sent a precondition: none is answered 412 (a write whose answer was lost, sent again, meets its own change).
    expect(log.answers.filter((a) => a.status === 412)).toEqual([]);

    const after = await mergeRecords(w.org);
    const links = new Map((await docsOf<{ id: string; status: string; decision?: { note?: string } }>('links', w.org)).map((l) => [l.id, l]));
    for (const p of pairs) {
      expect(after.get(p.linkId)?.status).toBe('split');
      expect(links.get(p.linkId)?.status).toBe('rejected');
      // Both profiles as they were before the merge, field by field, and every person back where it was.
      expect(comparable((await profileOf(w, p.from)).body)).toEqual(comparable(p.before.from));
      expect(comparable((await profileOf(w, p.into)).body)).toEqual(comparable(p.before.into));
      for (const [e, owner] of Object.entries(p.owners)) expect(await ownerOf(w, e)).toBe(owner);
    }
    // Each split its request finished has the reason asked for as its rejection's note (one the sweep finished has none, unless its request got that far).
    for (const p of pairs.filter((x) => !splitsStopped.includes(x.linkId))) expect(links.get(p.linkId)?.decision?.note).toBe('Two cousins, confirmed on CCTV');
    const splits = await entries(w.org, 'profile.split');
    expect(Object.fromEntries(pairs.map((p) => [p.linkId, splits.filter((e) => e.details.linkId === p.linkId).length]))).toEqual(Object.fromEntries(pairs.map((p) => [p.linkId, 1])));
    for (const id of splitsStopped) expect(splits.find((e) => e.details.linkId === id)?.details).toMatchObject({ finishedBySweep: true });
    expect(await outboxLeft(w.org)).toEqual([]);
    expect(await chainVerifies(w.org)).toMatchObject({ ok: true, firstBadSeq: null });
    const index = await keyIndexProblems(w.org);
    expect(index.problems).toEqual([]);
    // The erasure refused while the split was stopped goes on now.
    expect((await call('DELETE', `/api/v1/profiles/${stoppedPair.into}`, { token: w.admin })).status).toBe(200);
  }, 240_000);

  it('erased by a client that gives up: never a 500; an erasure stopped part-way is finished by the sweep, so no event keeps the person; each in the chain once, saying who finished it', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    // Six people, each in two reports (one with someone who stays), with a plate.
    const people: { profileId: string; events: string[] }[] = [];
    for (let i = 0; i < 6; i++) {
      const who = { ref: 'p1', role: 'offender', name: { given: GIVEN[i]!, family: `${FAMILY[i]}-${tag}` }, dateOfBirth: `19${80 + i}-02-1${i}` };
      const stays = { ref: 'p2', role: 'accomplice', name: { given: 'Stays', family: `Accomplice-${tag}${i}` } };
      const first = await report(w.investigator, [who], { occurredAt: `2026-10-0${1 + i}T10:00:00Z` });
      const profileId = first.people[0]!.profileId;
      const second = await report(w.investigator, [{ ...who, profileId }, stays], { occurredAt: `2026-10-1${i}T10:00:00Z`, vehicles: [{ plate: `ER${i}${tag.slice(0, 3).toUpperCase()}` }] });
      people.push({ profileId, events: [first.id, second.id] });
    }
    await matcherIdle();
    const log = answersLog();
    const pairs = people.map((p) => ({ linkId: p.profileId, from: p.profileId, into: p.profileId, before: { from: {}, into: {} }, owners: {} }));
    await underFaults(pairs, (p) => log.retrying(1, 'erase', 'DELETE', `/api/v1/profiles/${p.from}`, { token: w.admin }), ERASE_FAULTS);
    const erasing = (await docsOf<ProfileDoc>('profiles', w.org)).filter((p) => p.erasing).map((p) => p.id);
    expect(erasing.length).toBeGreaterThan(0);
    await sweep(w.org);
    /** Gone, and out of every report, which stays with whoever else is in it. */
    const expectErased = async (subset: typeof people) => {
      const profiles = new Set((await docsOf<ProfileDoc>('profiles', w.org)).map((p) => p.id));
      const events = await docsOf<{ id: string; people: { profileId?: string; ref: string }[] }>('events', w.org);
      for (const p of subset) {
        expect(profiles.has(p.profileId)).toBe(false);
        for (const id of p.events) {
          const e = events.find((x) => x.id === id)!;
          expect(e.people.filter((x) => x.profileId === p.profileId)).toEqual([]);
          expect(JSON.stringify(e)).not.toContain(FAMILY[people.indexOf(p)]!);
        }
        expect(events.find((x) => x.id === p.events[1])!.people.map((x) => x.ref)).toEqual(['p2']);
      }
    };
    // Those the faults stopped, finished by the sweep alone.
    await expectErased(people.filter((p) => erasing.includes(p.profileId)));
    // The rest (not asked, or refused before the mark) erased now; one the sweep finished answers 404.
    for (const p of people) expect([200, 404]).toContain((await call('DELETE', `/api/v1/profiles/${p.profileId}`, { token: w.admin })).status);
    await matcherIdle();
    log.check();
    expect(log.answers.filter((a) => a.status === 412)).toEqual([]);
    await expectErased(people);
    const erasures = await entries(w.org, 'profile.erase');
    expect(Object.fromEntries(people.map((p) => [p.profileId, erasures.filter((e) => e.target.id === p.profileId).length]))).toEqual(Object.fromEntries(people.map((p) => [p.profileId, 1])));
    for (const id of erasing) expect(erasures.find((e) => e.target.id === id)?.details).toMatchObject({ finishedBySweep: true, resumed: true });
    expect(await outboxLeft(w.org)).toEqual([]);
    expect(await chainVerifies(w.org)).toMatchObject({ ok: true, firstBadSeq: null });
    expect((await keyIndexProblems(w.org)).problems).toEqual([]);
  }, 240_000);
});
