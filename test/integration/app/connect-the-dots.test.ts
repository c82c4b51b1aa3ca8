import { randomUUID } from 'node:crypto';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import type { Principal } from '../../../shared/domain/principal';
import { createEvent } from '../../../shared/events/create-event';
import { queueServiceClient } from '../../../shared/adapters/azure-clients';
import { enqueue } from '../../../shared/adapters/queues';
import { MATCH_QUEUE } from '../../../shared/matching/match-queue';
import { call, createOrg, tokenFor } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';
import { docsOf, matchingDone } from '../support/retention';
import { storeWithoutMatching } from '../support/matching';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { files, submit } from '../support/evidence';
import { noteLeaving } from '../../../shared/events/leaving-repository';
import { readEvent, replaceEvent } from '../../../shared/events/event-repository';
import { MATCH_OVERDUE_MS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';

type World = Awaited<ReturnType<typeof retailerWorld>>;

const person = (ref: string, given: string, family: string, extra: Record<string, unknown> = {}) => ({
  ref,
  role: 'offender',
  name: { given, family },
  ...extra,
});

async function report(w: World, people: unknown[], overrides: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people, vehicles: [], ...overrides }) });
  if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
  return res.body as { id: string; people: { profileId: string }[] };
}

/**
 * Two reports of one person, suggested and rejected (with `note`); a third report keeps the
 * subject's profile; then the report the suggestion was made from is deleted.
 */
async function rejectedThenPurged(w: World, who: () => Record<string, unknown>, note?: string) {
  // The first report is matched before the second is written, so the second is the suggestion's subject.
  const first = await report(w, [who()]);
  await matchingDone(w.org, [first.id]);
  const second = await report(w, [who()]);
  const [link] = await links(w.investigator);
  expect(link.subject.eventId).toBe(second.id);
  expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'reject', ...(note ? { note } : {}) } })).status).toBe(200);
  const third = await report(w, [{ ...who(), profileId: second.people[0]!.profileId }]);
  await matchingDone(w.org, [third.id]);
  expect((await call('DELETE', `/api/v1/events/${second.id}`, { token: w.admin })).status).toBe(204);
  return { link, second, third };
}

/** Two retailers with an active agreement, both matching across retailers. */
async function partnersMatchingAcross() {
  const a = await retailerWorld();
  const b = await retailerWorld();
  const proposed = await call('POST', '/api/v1/agreements', { token: a.admin, body: { partnerRetailerId: b.org } });
  await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, { token: b.admin });
  for (const w of [a, b]) await call('PUT', '/api/v1/settings', { token: w.admin, body: { connectTheDots: { crossRetailer: true } } });
  return { a, b, proposed };
}

/** Matching runs from a queue after the event is stored: wait until the expected suggestions appear. */
async function links(token: string, status = 'pending', atLeast = 1, timeoutMs = 15_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await call('GET', `/api/v1/links?status=${status}&pageSize=100`, { token });
    if (res.body.items.length >= atLeast || Date.now() > deadline) return res.body.items;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('Connect the Dots', () => {
  it('a create that died after storing the event, before asking for matching, is matched when the client retries it', async () => {
    const w = await retailerWorld();
    const who = () => [person('p1', 'Hemi', 'Parata-Rangi', { dateOfBirth: '1979-08-12' })];
    const first = await report(w, who());
    // The first attempt got as far as createEvent gets before the matching request, then died.
    const input = EventInputSchema.parse(eventBody({ people: who(), vehicles: [] }));
    const id = await storeWithoutMatching(w, input);
    await matchingDone(w.org, [first.id]);
    expect(await links(w.investigator, 'pending', 1, 0)).toEqual([]);
    // The retry carries the same event id (the Idempotency-Key claim gives it) and finds the event stored.
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Investigator'], stores: null, mfa: false };
    const again = await createEvent({ principal, requestId: 'retry' }, input, id);
    expect(again.event.id).toBe(id);
    const found = await links(w.investigator);
    expect(found.map((l) => l.subject.eventId)).toEqual([id]);
  });

  it('a matching message for several events matches each; one that fails goes back on the queue alone and ends in the poison queue', async () => {
    const w = await retailerWorld();
    const who = () => [person('p1', 'Aroha', 'Te-Whatu-Ngata', { dateOfBirth: '1984-02-29' })];
    await report(w, who());
    // A second report of the same person, stored without its own matching request.
    const id = await storeWithoutMatching(w, EventInputSchema.parse(eventBody({ people: who(), vehicles: [] })));
    // An id Cosmos DB refuses makes that event's matching throw, every time.
    const broken = { retailerId: w.org, eventId: `broken/${randomUUID()}` };
    await enqueue(MATCH_QUEUE, { events: [{ retailerId: w.org, eventId: id }, broken] });
    // The pair is suggested once the second event's person is indexed (from whichever side's
    // matching ran last: the first report's own message may be processed after this one).
    const found = await links(w.investigator);
    expect(found).toHaveLength(1);
    expect([found[0].subject.eventId, ...found[0].candidate.eventIds]).toContain(id);
    const poison = queueServiceClient().getQueueClient(`${MATCH_QUEUE}-poison`);
    const deadline = Date.now() + 30_000;
    let parked: unknown[] = [];
    while (Date.now() < deadline) {
      await poison.createIfNotExists();
      const { peekedMessageItems } = await poison.peekMessages({ numberOfMessages: 32 });
      parked = peekedMessageItems.map((m) => JSON.parse(Buffer.from(m.messageText, 'base64').toString('utf8')));
      if (parked.some((m) => JSON.stringify(m) === JSON.stringify(broken))) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(parked).toContainEqual(broken);
  });

  it('suggests the same person across events, explains why, and an accept merges the profiles', async () => {
    const w = await retailerWorld();
    const first = await report(w, [person('p1', 'Jonathan', 'Smythe', { dateOfBirth: '1990-04-01', phone: '+64211234567' })]);
    const second = await report(w, [person('p1', 'Jon', 'Smyth', { dateOfBirth: '1990-04-01' })], { occurredAt: '2026-11-21T10:00:00Z' });
    const [link] = await links(w.investigator);
    expect(link).toMatchObject({ status: 'pending', candidate: { retailerId: w.org } });
    expect([link.subject.profileId, link.candidate.profileId].sort()).toEqual([first.people[0]!.profileId, second.people[0]!.profileId].sort());
    expect(link.reasons.map((r: { signal: string }) => r.signal)).toEqual(expect.arrayContaining(['name', 'dob']));
    expect(link.score).toBeGreaterThan(0);

    const decided = await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept', note: 'Same man on CCTV' } });
    expect(decided.status).toBe(200);
    expect(decided.body.status).toBe('accepted');
    const survivor = await call('GET', `/api/v1/profiles/${link.candidate.profileId}`, { token: w.investigator });
    expect(survivor.body.eventIds.sort()).toEqual([first.id, second.id].sort());
    expect((await call('GET', `/api/v1/profiles/${link.subject.profileId}`, { token: w.investigator })).status).toBe(404);
    for (const id of [first.id, second.id]) {
      const e = await call('GET', `/api/v1/events/${id}`, { token: w.investigator });
      expect(e.body.people[0].profileId).toBe(link.candidate.profileId);
    }
    expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'reject' } })).body.code).toBe('ALREADY_DECIDED');
  });

  it('a rejected pair is never suggested again, even when matching runs again', async () => {
    const w = await retailerWorld();
    await report(w, [person('p1', 'Wiremu', 'Tanielu', { dateOfBirth: '1985-02-03' })]);
    const second = await report(w, [person('p1', 'Wiremu', 'Tanielu', { dateOfBirth: '1985-02-03' })]);
    const [link] = await links(w.investigator);
    await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'reject' } });
    const current = await call('GET', `/api/v1/events/${second.id}`, { token: w.investigator });
    const patched = await call('PATCH', `/api/v1/events/${second.id}`, { token: w.investigator, body: { prevented: true }, headers: { 'if-match': current.headers.get('etag')! } });
    expect(patched.status).toBe(200);
    // The correction asked for matching again; once the matcher is done with it, nothing may be pending.
    await matchingDone(w.org, [second.id]);
    expect(await links(w.investigator, 'pending', 1, 0)).toEqual([]);
    expect(await links(w.investigator, 'rejected')).toHaveLength(1);
  });

  it('a rejection outlives the purge of the report it was suggested from, while that profile lives on in another report', async () => {
    const w = await retailerWorld();
    const who = () => person('p1', 'Wiremu', 'Tanielu', { dateOfBirth: '1985-02-03' });
    // The subject's profile lives on in a third report; then the report the suggestion came from is deleted.
    const { link, second } = await rejectedThenPurged(w, who);
    // What is kept of the rejection is no suggestion: not listed, not decidable.
    expect(await links(w.investigator, 'rejected', 1, 0)).toEqual([]);
    expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(404);
    // A fourth report of the same profile is matched again: the pair is not suggested again.
    const fourth = await report(w, [{ ...who(), profileId: second.people[0]!.profileId }]);
    await matchingDone(w.org, [fourth.id]);
    expect(await links(w.investigator, 'pending', 1, 0)).toEqual([]);
    // What was kept goes with either profile: erasing the candidate leaves nothing of the pair.
    const kept = async () => (await docsOf('links', w.org)).filter((d) => d.id === link.id).map((d) => d.docType);
    expect(await kept()).toEqual(['link-rejection']);
    expect((await call('DELETE', `/api/v1/profiles/${link.candidate.profileId}`, { token: w.admin })).status).toBe(200);
    expect(await kept()).toEqual([]);
  });

  it('a rejection kept past a purge goes with its profile when a correction takes the last report of its profile', async () => {
    const w = await retailerWorld();
    const who = () => person('p1', 'Ruihana', 'Tapsellwood', { dateOfBirth: '1991-07-08' });
    const { link, third } = await rejectedThenPurged(w, who, 'different people');
    const kept = async () => (await docsOf('links', w.org)).filter((d) => d.id === link.id).map(({ _rid, _self, _etag, _attachments, _ts, shard: _shard, ...d }) => d);
    // Only the pair is kept: no reason, note, event or score.
    expect(await kept()).toEqual([{ id: link.id, orgId: w.org, docType: 'link-rejection', subject: { profileId: link.subject.profileId }, candidate: { profileId: link.candidate.profileId, retailerId: w.org } }]);
    const current = await call('GET', `/api/v1/events/${third.id}`, { token: w.investigator });
    const patched = await call('PATCH', `/api/v1/events/${third.id}`, { token: w.investigator, body: { people: [person('p2', 'Someone', 'Elsewhere')] }, headers: { 'if-match': current.headers.get('etag')! } });
    expect(patched.status).toBe(200);
    expect((await call('GET', `/api/v1/profiles/${link.subject.profileId}`, { token: w.investigator })).status).toBe(404);
    expect(await kept()).toEqual([]);
  });

  it('a rejection is not kept past a purge once one of its profiles is gone (a correction took it)', async () => {
    const w = await retailerWorld();
    const who = () => person('p1', 'Tamahou', 'Whitcombe', { dateOfBirth: '1988-11-12' });
    const first = await report(w, [who()]);
    await matchingDone(w.org, [first.id]);
    const second = await report(w, [who()]);
    const [link] = await links(w.investigator);
    expect(link.subject.eventId).toBe(second.id);
    await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'reject' } });
    // The report's person is corrected to someone else: the subject's profile goes, the decided suggestion stays with the report.
    const current = await call('GET', `/api/v1/events/${second.id}`, { token: w.investigator });
    expect((await call('PATCH', `/api/v1/events/${second.id}`, { token: w.investigator, body: { people: [person('p2', 'Someone', 'Elsewhere')] }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    expect((await call('GET', `/api/v1/profiles/${link.subject.profileId}`, { token: w.investigator })).status).toBe(404);
    expect((await docsOf('links', w.org)).filter((d) => d.id === link.id).map((d) => d.status)).toEqual(['rejected']);
    expect((await call('DELETE', `/api/v1/events/${second.id}`, { token: w.admin })).status).toBe(204);
    expect((await docsOf('links', w.org)).filter((d) => d.id === link.id)).toEqual([]);
  });

  it('across retailers, a rejection kept past a purge stops the pair coming back, and goes when the partner\'s profile goes', async () => {
    const { a, b } = await partnersMatchingAcross();
    const who = () => person('p1', 'Anahera', 'Quillfeather', { dateOfBirth: '1983-04-05' });
    const inA = await report(a, [who()]);
    await matchingDone(a.org, [inA.id]);
    const first = await report(b, [who()]);
    const [cross] = (await links(b.investigator)).filter((l) => l.candidate.retailerId === a.org);
    expect(cross.subject.eventId).toBe(first.id);
    expect((await call('POST', `/api/v1/links/${cross.id}/decision`, { token: b.investigator, body: { decision: 'reject' } })).status).toBe(200);
    const again = await report(b, [{ ...who(), profileId: first.people[0]!.profileId }]);
    await matchingDone(b.org, [again.id]);
    expect((await call('DELETE', `/api/v1/events/${first.id}`, { token: b.admin })).status).toBe(204);
    const kept = async () => (await docsOf('links', b.org)).filter((d) => d.id === cross.id).map((d) => d.docType);
    expect(await kept()).toEqual(['link-rejection']);
    // Reported again on both sides: neither matcher suggests the pair again.
    const later = [await report(b, [{ ...who(), profileId: first.people[0]!.profileId }]), await report(a, [{ ...who(), profileId: inA.people[0]!.profileId }])];
    await matchingDone(b.org, [later[0]!.id]);
    await matchingDone(a.org, [later[1]!.id]);
    expect((await links(b.investigator, 'pending', 1, 0)).filter((l) => l.candidate.retailerId === a.org)).toEqual([]);
    expect((await links(a.investigator, 'pending', 1, 0)).filter((l) => l.candidate.retailerId === b.org)).toEqual([]);
    // A's person is corrected out of both its reports: A's profile goes, and what B kept of the pair with it.
    for (const e of [inA, later[1]!]) {
      const current = await call('GET', `/api/v1/events/${e.id}`, { token: a.investigator });
      expect((await call('PATCH', `/api/v1/events/${e.id}`, { token: a.investigator, body: { people: [person('p2', 'Someone', 'Elsewhere')] }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    }
    expect((await call('GET', `/api/v1/profiles/${inA.people[0]!.profileId}`, { token: a.investigator })).status).toBe(404);
    expect(await kept()).toEqual([]);
  });

  it('a common name alone is not enough; sensitive events are never matched', async () => {
    const w = await retailerWorld();
    const made = [];
    for (let i = 0; i < 3; i += 1) made.push(await report(w, [person('p1', 'John', 'Smith', { heightCm: 160 + i * 10 })]));
    made.push(await report(w, [person('p1', 'Aroha', 'Ngata', { dateOfBirth: '1999-09-09' })], { sensitive: true }));
    made.push(await report(w, [person('p1', 'Aroha', 'Ngata', { dateOfBirth: '1999-09-09' })], { sensitive: true }));
    await matchingDone(w.org, made.map((e) => e.id));
    expect(await links(w.investigator, 'pending', 1, 0)).toEqual([]);
  });

  it('the same picture on two reports links their people where the retailer opted in to image matching (PRODUCT §4), and only there', async () => {
    for (const imageMatching of [true, false]) {
      const w = await retailerWorld();
      await call('PUT', '/api/v1/settings', { token: w.admin, body: { connectTheDots: { imageMatching } } });
      const photo = await files.jpeg(64, 48);
      // A scar alone is not enough to suggest them; the pictures, which come after the reports, are.
      const scarred = () => [{ ref: 'p1', role: 'offender', distinguishingFeatures: ['scar through left eyebrow'] }];
      const made = [await report(w, scarred()), await report(w, scarred())];
      await matchingDone(w.org, made.map((e) => e.id));
      expect(await links(w.investigator, 'pending', 1, 0)).toEqual([]);
      for (const e of made) await submit(w.reporter, e.id, photo, { contentType: 'image/jpeg' });
      const found = await links(w.investigator, 'pending', 1, imageMatching ? 15_000 : 3_000);
      expect({ imageMatching, signals: found.map((l) => l.reasons.map((r: { signal: string }) => r.signal)) }).toEqual({
        imageMatching,
        signals: imageMatching ? [expect.arrayContaining(['image', 'feature'])] : [],
      });
    }
  }, 60_000);

  it('a report made sensitive since takes back its pending suggestion (PRODUCT §4: never for sensitive events)', async () => {
    const w = await retailerWorld();
    const who = () => [person('p1', 'Aroha', 'Ngata-Pemberton', { dateOfBirth: '1999-09-09' })];
    await report(w, who());
    const later = await report(w, who());
    const [link] = await links(w.investigator);
    // Either report's matching may run second (the queue runs them side by side): the suggestion is between the two.
    expect([link.subject.eventId, ...link.candidate.eventIds]).toContain(later.id);
    const current = await call('GET', `/api/v1/events/${later.id}`, { token: w.investigator });
    expect((await call('PATCH', `/api/v1/events/${later.id}`, { token: w.investigator, body: { sensitive: true }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    await matchingDone(w.org, [later.id]);
    expect(await links(w.investigator, 'pending', 1, 0)).toEqual([]);
    expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(404);
  });

  it('a correction that removes or moves a person takes them out of the profile they leave: its facts, harm, tiers, lookup and suggestions (fifth audit)', async () => {
    const w = await retailerWorld();
    const wiremu = () => person('p1', 'Wiremu', 'Kingi-Horomona', { dateOfBirth: '1985-05-05', phone: '+64217770001' });
    const violent = { violence: { threatened: true, used: true, weapon: 'knife' } };
    const first = await report(w, [wiremu()], { ...violent, vehicles: [{ plate: 'WRK 777' }] });
    const profile = first.people[0]!.profileId;
    // Someone else is reported on the same profile, so it stays when Wiremu leaves.
    const other = await report(w, [person('p1', 'Someone', 'Else', { profileId: profile })]);
    // Wiremu reported again: a suggestion with the profile, made from his values in it.
    const twin = await report(w, [wiremu()]);
    await matchingDone(w.org, [first.id, other.id, twin.id]);
    const naming = (l: { subject: { profileId: string }; candidate: { profileId: string } }) => l.subject.profileId === profile || l.candidate.profileId === profile;
    expect((await links(w.investigator)).filter(naming)).toHaveLength(1);
    const before = (await call('GET', `/api/v1/profiles/${profile}`, { token: w.investigator })).body;
    expect(before.riskTiers.map((t: { name: string }) => t.name)).toContain('extreme-threat');
    const etag = (await call('GET', `/api/v1/events/${first.id}`, { token: w.investigator })).headers.get('etag')!;
    const patched = await call('PATCH', `/api/v1/events/${first.id}`, { token: w.investigator, body: { people: null, vehicles: null, violence: null }, headers: { 'if-match': etag } });
    expect(patched.status).toBe(200);
    await matchingDone(w.org, [first.id]);
    const after = (await call('GET', `/api/v1/profiles/${profile}`, { token: w.investigator })).body;
    expect(after.eventIds).toEqual([other.id]);
    expect(JSON.stringify(after)).not.toMatch(/Wiremu|1985-05-05|64217770001|WRK/);
    expect(after.riskTiers).toEqual([]);
    const lookup = await call('POST', '/api/v1/profiles/search', { token: w.reporter, body: { name: 'Wiremu Kingi-Horomona' } });
    expect(lookup.body.items.map((p: { id: string }) => p.id)).not.toContain(profile);
    // The suggestion made from his values in it is gone, and a new report of Wiremu is not suggested with it.
    const again = await report(w, [wiremu()]);
    await matchingDone(w.org, [again.id]);
    expect((await links(w.investigator, 'pending', 1, 0)).filter(naming)).toEqual([]);
    // A correction that stopped after its write, before its leaving (a crash): the sweep finishes it.
    const crashed = await report(w, [person('p1', 'Tipene', 'Waaka-Morehu', { dateOfBirth: '1991-03-03' })]);
    const stale = crashed.people[0]!.profileId;
    const keeps = await report(w, [person('p1', 'Kept', 'Person', { profileId: stale })]);
    await matchingDone(w.org, [crashed.id, keeps.id]);
    const found = (await readEvent(w.org, crashed.id))!;
    await noteLeaving(w.org, crashed.id, [stale], new Date());
    await replaceEvent({ ...found.event, people: [] }, found.etag, found.storeJurisdiction);
    expect(JSON.stringify((await call('GET', `/api/v1/profiles/${stale}`, { token: w.investigator })).body)).toMatch(/Tipene/);
    await resendOverdueMatching({ warn: () => undefined }, new Date(Date.now() + MATCH_OVERDUE_MS + 60_000), w.org);
    const finished = (await call('GET', `/api/v1/profiles/${stale}`, { token: w.investigator })).body;
    expect(finished.eventIds).toEqual([keeps.id]);
    expect(JSON.stringify(finished)).not.toMatch(/Tipene|1991-03-03/);
    // Moved rather than removed: the profile he is moved from loses him the same way.
    const moved = await report(w, [person('p1', 'Rawiri', 'Tamihana-Pou', { dateOfBirth: '1970-01-02' })]);
    const from = moved.people[0]!.profileId;
    const stays = await report(w, [person('p1', 'Another', 'Person', { profileId: from })]);
    await matchingDone(w.org, [moved.id, stays.id]);
    const current = await call('GET', `/api/v1/events/${moved.id}`, { token: w.investigator });
    const people = [{ ...current.body.people[0], profileId: again.people[0]!.profileId }];
    expect((await call('PATCH', `/api/v1/events/${moved.id}`, { token: w.investigator, body: { people }, headers: { 'if-match': current.headers.get('etag')! } })).status).toBe(200);
    await matchingDone(w.org, [moved.id]);
    const left = (await call('GET', `/api/v1/profiles/${from}`, { token: w.investigator })).body;
    expect(left.eventIds).toEqual([stays.id]);
    expect(JSON.stringify(left)).not.toMatch(/Rawiri|1970-01-02/);
  }, 60_000);

  it("a merge takes away the merged profile's other pending suggestions, and the survivor is suggested in their place", async () => {
    const w = await retailerWorld();
    const who = () => [person('p1', 'Hemi', 'Tawhiao-Grant', { dateOfBirth: '1980-05-05' })];
    const made = [await report(w, who()), await report(w, who()), await report(w, who())];
    const pending = await links(w.investigator, 'pending', 3);
    expect(pending).toHaveLength(3);
    const first = pending[0]!;
    expect((await call('POST', `/api/v1/links/${first.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
    await matchingDone(w.org, made.map((e) => e.id));
    const left = await links(w.investigator, 'pending', 1, 0);
    // Two profiles are left: one suggestion between them, naming only profiles that exist.
    expect(left).toHaveLength(1);
    for (const id of [left[0].subject.profileId, left[0].candidate.profileId]) expect((await call('GET', `/api/v1/profiles/${id}`, { token: w.investigator })).status).toBe(200);
  });

  it('across retailers only with both opted in and an active agreement', async () => {
    const a = await retailerWorld();
    const b = await retailerWorld();
    const inA = await report(a, [person('p1', 'Kowalczyk', 'Darren', { dateOfBirth: '1979-12-24' })]);
    const inB = await report(b, [person('p1', 'Darren', 'Kowalczyk', { dateOfBirth: '1979-12-24' })]);
    // A's person is also in a sensitive event of A's: never shown to B, not even its id.
    const sensitiveInA = await report(a, [{ ref: 'p1', role: 'offender', profileId: inA.people[0]!.profileId }], { sensitive: true });
    await matchingDone(a.org, [inA.id, sensitiveInA.id]);
    await matchingDone(b.org, [inB.id]);
    expect(await links(b.investigator, 'pending', 1, 0)).toEqual([]);
    expect(await links(a.investigator, 'pending', 1, 0)).toEqual([]);
    const proposed = await call('POST', '/api/v1/agreements', { token: a.admin, body: { partnerRetailerId: b.org } });
    await call('POST', `/api/v1/agreements/${proposed.body.id}/accept`, { token: b.admin });
    for (const w of [a, b]) await call('PUT', '/api/v1/settings', { token: w.admin, body: { connectTheDots: { crossRetailer: true } } });
    await report(b, [person('p1', 'Darren', 'Kowalczyk', { dateOfBirth: '1979-12-24' })], { occurredAt: '2026-11-21T09:00:00Z' });
    const found = await links(b.investigator, 'pending', 2);
    const cross = found.find((l) => l.candidate.retailerId === a.org);
    expect(cross).toBeDefined();
    expect(cross.candidate.eventIds).toEqual([inA.id]);
    const accepted = await call('POST', `/api/v1/links/${cross.id}/decision`, { token: b.investigator, body: { decision: 'accept' } });
    expect(accepted.body.status).toBe('accepted');
    // Nothing merges across tenants: A's profile is untouched and still A's.
    const theirs = await call('GET', `/api/v1/profiles/${cross.candidate.profileId}`, { token: a.investigator });
    expect(theirs.body.retailerId).toBe(a.org);
    // B's investigators read A's person in the suggestion and decided on it: both are in A's chain (PRODUCT §8).
    const inChainOfA: { action: string; org: string | null; relation?: unknown }[] = [];
    for await (const e of readChain(a.org)) inChainOfA.push({ action: e.action, org: e.actor.org, relation: e.details?.relation });
    expect(inChainOfA).toEqual(expect.arrayContaining([{ action: 'link.list', org: b.org, relation: 'partner' }, { action: 'link.accept', org: b.org, relation: 'partner' }]));
    // Another pair across the two, reported on both sides at once, still pending when the agreement is revoked. Both
    // matchers may meet it: it is suggested on one side only (the one that claimed it), no longer listed once revoked,
    // and it can be rejected, not accepted.
    const mereana = [await report(a, [person('p1', 'Mereana', 'Tipoki-Vance', { dateOfBirth: '1988-03-07' })]), await report(b, [person('p1', 'Mereana', 'Tipoki-Vance', { dateOfBirth: '1988-03-07' })], { occurredAt: '2026-11-22T09:00:00Z' })];
    await matchingDone(a.org, [mereana[0]!.id]);
    await matchingDone(b.org, [mereana[1]!.id]);
    const crossOf = async (w: World, other: World) => (await links(w.investigator, 'pending', 0, 0)).filter((l) => l.candidate.retailerId === other.org);
    const held = [...(await crossOf(a, b)).map((l) => ({ l, by: a })), ...(await crossOf(b, a)).map((l) => ({ l, by: b }))];
    expect(held).toHaveLength(1);
    const { l: pending, by: holder } = held[0]!;
    expect((await call('DELETE', `/api/v1/agreements/${proposed.body.id}`, { token: a.admin })).status).toBe(200);
    expect([...(await crossOf(a, b)), ...(await crossOf(b, a))]).toEqual([]);
    expect((await links(b.investigator, 'accepted', 0, 0)).filter((l) => l.candidate.retailerId === a.org)).toEqual([]);
    const refused = await call('POST', `/api/v1/links/${pending.id}/decision`, { token: holder.investigator, body: { decision: 'accept' } });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'AGREEMENT_NOT_ACTIVE' });
    expect((await call('POST', `/api/v1/links/${pending.id}/decision`, { token: holder.investigator, body: { decision: 'reject' } })).body.status).toBe('rejected');
  });

  it("across retailers, one side's opt-out hides the pair's suggestion at once and it cannot be accepted", async () => {
    const { a, b } = await partnersMatchingAcross();
    const inA = await report(a, [person('p1', 'Hemi', 'Te Awa-Lindqvist', { dateOfBirth: '1991-04-30' })]);
    await matchingDone(a.org, [inA.id]);
    await report(b, [person('p1', 'Hemi', 'Te Awa-Lindqvist', { dateOfBirth: '1991-04-30' })], { occurredAt: '2026-11-23T09:00:00Z' });
    const pending = (await links(b.investigator, 'pending', 1)).find((l) => l.candidate.retailerId === a.org);
    expect(pending).toBeDefined();
    expect((await call('PUT', '/api/v1/settings', { token: a.admin, body: { connectTheDots: { crossRetailer: false } } })).status).toBe(200);
    expect((await links(b.investigator, 'pending', 0, 0)).filter((l) => l.candidate.retailerId === a.org)).toEqual([]);
    const refused = await call('POST', `/api/v1/links/${pending.id}/decision`, { token: b.investigator, body: { decision: 'accept' } });
    expect({ status: refused.status, code: refused.body.code }).toEqual({ status: 409, code: 'AGREEMENT_NOT_ACTIVE' });
  });

  it('person lookup, harm ranking and groups', async () => {
    const w = await retailerWorld();
    const violent = await report(w, [person('p1', 'Tama', 'Rewiti', { phone: '+64271112222' }), person('p2', 'Mere', 'Hohepa')], {
      type: 'robbery',
      violence: { threatened: true, used: true, weapon: 'knife' },
    });
    const gum = await report(w, [person('p1', 'Sam', 'Lee')], { violence: undefined, products: [{ name: 'Gum', quantity: 1, unitValue: 2 }] });
    await matchingDone(w.org, [violent.id, gum.id]);
    const search = await call('POST', '/api/v1/profiles/search', { token: w.reporter, body: { name: 'Tama Rewiti' } });
    expect(search.status).toBe(200);
    expect(search.body.items[0].profileId).toBe(violent.people[0]!.profileId);
    const byPhone = await call('POST', '/api/v1/profiles/search', { token: w.reporter, body: { phone: '+64271112222' } });
    expect(byPhone.body.items[0].profileId).toBe(violent.people[0]!.profileId);
    expect((await call('POST', '/api/v1/profiles/search', { token: w.reporter, body: {} })).status).toBe(400);
    // The old form put the name in the URL (PRODUCT §10c): retired, and it says where to go.
    const old = await call('GET', '/api/v1/profiles/search?name=Tama%20Rewiti', { token: w.reporter });
    expect([old.status, old.body.code]).toEqual([410, 'MOVED']);
    expect(old.body.detail).toContain('POST /api/v1/profiles/search');
    const ranked = await call('GET', '/api/v1/profiles?sort=harm&pageSize=10', { token: w.investigator });
    // Both people of the robbery share its harm and rank above the gum thief.
    expect(ranked.body.items.slice(0, 2).map((p: { id: string }) => p.id).sort()).toEqual(violent.people.map((p) => p.profileId).sort());
    expect(ranked.body.items[0].harm).toBeGreaterThan(ranked.body.items[2].harm);
    expect(ranked.body.items[0].harmReasons.length).toBeGreaterThan(0);
    // Paged, one style everywhere (pageSize + continuationToken): every profile once, in the same order.
    const paged: string[] = [];
    let token: string | null = null;
    do {
      const page: { body: { items: { id: string }[]; continuationToken: string | null } } = await call('GET', `/api/v1/profiles?pageSize=1${token ? `&continuationToken=${token}` : ''}`, { token: w.investigator });
      expect(page.body.items.length).toBeLessThanOrEqual(1);
      paged.push(...page.body.items.map((p) => p.id));
      token = page.body.continuationToken;
    } while (token);
    expect(paged).toEqual(ranked.body.items.map((p: { id: string }) => p.id));
    expect((await call('GET', '/api/v1/profiles?continuationToken=not-ours', { token: w.investigator })).status).toBe(400);
    const groups = await call('GET', '/api/v1/groups', { token: w.investigator });
    expect(groups.body.items[0].members.sort()).toEqual(violent.people.map((p) => p.profileId).sort());
    expect((await call('GET', '/api/v1/profiles?sort=harm', { token: w.reporter })).status).toBe(403);
    const other = await createOrg('retailer');
    expect((await call('GET', `/api/v1/profiles/${violent.people[0]!.profileId}`, { token: await tokenFor({ org: other, roles: ['Investigator'] }) })).status).toBe(404);
  });
});
