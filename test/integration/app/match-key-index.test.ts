import { randomUUID } from 'node:crypto';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { MAX_KEY_MEMBERS } from '../../../shared/domain/matching/keys';
import { changeKey, changePopulation, population, readKey } from '../../../shared/matching/matchkey-repository';

/** The key index's writer, in process against the real Cosmos-protocol server. */
describe('match key index writes', () => {
  const retailer = () => `keys-${randomUUID().slice(0, 8)}`;

  it('concurrent changes to one hot key and the population are applied together, exactly', async () => {
    const org = retailer();
    const key = 'given:JON';
    const profiles = Array.from({ length: 40 }, (_, i) => `p-${i}`);
    const before = cosmosRoundTrips.total;
    await Promise.all([...profiles.map((p) => changeKey(org, key, p, true)), ...profiles.map(() => changePopulation(org, 1))]);
    // One group: a bulk read and a bulk of writes (plus a point read for each document the bulk read missed, at most).
    expect(cosmosRoundTrips.total - before).toBeLessThanOrEqual(4);
    const doc = await readKey(org, key);
    expect(doc).toMatchObject({ count: 40, saturated: false });
    expect([...doc!.members].sort()).toEqual([...profiles].sort());
    expect(await population(org)).toBe(40);
  });

  it('a change that changes nothing writes nothing', async () => {
    const org = retailer();
    await changeKey(org, 'phone:+64211234567', 'p-1', true);
    const etag = (await readKey(org, 'phone:+64211234567'))!._etag;
    const before = cosmosRoundTrips.total;
    await changeKey(org, 'phone:+64211234567', 'p-1', true);
    await changeKey(org, 'phone:+64211234567', 'p-2', false);
    expect(cosmosRoundTrips.total - before).toBe(2);
    expect((await readKey(org, 'phone:+64211234567'))!._etag).toBe(etag);
  });

  it('keeps counting past saturation and removes the document when the last holder leaves', async () => {
    const org = retailer();
    const key = 'product:123';
    const holders = Array.from({ length: MAX_KEY_MEMBERS + 5 }, (_, i) => `p-${i}`);
    await Promise.all(holders.map((p) => changeKey(org, key, p, true)));
    expect(await readKey(org, key)).toMatchObject({ count: holders.length, saturated: true, members: [] });
    await Promise.all(holders.map((p) => changeKey(org, key, p, false)));
    expect(await readKey(org, key)).toBeUndefined();
  });

  it('a saturated full name keeps its newest holders, and loses the ones that leave', async () => {
    const org = retailer();
    const key = 'nm:SM0:JOHN';
    const holders = Array.from({ length: MAX_KEY_MEMBERS + 5 }, (_, i) => `p-${i}`);
    for (const p of holders) await changeKey(org, key, p, true);
    const newest = holders.slice(-MAX_KEY_MEMBERS);
    expect(await readKey(org, key)).toMatchObject({ count: holders.length, saturated: true, members: newest });
    // One in the window leaves it; one older than the window only lowers the count.
    await changeKey(org, key, newest[0]!, false);
    await changeKey(org, key, holders[0]!, false);
    expect(await readKey(org, key)).toMatchObject({ count: holders.length - 2, saturated: true, members: newest.slice(1) });
    await changeKey(org, key, 'p-new', true);
    expect((await readKey(org, key))!.members).toEqual([...newest.slice(1), 'p-new']);
    for (const p of [...holders.slice(1), 'p-new']) if (p !== newest[0]) await changeKey(org, key, p, false);
    expect(await readKey(org, key)).toBeUndefined();
  });
});
