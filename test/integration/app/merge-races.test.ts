import { randomUUID } from 'node:crypto';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { insertEvent, newEventId, readEvent } from '../../../shared/events/event-repository';
import { joinProfiles } from '../../../shared/events/event-steps';
import { joinProfile, readProfile, type ProfileDoc } from '../../../shared/events/profile-repository';
import { matchEvent } from '../../../shared/matching/match-event';
import { call } from '../support/api';
import { keyIndexProblems } from '../support/key-index';
import { matchingSettled } from '../support/matching';
import { pendingLink } from '../support/people';
import { docsOf } from '../support/retention';
import { eventBody, retailerWorld } from '../support/world';

/**
 * A merge racing reports that name the profile it folds away, through the running stack, with
 * nothing simulated. A report is checked against the profile it names, lists itself on that profile,
 * then is written: a merge between those steps must leave no report naming a profile that is gone,
 * and must not bring the folded profile back as a new one. Each report is answered 201 (it ends
 * with the survivor) or 400 UNKNOWN_PROFILE (it came after the merge: the reporter looks the person
 * up again).
 */
jest.setTimeout(240_000);

type World = Awaited<ReturnType<typeof retailerWorld>>;
type Made = { id: string; people: { profileId: string }[] };

const who = (tag: string, given: string, profileId?: string) => ({
  ref: 'p1',
  role: 'offender',
  name: { given, family: `Mergerace${tag}` },
  dateOfBirth: '1979-03-21',
  phone: '+64215550419',
  ...(profileId ? { profileId } : {}),
});

async function reportOf(w: World, person: Record<string, unknown>, occurredAt: string) {
  const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ people: [person], vehicles: [], occurredAt }) });
  return { status: res.status, body: res.body as Made & { code?: string } };
}

describe('a merge racing reports of the profile it folds away', () => {
  it('no report is left naming a profile that is gone, and the folded profile does not come back', async () => {
    const problems: string[] = [];
    for (let round = 0; round < 3; round += 1) {
      const w = await retailerWorld();
      const tag = randomUUID().slice(0, 6);
      await reportOf(w, who(tag, 'Wiremu'), '2026-10-01T10:00:00Z');
      await reportOf(w, who(tag, 'Wiremu'), '2026-10-03T10:00:00Z');
      const link = await pendingLink(w.investigator, 30_000);
      const from = link.subject.profileId as string;
      // The accept (the merge runs in its request) and reports naming the folded profile, a few ms apart.
      const accept = call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } });
      const reports = Array.from({ length: 16 }, async (_, i) => {
        await new Promise((r) => setTimeout(r, i * 40));
        return reportOf(w, who(tag, 'Wiremu', from), `2026-10-${String(10 + i).padStart(2, '0')}T10:00:00Z`);
      });
      // The merge answers 503 while reports keep joining the folded profile: the client asks again, as told.
      let accepted = await accept;
      for (let i = 0; i < 10 && accepted.status === 503; i += 1) accepted = await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } });
      expect(accepted.status).toBe(200);
      const answered = await Promise.all(reports);
      for (const a of answered) if (!(a.status === 201 || (a.status === 400 && a.body.code === 'UNKNOWN_PROFILE'))) problems.push(`round ${round}: a report answered ${a.status} ${JSON.stringify(a.body)}`);
      // A writer may leave its key note to the sweep under contention (how many: index-races.test.ts bounds that).
      const { left } = await matchingSettled(w.org);
      if (left.length) problems.push(`round ${round}: matching work left: ${left.join(', ')}`);
      for (const p of (await keyIndexProblems(w.org)).problems) problems.push(`round ${round}: ${p}`);
      const profiles = new Map((await docsOf<ProfileDoc>('profiles', w.org)).filter((p) => p.docType === 'profile').map((p) => [p.id, p]));
      if (profiles.has(from)) problems.push(`round ${round}: the folded profile ${from} exists again, with [${profiles.get(from)!.eventIds}]`);
      for (const e of await docsOf<{ id: string; docType: string; people: { profileId: string }[] }>('events', w.org)) {
        if (e.docType !== 'event') continue;
        for (const p of e.people) {
          const named = profiles.get(p.profileId);
          if (!named) problems.push(`round ${round}: event ${e.id} names ${p.profileId}, which is gone`);
          else if (!named.eventIds.includes(e.id)) problems.push(`round ${round}: event ${e.id} names ${p.profileId}, which does not list it`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('step by step: a report listed on the folded profile, the merge, then the report written and matched: its person follows the merge to the survivor', async () => {
    const w = await retailerWorld();
    const tag = randomUUID().slice(0, 6);
    await reportOf(w, who(tag, 'Wiremu'), '2026-10-01T10:00:00Z');
    await reportOf(w, who(tag, 'Wiremu'), '2026-10-03T10:00:00Z');
    const link = await pendingLink(w.investigator, 30_000);
    const [from, into] = [link.subject.profileId as string, link.candidate.profileId as string];
    const now = new Date();
    const input = EventInputSchema.parse(eventBody({ people: [who(tag, 'Wiremu', from)], vehicles: [], occurredAt: '2026-10-20T10:00:00Z' }));
    const event = buildEvent(newEventId(), w.org, input, 'reporter-1', now);
    // The intake's first step: the report listed on the profile it names.
    expect(await joinProfile(w.org, from, event.id, now, undefined)).toBe(true);
    // The merge finds it listed and not yet written: nobody in it to move.
    expect((await call('POST', `/api/v1/links/${link.id}/decision`, { token: w.investigator, body: { decision: 'accept' } })).status).toBe(200);
    expect(await readProfile(w.org, from)).toBeUndefined();
    // Then the report is written, naming the folded profile, and matched as its request asks.
    await insertEvent(event, 'NZ-AUK');
    await matchEvent(w.org, event.id);
    expect((await readEvent(w.org, event.id))!.event.people.map((p) => p.profileId)).toEqual([into]);
    const survivor = await readProfile(w.org, into);
    expect([survivor?.eventIds.includes(event.id), survivor?.match?.indexedEvents.includes(event.id)]).toEqual([true, true]);
    // Too late to list it on the folded profile: refused, and the profile is not made again.
    expect(await joinProfile(w.org, from, newEventId(), now, undefined)).toBe(false);
    expect(await readProfile(w.org, from)).toBeUndefined();
    // The one-at-a-time path too, and no new person's profile is made for the report refused.
    const stranger = { ref: 'p2', role: 'offender', name: { given: 'Hemi', family: `Other${tag}` } };
    const later = buildEvent(newEventId(), w.org, EventInputSchema.parse(eventBody({ people: [who(tag, 'Wiremu', from), stranger], vehicles: [], occurredAt: '2026-10-21T10:00:00Z' })), 'reporter-1', now);
    await expect(joinProfiles(later, now)).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE', errors: [{ path: 'people.0.profileId' }] });
    expect(await readProfile(w.org, later.people[1]!.profileId)).toBeUndefined();
    // A correction of a report that already named it: not refused, and nothing made again.
    await joinProfiles(later, now, later);
    expect([await readProfile(w.org, from), await readProfile(w.org, later.people[1]!.profileId)]).toEqual([undefined, undefined]);
    // The merge's record counts the report as the folded profile's: a split gives it back to it.
    expect((await call('POST', `/api/v1/profiles/${into}/split`, { token: w.investigator, body: { linkId: link.id, reason: 'Two people after all' } })).status).toBe(200);
    expect((await readEvent(w.org, event.id))!.event.people.map((p) => p.profileId)).toEqual([from]);
    expect((await readProfile(w.org, from))?.eventIds).toContain(event.id);
  });
});
