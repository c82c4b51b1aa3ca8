import { randomUUID } from 'node:crypto';
import { readMany, readTogether } from '../../../shared/adapters/cosmos-batch';
import { container, placed } from '../../../shared/adapters/cosmos-containers';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import type { Principal } from '../../../shared/domain/principal';
import { createEvent } from '../../../shared/events/create-event';
import { eventMatching, matchEventRecords, matchEventsOf, type MatchResult } from '../../../shared/matching/match-event';
import { matchKeyDocId, POPULATION_ID, type MatchKeyDoc } from '../../../shared/matching/matchkey-repository';
import { reindexProfile } from '../../../shared/matching/reindex-profile';
import { readProfile, readProfiles } from '../../../shared/events/profile-repository';
import { matched } from '../support/retention';
import { eventBody, retailerWorld } from '../support/world';

/** Reads that arrive while one is in flight go together (readTogether), against the real Cosmos-protocol server. */
describe('reading together', () => {
  const doc = (org: string, id: string, n: number) => placed('events', { id, orgId: org, docType: 'bench', n });

  it('reads asked for at once are one round trip, each id read once, and each caller gets its own answer', async () => {
    const org = `rt-${randomUUID()}`;
    const ids = Array.from({ length: 6 }, () => randomUUID());
    await Promise.all(ids.map((id, i) => container('events').items.create(doc(org, id, i))));
    await readTogether('events', org, [ids[0]!]); // warms the client's metadata caches

    const before = cosmosRoundTrips.total;
    const [a, b, c] = await Promise.all([
      readTogether<{ n: number }>('events', org, [ids[0]!, ids[1]!, ids[2]!]),
      readTogether<{ n: number }>('events', org, [ids[2]!, ids[3]!, 'missing']),
      readTogether<{ n: number }>('events', org, [ids[4]!, ids[2]!]),
    ]);
    expect(cosmosRoundTrips.total - before).toBe(1);
    expect(a.map((d) => d?.n)).toEqual([0, 1, 2]);
    expect(b.map((d) => d?.n)).toEqual([2, 3, undefined]);
    expect(c.map((d) => d?.n)).toEqual([4, 2]);
    // One document asked for by three callers: three copies, so that one caller's change is not another's.
    a[2]!.n = 99;
    expect(b[0]!.n).toBe(2);
    expect(c[1]!.n).toBe(2);
    expect(b[0]).not.toBe(c[1]);
  });

  it('a read asked for after a write sees it (that a read never joins one in flight: test/unit/batching/read-together.test.ts)', async () => {
    const org = `rt-${randomUUID()}`;
    const id = randomUUID();
    await container('events').items.create(doc(org, id, 1));
    expect((await readTogether<{ n: number }>('events', org, [id]))[0]!.n).toBe(1);
    await container('events').items.upsert(doc(org, id, 2));
    expect((await readTogether<{ n: number }>('events', org, [id]))[0]!.n).toBe(2);
  });

  it("other organisations' and other containers' reads go on their own", async () => {
    const [x, y] = [`rt-${randomUUID()}`, `rt-${randomUUID()}`];
    const id = randomUUID();
    await container('events').items.create(doc(x, id, 1));
    const [inX, inY] = await Promise.all([readTogether<{ n: number }>('events', x, [id]), readTogether<{ n: number }>('events', y, [id])]);
    expect(inX[0]!.n).toBe(1);
    expect(inY[0]).toBeUndefined();
  });

  it("the matcher's events side by side read their profiles and keys together: fewer round trips than with a read each, and the same candidates", async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const stamp = Date.now().toString(36);
    // Eight new people, two of each name and plate: each pair is one person reported twice.
    const made = [];
    for (let i = 0; i < 8; i += 1) {
      const body = eventBody();
      body.people[0]!.name = { given: 'Ruta', family: `Tgh${i % 4}x${stamp}`, aliases: [] };
      body.vehicles = [{ ...body.vehicles[0]!, plate: `RT${i % 4}${stamp.slice(-3)}` }];
      made.push(await createEvent({ principal, requestId: `t${i}` }, EventInputSchema.parse(body)));
    }
    const ids = made.map((m) => m.event.id);
    await matched(w.org, made.map((m) => m.event.people[0]!.profileId)); // the host's matcher is done with them
    // The same matcher with a read of its own for each profile and each look-up of keys, as before reads went together.
    const alone = eventMatching({
      ...matchEventRecords,
      reindexProfile,
      readProfiles,
      readProfile: (retailerId, id) => readProfile(retailerId, id),
      readKeysWithPopulation: async (retailerId, keys) => {
        const [population, ...docs] = await readMany<MatchKeyDoc>('matchkeys', retailerId, [POPULATION_ID, ...keys.map(matchKeyDocId)]);
        return { docs, population: population?.count ?? 0 };
      },
    });
    const trips = async (run: () => Promise<PromiseSettledResult<MatchResult>[]>) => {
      const before = cosmosRoundTrips.total;
      const outcomes = await run();
      return { trips: cosmosRoundTrips.total - before, candidates: outcomes.map((o) => (o.status === 'fulfilled' ? o.value.candidates : -1)) };
    };
    await matchEventsOf(w.org, ids.slice(0, 1), new Date(), { alert: false }); // warm
    const each = await trips(() => alone.matchEventsOf(w.org, ids, new Date(), { alert: false }));
    const together = await trips(() => matchEventsOf(w.org, ids, new Date(), { alert: false }));
    // Each event reads its profile, its keys and its candidates: three reads each, 24 in all, where together they share (about 15 fewer, measured).
    expect(together.trips).toBeLessThanOrEqual(each.trips - 6);
    expect(together.candidates).toEqual(each.candidates);
    expect(together.candidates.every((n) => n >= 1)).toBe(true);
  });
});
