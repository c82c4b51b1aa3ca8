import { runInSlices } from '../../../shared/batching/in-slices';
import { estimateModel, estimateSteps } from '../../../shared/domain/matching/estimate';
import type { PersonFacts } from '../../../shared/domain/matching/facts';

/** Busy for `ms` of wall time: pure work that holds the event loop. */
function spin(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('runInSlices', () => {
  it('returns what the steps return, and lets timers run between slices', async () => {
    function* steps(): Generator<void, string, void> {
      for (let i = 0; i < 40; i++) {
        spin(5);
        yield;
      }
      return 'done';
    }
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      expect(await runInSlices(steps(), 10)).toBe('done');
    } finally {
      clearInterval(timer);
    }
    // 200 ms of work in slices of about 10 ms: the timer ran between them (at once, it could not run at all).
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  it('gives the same model as the estimate at once, and lets timers run while it works', async () => {
    // Namesakes with cars shared by a few each: every person has candidates, as in a chain's store.
    const facts = (i: number): PersonFacts => ({
      names: [{ given: 'Jon', family: `Smith${i}` }],
      dobs: [],
      phones: [],
      plates: [`ABC${i % 300}`],
      features: ['grey hoodie'],
      stores: ['s1'],
      types: ['shoplifting'],
      skus: ['123'],
      times: [new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString()],
      imageHashes: [],
      eventIds: [`e${i}`],
    });
    const input = { profiles: Array.from({ length: 600 }, (_, i) => ({ facts: facts(i) })), seed: 4, now: new Date(0) };
    const atOnce = estimateModel(input);
    // A timer due well before the estimate can finish: it runs while the estimate is under way.
    let finished = false;
    let timerRanMeanwhile = false;
    const timer = setTimeout(() => (timerRanMeanwhile = !finished), 5);
    const sliced = await runInSlices(estimateSteps(input));
    finished = true;
    clearTimeout(timer);
    expect(sliced).toEqual(atOnce);
    expect(timerRanMeanwhile).toBe(true);
  });
});
