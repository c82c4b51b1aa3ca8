import { readMany } from '../../../shared/adapters/cosmos-batch';
import { container, placed } from '../../../shared/adapters/cosmos-containers';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { normalisePlate } from '../../../shared/domain/events/plates';
import { canonicalPlate, plateIndexId } from '../../../shared/domain/lpr/plate-index';
import { type PlateIndexDoc } from '../../../shared/lpr/plate-index-repository';
import { EventInputSchema, type RetailEvent } from '../../../shared/domain/events/event-schema';
import type { Principal } from '../../../shared/domain/principal';
import { createEvent } from '../../../shared/events/create-event';
import { readEvent } from '../../../shared/events/event-repository';
import { readProfile } from '../../../shared/events/profile-repository';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { eventBody, retailerWorld } from '../support/world';
import { matched } from '../support/retention';

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
    // one transactional batch in the event's shard (the new person's profile, the matching request,
    // the event, its audit outbox document) + the audit entry (with the audit head hint, every 16th
    // entry, in the same batch) + one bulk request: the LPR plate index's document for a vehicle
    // not seen before (it lies by plate, in another shard) and the outbox document's removal; the
    // store comes from the process's short cache
    expect(small).toEqual({ perEvent: 3, queries: 0 });
    expect(large).toEqual(small);
  });

  it('a vehicle this process indexed before is a conditional replace, not a failed create, a read and a replace', async () => {
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
    // as above, with the plate document replaced instead of created
    expect((cosmosRoundTrips.total - before) / 16).toBe(3);
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
    await container('plate-index').items.upsert(placed('plate-index', { ...doc!, entries: [...doc!.entries, { ...doc!.entries[0]!, eventId: 'elsewhere' }] }));
    const second = await createEvent({ principal, requestId: 'p2' }, input());
    const [after] = await readMany<PlateIndexDoc>('plate-index', w.org, [id]);
    expect(after!.entries.map((e) => e.eventId).sort()).toEqual([first.event.id, second.event.id, 'elsewhere'].sort());
    // The batch failed on the plate; written one by one instead: the event, its person's profile
    // (which the local server had already created before the failing operation) and one audit entry.
    expect((await readEvent(w.org, second.event.id))?.event).toEqual(second.event);
    expect((await readProfile(w.org, second.event.people[0]!.profileId))?.eventIds).toEqual([second.event.id]);
    expect(await createEntriesFor(w.org, second.event.id)).toBe(1);
  });

  it('an event naming a known person joins that profile (in the same batch when it lies in the same shard): a read of the profile more, and a write where it lies elsewhere; nothing lost', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const first = await createEvent({ principal, requestId: 'k1' }, EventInputSchema.parse(eventBody()));
    const profileId = first.event.people[0]!.profileId;
    const before = cosmosRoundTrips.total;
    const named = await Promise.all(
      Array.from({ length: 8 }, (_, i) => createEvent({ principal, requestId: `k${i}` }, naming(profileId, `KP${i}${Date.now().toString(36)}`))),
    );
    // Eight at once race for the one profile: the batches that lose fall back to writing one by one.
    expect((cosmosRoundTrips.total - before) / 8).toBeGreaterThanOrEqual(3);
    const profile = await readProfile(w.org, profileId);
    expect(profile!.eventIds.sort()).toEqual([first.event.id, ...named.map((n) => n.event.id)].sort());
    for (const n of named) expect(await createEntriesFor(w.org, n.event.id)).toBe(1);

    // One at a time, once the matcher (in the host) has stopped updating the profile: the
    // profile's read, its replace where it lies in another shard than the event (most often), the
    // batch (the profile's replace where it does not, the event, its matching request and outbox
    // document), the plate, the audit entry, the outbox cleared.
    await matched(w.org, [profileId]);
    const one = cosmosRoundTrips.total;
    const last = await createEvent({ principal, requestId: 'k9' }, naming(profileId, `KP9${Date.now().toString(36)}`));
    expect(cosmosRoundTrips.total - one).toBeLessThanOrEqual(6);
    expect((await readProfile(w.org, profileId))!.eventIds).toContain(last.event.id);
  });

  it('events of one retailer arriving together share transactional batches, and each is stored whole, once', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const stamp = Date.now().toString(36);
    const inputs = Array.from({ length: 16 }, (_, i) => fresh(`Tg${i}x${stamp}`, `TG${i}${stamp}`));
    await createEvent({ principal, requestId: 'warm' }, fresh(`Tgw${stamp}`, `TGW${stamp}`));
    const before = cosmosRoundTrips.total;
    const made = await Promise.all(inputs.map((input, i) => createEvent({ principal, requestId: `tg${i}` }, input)));
    // Alone, each would be three round trips (its batch, its audit entry, its outbox cleared): 48.
    expect(cosmosRoundTrips.total - before).toBeLessThanOrEqual(8);
    await expectStoredWhole(w.org, made.map((m) => m.event));
  });

  it('an event whose own operation fails in a shared batch is written one by one, and the others in that batch are not lost', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const stamp = Date.now().toString(36);
    const stale = `SB${stamp}`;
    const first = await createEvent({ principal, requestId: 'sb' }, fresh(`Sb0x${stamp}`, stale));
    // Another instance changes the plate's document: this process's version of it is stale.
    const id = plateIndexId(canonicalPlate(normalisePlate(stale)));
    const [doc] = await readMany<PlateIndexDoc>('plate-index', w.org, [id]);
    await container('plate-index').items.upsert(placed('plate-index', { ...doc!, entries: [...doc!.entries, { ...doc!.entries[0]!, eventId: 'elsewhere' }] }));

    // The stale plate's event sits in the middle: those before it and after it share its batch.
    const inputs = Array.from({ length: 9 }, (_, i) => fresh(`Sb${i + 1}x${stamp}`, i === 4 ? stale : `SB${i}${stamp}`));
    const made = await Promise.all(inputs.map((input, i) => createEvent({ principal, requestId: `sb${i}` }, input)));
    await expectStoredWhole(w.org, made.map((m) => m.event));
    const [after] = await readMany<PlateIndexDoc>('plate-index', w.org, [id]);
    expect(after!.entries.map((e) => e.eventId).sort()).toEqual([first.event.id, made[4]!.event.id, 'elsewhere'].sort());
  });

  it('events arriving together on one new vehicle go in successive batches, each on the version the last one wrote', async () => {
    const w = await retailerWorld();
    const principal: Principal = { sub: 'rep-1', orgId: w.org, roles: ['Reporter'], stores: null, mfa: false };
    const stamp = Date.now().toString(36);
    const plate = `SV${stamp}`;
    await createEvent({ principal, requestId: 'warm' }, fresh(`Svw${stamp}`, `SVW${stamp}`));
    const before = cosmosRoundTrips.total;
    const made = await Promise.all(Array.from({ length: 4 }, (_, i) => createEvent({ principal, requestId: `sv${i}` }, fresh(`Sv${i}x${stamp}`, plate))));
    // No batch fails on the plate, so nothing is read back: at most a batch, an audit write and an outbox clear each.
    expect(cosmosRoundTrips.total - before).toBeLessThanOrEqual(12);
    await expectStoredWhole(w.org, made.map((m) => m.event));
    const [doc] = await readMany<PlateIndexDoc>('plate-index', w.org, [plateIndexId(canonicalPlate(normalisePlate(plate)))]);
    expect(doc!.entries.map((e) => e.eventId).sort()).toEqual(made.map((m) => m.event.id).sort());
  });
});

/** An event whose one person is the known profile `profileId`. */
function naming(profileId: string, plate: string) {
  const body = eventBody();
  return EventInputSchema.parse({ ...body, people: [{ ...body.people[0]!, profileId }], vehicles: [{ plate }] });
}

/** How many "event.create" entries the retailer's audit chain holds for one event. */
async function createEntriesFor(orgId: string, eventId: string): Promise<number> {
  let n = 0;
  for await (const e of readChain(orgId)) if (e.action === 'event.create' && e.target.id === eventId) n += 1;
  return n;
}

/** An event with a person and a vehicle of its own. */
function fresh(family: string, plate: string) {
  const body = eventBody();
  return EventInputSchema.parse({ ...body, people: [{ ...body.people[0]!, name: { given: 'Jon', family, aliases: [] }, distinguishingFeatures: [] }], vehicles: [{ plate }] });
}

/** Each event stored as returned, its person's profile holding it, its plate indexed, and one "event.create" audit entry. */
async function expectStoredWhole(orgId: string, events: RetailEvent[]): Promise<void> {
  for (const event of events) {
    expect((await readEvent(orgId, event.id))?.event).toEqual(event);
    expect((await readProfile(orgId, event.people[0]!.profileId))?.eventIds).toContain(event.id);
    const [plate] = await readMany<PlateIndexDoc>('plate-index', orgId, [plateIndexId(canonicalPlate(normalisePlate(event.vehicles[0]!.plate!)))]);
    expect(plate?.entries.map((e) => e.eventId)).toContain(event.id);
  }
  const created = new Map<string, number>();
  for await (const e of readChain(orgId)) if (e.action === 'event.create') created.set(e.target.id, (created.get(e.target.id) ?? 0) + 1);
  for (const event of events) expect(created.get(event.id)).toBe(1);
}
