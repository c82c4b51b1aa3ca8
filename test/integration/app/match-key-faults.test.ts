import { randomUUID } from 'node:crypto';
import { ownStack } from '../support/own-stack';
import { changeKey, changePopulation, population, readKey } from '../../../shared/matching/matchkey-repository';

/**
 * The key index's writer on a stack of its own, with the answers of its writes lost: the store
 * applies a bulk write and the connection drops before the client reads the answer, so the write
 * is retried. A holder added twice is one holder; the population must not count twice either.
 */
const stack = ownStack();

describe('match key index writes whose answers are lost', () => {
  afterEach(() => stack().faults!.cosmos.set({ rate: 0 }));

  it('the population and a key count every profile once', async () => {
    const org = `keys-${randomUUID().slice(0, 8)}`;
    const key = 'given:ARI';
    const lostBefore = stack().faults!.cosmos.counts['reset-after'];
    // Every other write to the index lands with its answer lost.
    stack().faults!.cosmos.set({ rate: 0.5, weights: { 'reset-after': 1 }, only: { method: 'POST', path: '/colls/match-keys/docs' } });
    const profiles = Array.from({ length: 30 }, (_, i) => `p-${i}`);
    // Three rounds of concurrent changes: each round one group (a bulk read and a bulk write, retried where an answer was lost).
    for (let round = 0; round < 3; round++) {
      const these = profiles.slice(round * 10, round * 10 + 10);
      const left = await Promise.all([...these.map((p) => changeKey(org, key, p, true)), ...these.map(() => changePopulation(org, 1))]);
      // Each change answers its document as the group left it, retried writes included: every holder of the rounds so far, counted once.
      for (const doc of left.slice(0, 10)) expect(doc).toMatchObject({ members: profiles.slice(0, (round + 1) * 10), count: (round + 1) * 10 });
      for (const doc of left.slice(10)) expect(doc).toMatchObject({ docType: 'population', count: (round + 1) * 10 });
    }
    stack().faults!.cosmos.set({ rate: 0 });
    expect(stack().faults!.cosmos.counts['reset-after']).toBeGreaterThan(lostBefore);
    expect(await population(org)).toBe(profiles.length);
    expect(await readKey(org, key)).toMatchObject({ count: profiles.length });
  }, 60_000);
});
