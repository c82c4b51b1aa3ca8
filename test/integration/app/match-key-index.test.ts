import { randomUUID } from 'node:crypto';
import { cosmosRoundTrips } from '../../../shared/adapters/counting-agent';
import { MAX_KEY_MEMBERS } from '../../../shared/domain/matching/keys';
import { changeKey, changePopulation, matchKeyDocId, population, readKey } from '../../../shared/matching/matchkey-repository';

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

  it('each change answers its key document as the change left it (what the matcher looks up instead of reading it again)', async () => {
    const org = retailer();
    const key = 'phone:+64219876543';
    const [a, b, pop] = await Promise.all([changeKey(org, key, 'p-a', true), changeKey(org, key, 'p-b', true), changePopulation(org, 1)]);
    // Both added in one group: both see both, each its own copy; without the store's system properties.
    expect(a).toEqual({ id: matchKeyDocId(key), orgId: org, docType: 'matchkey', members: ['p-a', 'p-b'], count: 2, saturated: false });
    expect(b).toEqual(a);
    expect(b).not.toBe(a);
    expect(pop).toMatchObject({ docType: 'population', count: 1 });
    // Nothing to change: the document as read, after the ask.
    await changeKey(org, key, 'p-c', true);
    const same = await changeKey(org, key, 'p-a', true);
    expect(same).toMatchObject({ members: ['p-a', 'p-b', 'p-c'], count: 3 });
    expect(Object.keys(same!).filter((k) => k.startsWith('_') || k === 'shard')).toEqual([]);
    // The last holder gone: no document.
    await Promise.all([changeKey(org, key, 'p-a', false), changeKey(org, key, 'p-b', false)]);
    expect(await changeKey(org, key, 'p-c', false)).toBeUndefined();
    expect(await changeKey(org, 'phone:+64210000000', 'p-x', false)).toBeUndefined();
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
