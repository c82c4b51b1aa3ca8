import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import type { Principal } from '../../../shared/domain/principal';
import { createEvent } from '../../../shared/events/create-event';
import { readProfile } from '../../../shared/events/profile-repository';
import { reindexProfile } from '../../../shared/matching/reindex-profile';
import { matched } from '../support/retention';
import { eventBody, retailerWorld } from '../support/world';

/**
 * Re-indexing a profile (Connect the Dots, and every purge that leaves the person with other
 * events) reads the profile's events. Run here in-process so its round trips are counted.
 */
describe('re-indexing a profile', () => {
  it("reads the profile's events in one batch, however many it has", async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Investigator'], stores: null, mfa: false };
    const first = await createEvent({ principal, requestId: 'r0' }, EventInputSchema.parse(eventBody()));
    const profileId = first.event.people[0]!.profileId;
    for (let i = 1; i < 12; i += 1) {
      const body = eventBody();
      await createEvent({ principal, requestId: `r${i}` }, EventInputSchema.parse({ ...body, people: [{ ...body.people[0]!, profileId }] }));
    }
    await matched(w.org, [profileId]); // the host's matcher has indexed all twelve: nothing left to change

    const before = cosmosRoundTrips.total;
    const profile = await reindexProfile(w.org, profileId, DEFAULT_SETTINGS);
    // the profile and its 12 events in one batch; nothing changed, so no write and no key change
    expect(cosmosRoundTrips.total - before).toBe(2);
    expect(profile!.match!.indexedEvents).toHaveLength(12);
    expect((await readProfile(w.org, profileId))!.match!.stats.events).toBe(12);
  });
});
