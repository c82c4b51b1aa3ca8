import { allSettledLimited } from '../../../shared/batching/settle-limited';

describe('allSettledLimited', () => {
  it('settles every item in order, failures as rejections, never more than the limit at once', async () => {
    let inFlight = 0;
    let most = 0;
    const outcomes = await allSettledLimited([5, 1, 4, 2, 3, 0, 6, 7, 8, 9], 3, async (n, i) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      if (n === 4) throw new Error(`item ${i}`);
      if (n === 6) return Promise.reject(new Error('rejected'));
      return n * 10;
    });
    expect(most).toBe(3);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([50, 10, 'item 2', 20, 30, 0, 'rejected', 70, 80, 90]);
  });

  it('answers nothing for nothing, and works with fewer items than the limit', async () => {
    expect(await allSettledLimited([], 8, async () => 1)).toEqual([]);
    expect(await allSettledLimited(['a'], 8, async (s) => s)).toEqual([{ status: 'fulfilled', value: 'a' }]);
    // A limit below one still does the work, one at a time.
    expect(await allSettledLimited(['a', 'b'], 0, async (s) => s)).toEqual([{ status: 'fulfilled', value: 'a' }, { status: 'fulfilled', value: 'b' }]);
  });
});
