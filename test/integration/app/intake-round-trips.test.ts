import { readMany } from '../../../shared/adapters/cosmos-batch';
import { container } from '../../../shared/adapters/cosmos-containers';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { normalisePlate } from '../../../shared/domain/events/plates';
import { canonicalPlate, plateIndexId } from '../../../shared/domain/lpr/plate-index';
import { type PlateIndexDoc } from '../../../shared/lpr/plate-index-repository';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import type { Principal } from '../../../shared/domain/principal';
import { createEvent } from '../../../shared/events/event-use-cases';
import { eventBody, retailerWorld } from '../support/world';

/**
 * The intake path runs here in-process against the real Cosmos-protocol server, so every
 * round trip it makes is counted by the client's agent.
 */
describe('intake cost', () => {
  it('one POST is a fixed handful of point operations, no query, whatever the store holds', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    // A different person each time, as in a real store: 164 reports of one person would also
    // set the background matcher scoring each against all the others, which is not intake.
    let n = 0;
    const input = () => {
      const body = eventBody();
      body.people[0]!.name = { given: 'Jon', family: `Rt${(n += 1)}x${Date.now().toString(36)}`, aliases: [] };
      body.people[0]!.distinguishingFeatures = [];
      body.vehicles = [{ ...body.vehicles[0]!, plate: `RT${n}${Date.now().toString(36).slice(-3)}` }];
      return EventInputSchema.parse(body);
    };
    const measure = async () => {
      const before = { ...cosmosRoundTrips };
      for (let i = 0; i < 32; i += 1) await createEvent({ principal, requestId: 'rt' }, input());
      return { perEvent: (cosmosRoundTrips.total - before.total) / 32, queries: cosmosRoundTrips.queries - before.queries };
    };
    await measure(); // warms the client's metadata caches and the org cache
    const small = await measure();
    for (let i = 0; i < 100; i += 1) await createEvent({ principal, requestId: 'fill' }, input());
    const large = await measure();
    // profile create (one new person) + event create + audit entry create + the LPR plate
    // index's create (one vehicle not seen before), plus the audit head hint every 16th entry;
    // the store comes from the process's short cache
    expect(small).toEqual({ perEvent: 4 + 2 / 32, queries: 0 });
    expect(large).toEqual(small);
  });

  it('a vehicle this process indexed before costs one conditional replace, not a failed create, a read and a replace', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const plate = `RV${Date.now().toString(36)}`;
    const input = (i: number) => {
      const body = eventBody();
      body.people[0]!.name = { given: 'Jon', family: `Rv${i}x${Date.now().toString(36)}`, aliases: [] };
      body.vehicles = [{ ...body.vehicles[0]!, plate }];
      return EventInputSchema.parse(body);
    };
    for (let i = 0; i < 16; i += 1) await createEvent({ principal, requestId: 'warm' }, input(i));
    const before = cosmosRoundTrips.total;
    for (let i = 0; i < 16; i += 1) await createEvent({ principal, requestId: 'rv' }, input(100 + i));
    // as above, with the plate document replaced instead of created; one audit head hint in 16 entries
    expect((cosmosRoundTrips.total - before) / 16).toBe(4 + 1 / 16);
  });

  it('a plate document changed elsewhere since this process wrote it is read again, and no event is lost from it', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const plate = `ST${Date.now().toString(36)}`;
    const input = () => EventInputSchema.parse({ ...eventBody(), vehicles: [{ plate }] });
    const first = await createEvent({ principal, requestId: 'p1' }, input());
    // Another instance adds an event to the document: this process's remembered version is now stale.
    const id = plateIndexId(canonicalPlate(normalisePlate(plate)));
    const [doc] = await readMany<PlateIndexDoc>('plate-index', w.org, [id]);
    await container('plate-index').items.upsert({ ...doc!, entries: [...doc!.entries, { ...doc!.entries[0]!, eventId: 'elsewhere' }] });
    const second = await createEvent({ principal, requestId: 'p2' }, input());
    const [after] = await readMany<PlateIndexDoc>('plate-index', w.org, [id]);
    expect(after!.entries.map((e) => e.eventId).sort()).toEqual([first.event.id, second.event.id, 'elsewhere'].sort());
  });
});
