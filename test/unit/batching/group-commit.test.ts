import { GroupCommit } from '../../../shared/batching/group-commit';

/** A writer that records each group it was given and takes `ms` per write. */
function recorder(ms = 5, fail?: (items: number[]) => boolean) {
  const groups: { key: string; items: number[] }[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const commit = new GroupCommit<number, string>(async (key, items) => {
    groups.push({ key, items });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((r) => setTimeout(r, ms));
    inFlight -= 1;
    if (fail?.(items)) throw new Error(`group ${items.join(',')} failed`);
    return items.map((i) => `${key}:${i}`);
  }, 3);
  return { commit, groups, maxInFlight: () => maxInFlight };
}

describe('GroupCommit', () => {
  it('writes items submitted together in one group, and each caller gets its own result', async () => {
    const { commit, groups } = recorder();
    const results = await Promise.all([1, 2, 3].map((i) => commit.submit('a', i)));
    expect(results).toEqual(['a:1', 'a:2', 'a:3']);
    expect(groups).toEqual([{ key: 'a', items: [1, 2, 3] }]);
  });

  it('groups what arrives while a write is in flight into the next write, never two writes of one key at once', async () => {
    const { commit, groups, maxInFlight } = recorder(20);
    const first = commit.submit('a', 1);
    await new Promise((r) => setTimeout(r, 5));
    const later = [2, 3].map((i) => commit.submit('a', i));
    expect(await Promise.all([first, ...later])).toEqual(['a:1', 'a:2', 'a:3']);
    expect(groups.map((g) => g.items)).toEqual([[1], [2, 3]]);
    expect(maxInFlight()).toBe(1);
  });

  it('keeps keys apart and writes them side by side', async () => {
    const { commit, groups, maxInFlight } = recorder(10);
    await Promise.all([commit.submit('a', 1), commit.submit('b', 2), commit.submit('a', 3)]);
    expect(groups).toEqual([
      { key: 'a', items: [1, 3] },
      { key: 'b', items: [2] },
    ]);
    expect(maxInFlight()).toBe(2);
  });

  it('takes at most maxGroup items per write', async () => {
    const { commit, groups } = recorder();
    await Promise.all([1, 2, 3, 4, 5].map((i) => commit.submit('a', i)));
    expect(groups.map((g) => g.items)).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("fails every caller of a failed group, and only those; the key's writer goes on", async () => {
    const { commit } = recorder(5, (items) => items.includes(2));
    const outcomes = await Promise.allSettled([1, 2, 3, 4].map((i) => commit.submit('a', i)));
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected', 'fulfilled']);
    await expect(commit.submit('a', 9)).resolves.toBe('a:9');
  });
});

describe('GroupCommit with a linger', () => {
  const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

  /** Submits `count` items `every` ms apart, each write taking 1 ms; returns the groups written. */
  async function stream(lingerMs: number, count: number, every: number) {
    const groups: number[][] = [];
    const commit = new GroupCommit<number, number>(async (_key, items) => {
      groups.push(items);
      await tick(1);
      return items;
    }, 100, lingerMs);
    const done: Promise<number>[] = [];
    for (let i = 0; i < count; i += 1) {
      done.push(commit.submit('a', i));
      await tick(every);
    }
    expect(await Promise.all(done)).toEqual(Array.from({ length: count }, (_, i) => i));
    return groups;
  }

  it('groups a busy key’s items that arrive while its writer is idle, losing none', async () => {
    const without = await stream(0, 20, 3);
    const withLinger = await stream(25, 20, 3);
    expect(without.length).toBeGreaterThanOrEqual(15);
    expect(withLinger.length).toBeLessThanOrEqual(8);
    expect(withLinger.flat()).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('writes an item on a quiet key at once, without waiting for the linger', async () => {
    // Fake timers: the linger can only pass if the test lets it, so "at once" is checked without a clock.
    jest.useFakeTimers();
    try {
      const commit = new GroupCommit<number, number>(async (_key, items) => items, 100, 20);
      for (const i of [1, 2, 3]) {
        let done = false;
        void commit.submit('a', i).then(() => (done = true));
        await jest.advanceTimersByTimeAsync(0);
        expect(done).toBe(true);
        await jest.advanceTimersByTimeAsync(100);
      }
    } finally {
      jest.useRealTimers();
    }
  });
});
