import { eventPurge, purgeEvent, purgeRecords } from '../../../shared/events/purge-event';
import { readProfile } from '../../../shared/events/profile-repository';
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
