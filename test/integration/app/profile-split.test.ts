import { container } from '../../../shared/adapters/cosmos-containers';
import type { Principal } from '../../../shared/domain/principal';
import { splitProfile, type SplitStep } from '../../../shared/matching/split-profile';
import { call, tokenFor } from '../support/api';
import { matchingSettled } from '../support/matching';
import { pendingLink } from '../support/people';
import { docsOf } from '../support/retention';
import { eventBody, retailerWorld } from '../support/world';

type World = Awaited<ReturnType<typeof retailerWorld>>;

const who = { ref: 'p1', role: 'offender', name: { given: 'Tamati', family: 'Wharerau-Okafor' }, dateOfBirth: '1983-05-17', phone: '+64215550177' };

async function report(w: World, person: Record<string, unknown>, occurredAt: string) {
  const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [person], vehicles: [], occurredAt }) });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; people: { profileId: string }[] };
}

const profile = async (w: World, id: string) => (await call('GET', `/api/v1/profiles/${id}`, { token: w.investigator })).body;
const ownerOf = async (w: World, eventId: string) => (await call('GET', `/api/v1/events/${eventId}`, { token: w.investigator })).body.people[0].profileId;
/** A profile as compared: every field but when it was last written and its history. */
const comparable = ({ updatedAt: _u, history: _h, ...rest }: Record<string, unknown>) => rest;

/**
 * Two profiles of one person (the first with two events, attached by profile id), suggested,
 * accepted (merged), and then a later event on the survivor: the state a split must undo.
 */
async function mergedWithLaterEvent() {
  const w = await retailerWorld();
  const e1 = await report(w, who, '2026-10-01T10:00:00Z');
  const survivorId = e1.people[0]!.profileId;
  const e2 = await report(w, { ...who, profileId: survivorId }, '2026-10-05T10:00:00Z');
  const tam = { ...who, name: { given: 'Tam', family: 'Wharerau-Okafor' } };
  const e3 = await report(w, tam, '2026-10-09T10:00:00Z');
  const link = await pendingLink(w.investigator, 20_000);
  const [survivor, merged] = link.candidate.profileId === survivorId ? [link.candidate.profileId, link.subject.profileId] : [link.subject.profileId, link.candidate.profileId];
  const before = { survivor: await profile(w, survivor), merged: await profile(w, merged) };
  const owners = { e1: await ownerOf(w, e1.id), e2: await ownerOf(w, e2.id), e3: await ownerOf(w, e3.id) };
  expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
  const into = link.candidate.profileId;
  // After the merge, a new report attached to the surviving profile, as that profile's person was
  // reported before (whichever side the suggestion made the survivor).
  const e4 = await report(w, { ...(into === survivorId ? who : tam), profileId: into }, '2026-11-01T10:00:00Z');
  return { w, link, into, from: link.subject.profileId, before, owners, events: { e1, e2, e3, e4 }, survivor, merged };
}

async function expectRestored(s: Awaited<ReturnType<typeof mergedWithLaterEvent>>) {
  const { w, into, from, before, owners, events } = s;
  const restored = await profile(w, from);
  const survivor = await profile(w, into);
  const beforeFrom = from === s.merged ? before.merged : before.survivor;
  const beforeInto = into === s.survivor ? before.survivor : before.merged;
  // The profile the merge took away: exactly as it was, field by field.
  expect(comparable(restored)).toEqual(comparable(beforeFrom));
  // The survivor: as it was, plus the event added after the merge.
  expect(survivor.eventIds.sort()).toEqual([...beforeInto.eventIds, events.e4.id].sort());
  expect({ ...comparable(survivor), eventIds: [], harm: 0, harmReasons: [], riskTiers: [], lastOccurredAt: null }).toEqual({ ...comparable(beforeInto), eventIds: [], harm: 0, harmReasons: [], riskTiers: [], lastOccurredAt: null });
  // Every event's person is back with the profile it had.
  expect(await ownerOf(w, events.e1.id)).toBe(owners.e1);
  expect(await ownerOf(w, events.e2.id)).toBe(owners.e2);
  expect(await ownerOf(w, events.e3.id)).toBe(owners.e3);
  expect(await ownerOf(w, events.e4.id)).toBe(into);
  expect(survivor.history.map((h: { action: string }) => h.action)).toEqual(['merge', 'split']);
  expect(restored.history).toEqual([expect.objectContaining({ action: 'split', linkId: s.link.id, profileId: into })]);
}

describe('Splitting a merge (PRODUCT §4b)', () => {
  it('restores both profiles exactly, later events stay with the survivor, and the pair is rejected for good', async () => {
    const s = await mergedWithLaterEvent();
    const asked = { token: s.w.investigator, body: { linkId: s.link.id, reason: 'Two brothers, confirmed on CCTV' }, headers: { 'idempotency-key': 'split-key-1' } };
    const split = await call('POST', `/api/v1/profiles/${s.into}/split`, asked);
    expect(split.status).toBe(200);
    // The same request again with its key (PRODUCT §10b): the first answer, not 409.
    const replayed = await call('POST', `/api/v1/profiles/${s.into}/split`, asked);
    expect({ status: replayed.status, body: replayed.body }).toEqual({ status: 200, body: split.body });
    expect(split.body.restored.id).toBe(s.from);
    await expectRestored(s);
    const decided = (await call('GET', '/api/v1/links?status=rejected', { token: s.w.investigator })).body.items;
    expect(decided.map((l: { id: string }) => l.id)).toEqual([s.link.id]);
    const again = await call('POST', `/api/v1/profiles/${s.into}/split`, { token: s.w.investigator, body: { linkId: s.link.id, reason: 'again' } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ALREADY_SPLIT');
    const compliance = await tokenFor({ org: s.w.org, roles: ['Compliance'], sub: 'c-1', mfa: true });
    const audit = (await call('GET', '/api/v1/audit/export?format=jsonl', { token: compliance })).text.trim().split('\n').map((l: string) => JSON.parse(l));
    const entry = audit.find((e: { action: string }) => e.action === 'profile.split');
    expect(entry).toMatchObject({ target: { type: 'profile', id: s.into }, details: { linkId: s.link.id, restoredProfileId: s.from } });
    expect(JSON.stringify(entry)).not.toContain('brothers');
  });

  it('refuses what it must: a Reporter, an unknown or foreign merge, a bad body, sensitive text', async () => {
    const s = await mergedWithLaterEvent();
    const url = `/api/v1/profiles/${s.into}/split`;
    expect((await call('POST', url, { token: s.w.reporter, body: { linkId: s.link.id, reason: 'x' } })).status).toBe(403);
    expect((await call('POST', url, { token: s.w.investigator, body: { linkId: '00000000-0000-0000-0000-000000000000', reason: 'x' } })).status).toBe(404);
    expect((await call('POST', `/api/v1/profiles/${s.from}/split`, { token: s.w.investigator, body: { linkId: s.link.id, reason: 'x' } })).status).toBe(404);
    const other = await retailerWorld();
    expect((await call('POST', url, { token: other.investigator, body: { linkId: s.link.id, reason: 'x' } })).status).toBe(404);
    expect((await call('POST', url, { token: s.w.investigator, body: { linkId: s.link.id } })).status).toBe(400);
    expect((await call('POST', url, { token: s.w.investigator, body: { linkId: s.link.id, reason: 'x', extra: 1 } })).status).toBe(400);
    // Nothing was split by any of these.
    expect((await profile(s.w, s.into)).eventIds).toHaveLength(4);
  });

  it("the restored profile's suggestions that the merge retired come back: it is matched again (audit, 2026-12-07)", async () => {
    const w = await retailerWorld();
    // One person reported three times: three profiles, each suggested with the others.
    const first = (await report(w, who, '2026-10-01T10:00:00Z')).people[0]!.profileId;
    await report(w, who, '2026-10-05T10:00:00Z');
    await report(w, who, '2026-10-09T10:00:00Z');
    type Pending = { id: string; subject: { profileId: string }; candidate: { profileId: string } };
    const pending = async (): Promise<Pending[]> => (await call('GET', '/api/v1/links?status=pending&pageSize=100', { token: w.investigator })).body.items;
    const joins = (l: Pending, a: string, b: string) => [l.subject.profileId, l.candidate.profileId].sort().join() === [a, b].sort().join();
    const until = async (found: (links: Pending[]) => boolean, what: string) => {
      for (const deadline = Date.now() + 20_000; ; await new Promise((r) => setTimeout(r, 250))) {
        const links = await pending();
        if (found(links)) return links;
        if (Date.now() > deadline) throw new Error(`${what}: ${JSON.stringify(links)}`);
      }
    };
    const links = await until((l) => l.length >= 3, 'three suggestions');
    // The two later profiles merged; the folded one's suggestion with the first profile goes with it.
    const accepted = links.find((l) => l.subject.profileId !== first && l.candidate.profileId !== first)!;
    const [into, from] = [accepted.candidate.profileId, accepted.subject.profileId];
    expect((await call('POST', `/api/v1/links/${accepted.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
    // The merge's own matching of the survivor done, so none of it lands after the split.
    expect((await matchingSettled(w.org)).left).toEqual([]);
    expect((await pending()).some((l) => joins(l, from, first))).toBe(false);
    const split = await call('POST', `/api/v1/profiles/${into}/split`, { token: w.investigator, body: { linkId: accepted.id, reason: 'Accepted in error' } });
    expect(split.status).toBe(200);
    // Back: the restored profile suggested with the first again.
    await until((l) => l.some((x) => joins(x, from, first)), 'the restored profile suggested with the first again');
  });

  it("a survivor whose own reports were all deleted since the merge goes with its keys; the restored profile is answered alone", async () => {
    const w = await retailerWorld();
    const e1 = await report(w, who, '2026-10-01T10:00:00Z');
    const e3 = await report(w, { ...who, name: { given: 'Tam', family: 'Wharerau-Okafor' } }, '2026-10-09T10:00:00Z');
    const link = await pendingLink(w.investigator, 20_000);
    expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
    const [into, from] = [link.candidate.profileId, link.subject.profileId];
    const [own, folded] = e1.people[0]!.profileId === into ? [e1, e3] : [e3, e1];
    expect((await call('DELETE', `/api/v1/events/${own.id}`, { token: w.admin })).status).toBe(204);
    const split = await call('POST', `/api/v1/profiles/${into}/split`, { token: w.investigator, body: { linkId: link.id, reason: 'Two brothers, confirmed on CCTV' } });
    expect(split.status).toBe(200);
    expect([split.body.survivor, split.body.restored.id, split.body.restored.eventIds]).toEqual([null, from, [folded.id]]);
    expect((await call('GET', `/api/v1/profiles/${into}`, { token: w.investigator })).status).toBe(404);
    expect(await ownerOf(w, folded.id)).toBe(from);
    // No key of the index names the profile that went; the restored one is found through its own.
    const keys = await docsOf<{ docType: string; members?: string[] }>('matchkeys', w.org);
    expect(keys.filter((k) => k.members?.includes(into))).toEqual([]);
    expect(keys.some((k) => k.members?.includes(from))).toBe(true);
  });

  it('an erasure of either profile (or the merge again) while a split is stopped part-way is refused until the split is finished; then it goes on', async () => {
    const s = await mergedWithLaterEvent();
    const principal: Principal = { sub: 'inv-1', orgId: s.w.org, roles: ['Investigator'], stores: null, mfa: false };
    const crash = (step: SplitStep) => {
      if (step === 'restored') throw new Error('crash after restored');
    };
    await expect(splitProfile({ principal, requestId: 'crash' }, s.into, { linkId: s.link.id, reason: 'wrong merge' }, new Date(), { afterStep: crash })).rejects.toThrow('crash after restored');
    for (const id of [s.into, s.from]) {
      const refused = await call('DELETE', `/api/v1/profiles/${id}`, { token: s.w.admin });
      expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'SPLIT_UNFINISHED' });
    }
    // Nor is the merge accepted again meanwhile (a client's retry of its accept would merge it back).
    const again = await call('POST', `/api/v1/links/${s.link.id}/decision`, { token: s.w.investigator, body: { decision: 'accept' } });
    expect({ status: again.status, code: again.body.code }).toEqual({ status: 409, code: 'SPLIT_UNFINISHED' });
    expect((await call('POST', `/api/v1/profiles/${s.into}/split`, { token: s.w.investigator, body: { linkId: s.link.id, reason: 'wrong merge' } })).status).toBe(200);
    await expectRestored(s);
    expect((await call('DELETE', `/api/v1/profiles/${s.from}`, { token: s.w.admin })).status).toBe(200);
  });

  it.each<SplitStep>(['marked', 'restored', 'moved', 'released', 'reindexed', 'rejected'])('a crash after "%s" is finished by asking again, with the same result', async (crashAt) => {
    const s = await mergedWithLaterEvent();
    const principal: Principal = { sub: 'inv-1', orgId: s.w.org, roles: ['Investigator'], stores: null, mfa: false };
    const crash = (step: SplitStep) => {
      if (step === crashAt) throw new Error(`crash after ${step}`);
    };
    await expect(splitProfile({ principal, requestId: 'crash' }, s.into, { linkId: s.link.id, reason: 'wrong merge' }, new Date(), { afterStep: crash })).rejects.toThrow(`crash after ${crashAt}`);
    const retry = await call('POST', `/api/v1/profiles/${s.into}/split`, { token: s.w.investigator, body: { linkId: s.link.id, reason: 'wrong merge' } });
    expect(retry.status).toBe(200);
    await expectRestored(s);
    // The split is in the chain once: the entry of the attempt that started it, stored with its mark.
    const { resources } = await container('audit')
      .items.query({ query: "SELECT c.requestId FROM c WHERE c.orgId = @o AND c.action = 'profile.split' AND c.target.id = @id", parameters: [{ name: '@o', value: s.w.org }, { name: '@id', value: s.into }] })
      .fetchAll();
    expect(resources).toEqual([{ requestId: 'crash' }]);
  });
});
