import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import { readEvent } from '../../../shared/events/event-repository';
import { createLinkOnce, linkId, linksOfProfile } from '../../../shared/matching/link-repository';
import { matchEvent } from '../../../shared/matching/match-event';
import { reindexProfile } from '../../../shared/matching/reindex-profile';
import { storeWithoutMatching } from '../support/matching';
import { eventBody, retailerWorld } from '../support/world';

/**
 * Matching in this process (the events are stored without asking the host's matcher), so that
 * what one match does is seen alone: the review graph's veto, and its cost for a person with
 * many lookalikes.
 */
describe('Connect the Dots and the review graph', () => {
  const one = (extra: Record<string, unknown>) =>
    EventInputSchema.parse(eventBody({ vehicles: [], people: [{ ref: 'p1', role: 'offender', name: { given: 'Tamati', family: 'Ngatai' }, ...extra }] }));

  it('a suggestion that would tie, through a pending one, two people certainly apart is not made', async () => {
    const w = await retailerWorld();
    const stored = async (extra: Record<string, unknown>) => {
      const eventId = await storeWithoutMatching(w, one(extra));
      return { eventId, profileId: (await readEvent(w.org, eventId))!.event.people[0]!.profileId };
    };
    const a = await stored({ dateOfBirth: '1990-01-01', phone: '+64211234567' });
    const b = await stored({ phone: '+64219876543' });
    const c = await stored({ dateOfBirth: '1961-12-31', phone: '+64219876543' });
    await reindexProfile(w.org, a.profileId, DEFAULT_SETTINGS, new Date());
    await reindexProfile(w.org, b.profileId, DEFAULT_SETTINGS, new Date());
    // An investigator's queue already holds b ~ a.
    await createLinkOnce(w.org, {
      id: linkId({ retailerId: w.org, profileId: b.profileId }, { retailerId: w.org, profileId: a.profileId }),
      status: 'pending',
      score: 20,
      probability: 0.99,
      subject: { eventId: b.eventId, personRef: 'p1', profileId: b.profileId },
      candidate: { profileId: a.profileId, retailerId: w.org, eventIds: [a.eventId] },
      reasons: [],
      createdAt: new Date().toISOString(),
    });
    // c shares b's phone and name, so alone c ~ b would be suggested; but c and a (same name, another
    // date of birth and phone) are certainly two people, and c ~ b would join them in the queue.
    const result = await matchEvent(w.org, c.eventId);
    expect(result).toMatchObject({ candidates: 2, suggestions: 0 });
    expect(await linksOfProfile(w.org, c.profileId)).toEqual([]);
  });

  it('a person with forty lookalikes: each candidate costs a handful of round trips, the neighbourhood is read once', async () => {
    const w = await retailerWorld();
    const ids: string[] = [];
    // The same name, alias, build and tattoo each time.
    for (let i = 0; i < 40; i++) ids.push(await storeWithoutMatching(w, EventInputSchema.parse(eventBody())));
    let last = { candidates: 0, suggestions: 0 };
    let trips = 0;
    for (const id of ids) {
      const before = cosmosRoundTrips.total;
      last = await matchEvent(w.org, id);
      trips = cosmosRoundTrips.total - before;
    }
    // Each is suggested with all that came before it (all one person, as far as the matcher can tell).
    expect(last).toMatchObject({ candidates: 39, suggestions: 39 });
    // Per candidate: the suggestion's create and one batch checking that neither profile went
    // meanwhile; the review graph around them all is one query (8 round trips per candidate when
    // each candidate's neighbourhood was queried and read again).
    expect(trips / last.candidates).toBeLessThanOrEqual(3);
  });
});
