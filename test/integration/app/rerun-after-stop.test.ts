import { eventPurge, purgeEvent, purgeRecords } from '../../../shared/events/purge-event';
import { readProfile } from '../../../shared/events/profile-repository';
import { readEvent, replaceEvent } from '../../../shared/events/event-repository';
import { profileIndexing, reindexRecords } from '../../../shared/matching/reindex-profile';
import { readKey } from '../../../shared/matching/matchkey-repository';
import { resendOverdueMatching, MATCH_OVERDUE_MS } from '../../../shared/matching/match-pending-sweep';
import { queryAll } from '../../../shared/adapters/cosmos-containers';
import { mergeProfiles, mergeRecords, profileMerges } from '../../../shared/matching/merge-profiles';
import { getSettings } from '../../../shared/orgs/org-repository';
import { retailerWorld } from '../support/world';
import { matched, report } from '../support/retention';

/**
 * A purge stopped after a person left a profile and before that profile was indexed again, then
 * run again, against the emulator: the second run finds the person already gone, and must still
 * take the purged event's facts out of what the matcher holds of the profile. A merge stopped
 * after the folded profile went, run again: the survivor must still be indexed with what it took.
 * (The unit tests in test/unit/events/purge-event.test.ts and test/unit/matching/merge-split.test.ts
 * stop them at every kind of step.)
 */
describe('a purge run again after it stopped before the re-index', () => {
  it("leaves nothing of the purged event in the facts of a profile that keeps other events", async () => {
    const w = await retailerWorld();
    const person = { ref: 'p1', role: 'offender', name: { given: 'Tamati', family: 'Purgeworth' } };
    const first = await report(w.investigator, { people: [{ ...person, dateOfBirth: '1983-05-17' }], occurredAt: '2026-11-01T10:00:00Z' });
    const profileId = first.people[0]!.profileId;
    await report(w.investigator, { people: [{ ...person, profileId, dateOfBirth: '1990-01-01' }], occurredAt: '2026-11-05T10:00:00Z' });
    await matched(w.org, [profileId]);
    expect((await readProfile(w.org, profileId))!.match!.facts.dobs.sort()).toEqual(['1983-05-17', '1990-01-01']);

    const stopped = eventPurge({ ...purgeRecords, reindexProfile: () => Promise.reject(new Error('stopped before the re-index')) });
    await expect(stopped(w.org, first.id)).rejects.toThrow('stopped before the re-index');
    const between = (await readProfile(w.org, profileId))!;
    expect(between.eventIds).not.toContain(first.id);
    expect(between.match!.facts.dobs).toContain('1983-05-17');

    expect(await purgeEvent(w.org, first.id)).toMatchObject({ purged: true });
    const after = (await readProfile(w.org, profileId))!;
    expect(after.match!.indexedEvents).not.toContain(first.id);
    expect(after.match!.facts.dobs).toEqual(['1990-01-01']);
  }, 60_000);
});

describe('a merge run again after the folded profile went', () => {
  it('indexes the survivor with the events it took', async () => {
    const w = await retailerWorld();
    const a = await report(w.investigator, { people: [{ ref: 'p1', role: 'offender', name: { given: 'Aroha', family: 'Mergewell' }, dateOfBirth: '1980-02-02' }] });
    const b = await report(w.investigator, { people: [{ ref: 'p1', role: 'offender', name: { given: 'Aroha', family: 'Mergewell' }, dateOfBirth: '1980-02-03' }], occurredAt: '2026-11-21T10:00:00Z' });
    const [into, from] = [a.people[0]!.profileId, b.people[0]!.profileId];
    await matched(w.org, [into, from]);
    const { settings } = await getSettings(w.org);
    const merge = { linkId: 'merge-rerun-link', by: 'inv-1' };
    const stopped = profileMerges({ ...mergeRecords, reindexProfile: () => Promise.reject(new Error('stopped before the re-index')) });
    await expect(stopped(w.org, from, into, settings, new Date(), merge)).rejects.toThrow('stopped before the re-index');
    expect(await readProfile(w.org, from)).toBeUndefined();
    expect((await readProfile(w.org, into))!.match!.facts.dobs).toEqual(['1980-02-02']);

    await mergeProfiles(w.org, from, into, settings, new Date(), merge);
    const survivor = (await readProfile(w.org, into))!;
    expect(survivor.match!.indexedEvents.sort()).toEqual([a.id, b.id].sort());
    expect(survivor.match!.facts.dobs.sort()).toEqual(['1980-02-02', '1980-02-03']);
  }, 60_000);
});

const keyNotes = (orgId: string) => queryAll<{ profileId: string }>('profiles', orgId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'key-note'", { orgId });

describe('a re-index that stopped between the profile and its keys', () => {
  it('leaves a note that the matching sweep settles once overdue, so the person is found through the new keys', async () => {
    const w = await retailerWorld();
    const person = { ref: 'p1', role: 'offender', name: { given: 'Rawiri', family: `Keyless${Date.now() % 100000}` }, dateOfBirth: '1979-03-09' };
    const made = await report(w.investigator, { people: [person], vehicles: [] });
    const profileId = made.people[0]!.profileId;
    await matched(w.org, [profileId]);
    // The event gains a phone in place (no matching request, so the host's matcher stays out of it).
    const stored = (await readEvent(w.org, made.id))!;
    const people = stored.event.people.map((p) => ({ ...p, phone: '+64215550123' }));
    await replaceEvent({ ...stored.event, people }, stored.etag, stored.storeJurisdiction);
    const { settings } = await getSettings(w.org);
    const stopped = profileIndexing({ ...reindexRecords, changeKey: () => Promise.reject(new Error('stopped before the keys')) });
    await expect(stopped.reindexProfile(w.org, profileId, settings)).rejects.toThrow('stopped before the keys');
    const written = (await readProfile(w.org, profileId))!;
    const phoneKeys = written.match!.keys.filter((k) => k.includes('215550123'));
    expect(phoneKeys.length).toBeGreaterThan(0);
    for (const key of phoneKeys) expect((await readKey(w.org, key))?.members ?? []).not.toContain(profileId);
    expect(await keyNotes(w.org)).toEqual([expect.objectContaining({ profileId })]);

    // Not overdue yet: its writer may still be at it.
    await resendOverdueMatching({ warn: () => {} }, new Date(), w.org);
    for (const key of phoneKeys) expect((await readKey(w.org, key))?.members ?? []).not.toContain(profileId);
    await resendOverdueMatching({ warn: () => {} }, new Date(Date.now() + MATCH_OVERDUE_MS + 60_000), w.org);
    for (const key of written.match!.keys) expect((await readKey(w.org, key))?.members).toContain(profileId);
    expect(await readProfile(w.org, profileId)).toEqual(written);
    expect(await keyNotes(w.org)).toEqual([]);
  }, 60_000);
});
