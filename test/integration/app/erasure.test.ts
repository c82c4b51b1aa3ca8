import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import { container, itemOf } from '../../../shared/adapters/cosmos-containers';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { finishStoppedChanges } from '../../../shared/audit/stopped-changes';
import { canonicalPlate, plateIndexId } from '../../../shared/domain/lpr/plate-index';
import { readPlateIndexes } from '../../../shared/lpr/plate-index-repository';
import { ERASURE_STEPS, type ErasureStep } from '../../../shared/domain/privacy/erasure';
import type { Principal } from '../../../shared/domain/principal';
import { readProfile } from '../../../shared/events/profile-repository';
import { readKey } from '../../../shared/matching/matchkey-repository';
import { matchEvent } from '../../../shared/matching/match-event';
import { reindexProfile } from '../../../shared/matching/reindex-profile';
import { eraseProfile } from '../../../shared/privacy/erasure-use-cases';
import { call, tokenFor } from '../support/api';
import { indexed, person, report } from '../support/people';
import { eventBody, retailerWorld } from '../support/world';

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();

/** Each test's person has a phone of their own, so what one test leaves does not answer another's look-ups. */
const newPhone = () => `+6421${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

/** Suggestions of the retailer involving a profile, waiting up to timeoutMs for at least `atLeast`. */
async function linksOf(token: string, profileId: string, atLeast = 0, timeoutMs = 15_000): Promise<any[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = [];
    for (const status of ['pending', 'accepted', 'rejected']) all.push(...(await call('GET', `/api/v1/links?status=${status}&pageSize=100`, { token })).body.items);
    const found = all.filter((l) => l.subject.profileId === profileId || l.candidate.profileId === profileId);
    if (found.length >= atLeast || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A person in two events (one with an accomplice and a car), a suggestion to a second profile of theirs, all indexed. */
async function personInTwoEvents() {
  // A retailer of its own: matching weighs a value by how many of the retailer's people share it,
  // so lookalikes piling up in one retailer would stop being suggested.
  const w = await retailerWorld();
  const phone = newPhone();
  const first = await report(w.investigator, [person('p1', 'Jonathan', 'Smythe', { dateOfBirth: '1990-04-01', phone }), person('p2', 'Mere', 'Hohepa')], {
    vehicles: [{ plate: 'abc 123', make: 'Toyota' }],
  });
  const profileId = first.people[0]!.profileId;
  const second = await report(w.investigator, [{ ...person('p1', 'Jon', 'Smythe'), profileId }], { occurredAt: hoursAgo(48) });
  const keys = await indexed(w.org, profileId, second.id);
  const lookalike = await report(w.investigator, [person('p1', 'Jonathan', 'Smythe', { dateOfBirth: '1990-04-01' })], { occurredAt: hoursAgo(24) });
  const lookalikeId = lookalike.people[0]!.profileId;
  // Wait for its suggestion, so its matching is done before a test erases anything.
  if ((await linksOf(w.investigator, lookalikeId, 1)).length === 0) throw new Error('the lookalike was never suggested');
  return { w, phone, first, second, profileId, keys, lookalike: lookalikeId, accomplice: first.people[1]!.profileId };
}

async function erase(token: string, id: string) {
  return call('DELETE', `/api/v1/profiles/${id}`, { token });
}

/** Nothing of the person is left anywhere an API or the matcher reads. */
async function expectErased(s: Awaited<ReturnType<typeof personInTwoEvents>>) {
  const { w } = s;
  const first = await call('GET', `/api/v1/events/${s.first.id}`, { token: w.investigator });
  expect(first.status).toBe(200);
  expect(first.body.people.map((p: { profileId: string }) => p.profileId)).toEqual([s.accomplice]);
  expect(first.body.vehicles).toEqual([expect.objectContaining({ plate: 'abc 123', normalisedPlate: 'ABC123', make: 'Toyota' })]);
  expect(first.text).not.toContain('Smythe');
  const second = await call('GET', `/api/v1/events/${s.second.id}`, { token: w.investigator });
  expect(second.status).toBe(200);
  expect(second.body.people).toEqual([]);
  expect((await call('GET', `/api/v1/profiles/${s.profileId}`, { token: w.investigator })).status).toBe(404);
  expect((await call('GET', `/api/v1/events?profileId=${s.profileId}`, { token: w.investigator })).body.items).toEqual([]);
  const search = await call('POST', '/api/v1/profiles/search', { token: w.reporter, body: { phone: s.phone } });
  expect(search.body.items).toEqual([]);
  const sar = await call('POST', '/api/v1/subject-access', { token: await tokenFor({ org: w.org, roles: ['Compliance'], mfa: true }), body: { phone: s.phone } });
  expect(sar.body.profiles).toEqual([]);
  expect(await linksOf(w.investigator, s.profileId, 0, 0)).toEqual([]);
  for (const key of s.keys) expect((await readKey(w.org, key))?.members ?? []).not.toContain(s.profileId);
  expect(await itemOf('profiles', w.org, s.profileId).read().then((r) => r.resource)).toBeUndefined();
  // The LPR plate index keeps the event's vehicle, no longer tied to the person.
  const plate = [...(await readPlateIndexes(w.org, [plateIndexId(canonicalPlate('ABC123'))])).values()];
  expect(plate.flatMap((d) => d.entries.map((e) => e.eventId))).toContain(s.first.id);
  expect(JSON.stringify(plate)).not.toContain(s.profileId);
}

describe('DELETE /api/v1/profiles/{id}', () => {
  it('erases the person from every event; the events, their vehicles and other people remain', async () => {
    const s = await personInTwoEvents();
    const { w } = s;
    expect((await linksOf(w.investigator, s.profileId, 1)).length).toBeGreaterThan(0);
    const res = await erase(w.admin, s.profileId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ profileId: s.profileId, eventsUpdated: 2, keysRemoved: s.keys.length, linksRemoved: expect.any(Number), erasedAt: expect.any(String) });
    expect(res.body.linksRemoved).toBeGreaterThan(0);
    await expectErased(s);
    // The accomplice and the lookalike's own profile are untouched.
    expect((await call('GET', `/api/v1/profiles/${s.accomplice}`, { token: w.investigator })).status).toBe(200);
    expect((await call('GET', `/api/v1/profiles/${s.lookalike}`, { token: w.investigator })).status).toBe(200);

    // A new event with the same person's details suggests nothing pointing at the erased profile.
    const again = await report(w.investigator, [person('p1', 'Jonathan', 'Smythe', { dateOfBirth: '1990-04-01', phone: s.phone })], { occurredAt: hoursAgo(1) });
    await indexed(w.org, again.people[0]!.profileId, again.id);
    const fresh = await linksOf(w.investigator, again.people[0]!.profileId, 1);
    expect(fresh.length).toBeGreaterThan(0); // matching works (it finds the lookalike) …
    expect(JSON.stringify(fresh)).not.toContain(s.profileId); // … but never the erased profile
    // A late match message for an old event re-creates nothing.
    await matchEvent(w.org, s.first.id);
    expect(await reindexProfile(w.org, s.profileId, DEFAULT_SETTINGS)).toBeUndefined();
    for (const key of s.keys) expect((await readKey(w.org, key))?.members ?? []).not.toContain(s.profileId);

    // A second DELETE: the person is gone.
    expect((await erase(w.admin, s.profileId)).status).toBe(404);
  });

  it('is audited with counts and ids only', async () => {
    const s = await personInTwoEvents();
    const { w } = s;
    const res = await call('DELETE', `/api/v1/profiles/${s.profileId}`, { token: w.admin, headers: { 'x-request-id': 'erase-audit-1' } });
    expect(res.status).toBe(200);
    const entries = [];
    for await (const e of readChain(w.org)) if (e.requestId === 'erase-audit-1') entries.push(e);
    expect(entries).toEqual([
      expect.objectContaining({
        action: 'profile.erase',
        outcome: 'success',
        target: { type: 'profile', id: s.profileId },
        actor: expect.objectContaining({ sub: 'admin-1', org: w.org }),
        details: expect.objectContaining({ eventsUpdated: 2, keysRemoved: s.keys.length, eventIds: expect.arrayContaining([s.first.id, s.second.id]) }),
      }),
    ]);
    for (const value of ['Smythe', 'Jon', s.phone.slice(1), '1990']) expect(JSON.stringify(entries)).not.toContain(value);
  });

  it('refuses while an event of the person is under legal hold, changing nothing; erases once lifted', async () => {
    const s = await personInTwoEvents();
    const { w } = s;
    expect((await call('PUT', `/api/v1/events/${s.second.id}/legal-hold`, { token: w.admin, body: { reason: 'Court case 42' } })).status).toBe(200);
    const refused = await erase(w.admin, s.profileId);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('LEGAL_HOLD');
    expect((await call('GET', `/api/v1/profiles/${s.profileId}`, { token: w.investigator })).status).toBe(200);
    const first = await call('GET', `/api/v1/events/${s.first.id}`, { token: w.investigator });
    expect(first.body.people.map((p: { profileId: string }) => p.profileId)).toContain(s.profileId);
    expect((await call('DELETE', `/api/v1/events/${s.second.id}/legal-hold`, { token: w.admin })).status).toBe(200);
    expect((await erase(w.admin, s.profileId)).status).toBe(200);
    await expectErased(s);
  });

  it('another retailer’s profile, or none, is a 404; MFA and the RetailerAdmin role are required', async () => {
    const s = await personInTwoEvents();
    const { w } = s;
    const other = await retailerWorld();
    expect((await erase(other.admin, s.profileId)).status).toBe(404);
    expect((await erase(w.admin, '00000000-0000-0000-0000-000000000000')).status).toBe(404);
    // An id that could never have been issued names nothing (PRODUCT §1).
    expect((await erase(w.admin, 'not valid!')).status).toBe(404);
    const noMfa = await erase(await tokenFor({ org: w.org, roles: ['RetailerAdmin'] }), s.profileId);
    expect(noMfa.status).toBe(403);
    expect(noMfa.body.code).toBe('MFA_REQUIRED');
    for (const role of ['Investigator', 'Compliance', 'Reporter'] as const) {
      const res = await erase(await tokenFor({ org: w.org, roles: [role], mfa: true }), s.profileId);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('FORBIDDEN');
    }
    // Refused on another retailer's profile: 404, never 403.
    expect((await erase(await tokenFor({ org: other.org, roles: ['Investigator'], mfa: true }), s.profileId)).status).toBe(404);
    expect((await call('GET', `/api/v1/profiles/${s.profileId}`, { token: w.investigator })).status).toBe(200);
  });

  it('a retried create (same Idempotency-Key) within 24 h no longer hands the person back', async () => {
    const w = await retailerWorld();
    const body = eventBody({ people: [person('p1', 'Rawiri', 'Paki', { phone: newPhone() })], vehicles: [] });
    const headers = { 'idempotency-key': 'erase-retry-1' };
    const created = await call('POST', '/api/v1/events', { token: w.investigator, body, headers });
    expect(created.status).toBe(201);
    expect((await erase(w.admin, created.body.people[0].profileId)).status).toBe(200);
    const retried = await call('POST', '/api/v1/events', { token: w.investigator, body, headers });
    expect(retried.status).toBe(201);
    expect(retried.body.id).toBe(created.body.id);
    expect(retried.body.people).toEqual([]);
    expect(retried.text).not.toContain('Paki');
  });

  describe('crash-safety: a run that stops after any step is finished by DELETE again (its entry, after the last, by the sweep)', () => {
    const admin: Principal = { sub: 'admin-1', orgId: null, roles: ['RetailerAdmin'], stores: null, mfa: true };
    it.each(ERASURE_STEPS.map((s) => [s]))('stopped after "%s"', async (step: ErasureStep) => {
      const s = await personInTwoEvents();
    const { w } = s;
      const caller = { principal: { ...admin, orgId: w.org }, requestId: `crash-${step}` };
      await expect(eraseProfile(caller, s.profileId, { failAfter: step })).rejects.toThrow(/fault injected/);
      // From the first step on, the profile is gone for every reader.
      expect((await call('GET', `/api/v1/profiles/${s.profileId}`, { token: w.investigator })).status).toBe(404);
      expect(await readProfile(w.org, s.profileId)).toBeUndefined();
      if (step === 'marked') {
        // A match message arriving now (the person still in the event) must not bring the keys back.
        await matchEvent(w.org, s.first.id);
        const attach = await call('POST', '/api/v1/events', {
          token: w.investigator,
          body: { storeId: 'akl-042', occurredAt: hoursAgo(1), type: 'shoplifting', prevented: true, people: [{ ref: 'p1', role: 'offender', profileId: s.profileId }] },
        });
        expect(attach.status).toBe(400);
        expect(attach.body.code).toBe('UNKNOWN_PROFILE');
      }
      // Whatever step it reached stays done: the person has left the events from "events" on.
      const second = await call('GET', `/api/v1/events/${s.second.id}`, { token: w.investigator });
      expect(second.body.people.length).toBe(step === 'marked' ? 1 : 0);
      const finished = await erase(w.admin, s.profileId);
      expect(finished.status).toBe(step === 'deleted' ? 404 : 200);
      await expectErased(s);
      // Stopped after its last change, before its entry: the audit outbox sweep appends it once overdue.
      if (step === 'deleted') await drainAuditOutbox(new Date(Date.now() + OUTBOX_OVERDUE_MS + 60_000), w.org, finishStoppedChanges);
      // The erasure is in the chain once, as the run that started it: its entry rode with the mark.
      const { resources } = await container('audit')
        .items.query({ query: "SELECT c.requestId FROM c WHERE c.orgId = @o AND c.action = 'profile.erase' AND c.outcome = 'success' AND c.target.id = @id", parameters: [{ name: '@o', value: w.org }, { name: '@id', value: s.profileId }] })
        .fetchAll();
      expect(resources).toEqual([{ requestId: `crash-${step}` }]);
    });
  });
});
