import { ReadTogether } from '../../../shared/batching/read-together';

interface Doc {
  id: string;
  version: number;
}

/**
 * A store of versioned documents read through ReadTogether: each read records the ids it was
 * given, and is held open until released, so a test decides what happens while it is in flight.
 */
function store(maxInFlight?: number) {
  const docs = new Map<string, Doc>();
  const reads: { key: string; ids: string[] }[] = [];
  const held: (() => void)[] = [];
  let inFlight = 0;
  let most = 0;
  const failing = new Set<string>();
  let failAll: Error | undefined;
  const reader = new ReadTogether<Doc>(async (key, ids) => {
    reads.push({ key, ids });
    inFlight += 1;
    most = Math.max(most, inFlight);
    // What the store holds when the read is served: at its start (a later write is not in it).
    const answer = ids.map((id): PromiseSettledResult<Doc | undefined> =>
      failing.has(id) ? { status: 'rejected', reason: new Error(`no answer for ${id}`) } : { status: 'fulfilled', value: docs.has(id) ? structuredClone(docs.get(id)!) : undefined },
    );
    const failure = failAll;
    await new Promise<void>((release) => held.push(release));
    inFlight -= 1;
    if (failure) throw failure;
    return answer;
  }, maxInFlight);
  const tick = () => new Promise((r) => setImmediate(r));
  /** Releases every read held now, and lets what follows run. */
  const release = async () => {
    for (const r of held.splice(0)) r();
    await tick();
  };
  return { reader, docs, reads, failing, fail: (e?: Error) => (failAll = e), release, tick, most: () => most };
}

describe('ReadTogether', () => {
  it('reads the ids asked for together in one read, each id once, and answers each caller in its own order', async () => {
    const s = store();
    s.docs.set('a', { id: 'a', version: 1 });
    s.docs.set('b', { id: 'b', version: 1 });
    const asked = Promise.all([
      Promise.all(['a', 'b'].map((id) => s.reader.submit('k', id))),
      Promise.all(['b', 'missing', 'a'].map((id) => s.reader.submit('k', id))),
    ]);
    await s.tick();
    await s.release();
    const [first, second] = await asked;
    expect(s.reads).toEqual([{ key: 'k', ids: ['a', 'b', 'missing'] }]);
    expect(first.map((d) => d?.id)).toEqual(['a', 'b']);
    expect(second.map((d) => d?.id)).toEqual(['b', undefined, 'a']);
    // One document asked for twice: a copy each, so that one caller's change is not the other's.
    expect(second[0]).toEqual(first[1]);
    expect(second[0]).not.toBe(first[1]);
  });

  it('never answers a read from one that started before it was asked for: it waits for a read of its own', async () => {
    const s = store(1);
    s.docs.set('a', { id: 'a', version: 1 });
    const before = s.reader.submit('k', 'a');
    await s.tick(); // the first read is in flight, holding version 1
    s.docs.set('a', { id: 'a', version: 2 }); // the caller writes, then asks
    const after = Promise.all([s.reader.submit('k', 'a'), s.reader.submit('k', 'b')]);
    await s.tick();
    expect(s.reads).toHaveLength(1); // the only slot is taken: it waits
    await s.release(); // the first is answered; the waiting go together
    expect((await before)?.version).toBe(1);
    expect(s.reads.map((r) => r.ids)).toEqual([['a'], ['a', 'b']]);
    await s.release();
    expect((await after)[0]?.version).toBe(2);
  });

  it('keeps at most maxInFlight reads of a key in flight, and keys apart', async () => {
    const s = store(2);
    const asked: Promise<unknown>[] = [];
    for (let i = 0; i < 5; i += 1) {
      asked.push(s.reader.submit('k', `d${i}`));
      asked.push(s.reader.submit('other', `d${i}`));
      await s.tick();
    }
    // Two reads of each key started (the first two asks), the other three of each wait as one.
    expect(s.most()).toBe(4);
    expect(s.reads.filter((r) => r.key === 'k').map((r) => r.ids)).toEqual([['d0'], ['d1']]);
    while (s.reads.length < 6) await s.release();
    expect(s.reads.filter((r) => r.key === 'k').map((r) => r.ids)).toEqual([['d0'], ['d1'], ['d2', 'd3', 'd4']]);
    await s.release();
    await Promise.all(asked);
    expect(s.most()).toBe(4);
  });

  it('never has more than maxInFlight reads of a key in flight, however asks and answers interleave', async () => {
    let inFlight = 0;
    let most = 0;
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    // Asks and answers at random depths of the microtask queue, and now and then a timer later (with
    // this seed, a send that did not look again for a free slot ran three reads at once).
    const later = async () => {
      const hops = Math.floor(random() * 3);
      for (let i = 0; i < hops; i += 1) await Promise.resolve();
      if (random() < 0.02) await new Promise((r) => setImmediate(r));
    };
    const reader = new ReadTogether<string>(async (_key, ids) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await later();
      inFlight -= 1;
      return ids.map((id) => ({ status: 'fulfilled', value: id }));
    }, 2);
    // Sixteen askers, each asking again as soon as it is answered, 2,000 asks in all.
    let asks = 0;
    const asker = async () => {
      while (asks < 2000) {
        await later();
        const id = `d${(asks += 1) % 7}`;
        if ((await reader.submit('k', id)) !== id) throw new Error(`${id} answered wrong`);
      }
    };
    await Promise.all(Array.from({ length: 16 }, asker));
    expect(most).toBe(2);
  });

  it('fails a caller on its own ids alone, and a failed read only the callers it carried', async () => {
    const s = store();
    s.docs.set('a', { id: 'a', version: 1 });
    s.failing.add('bad');
    const good = s.reader.submit('k', 'a');
    const bad = s.reader.submit('k', 'bad');
    await s.tick();
    await s.release();
    await expect(good).resolves.toEqual({ id: 'a', version: 1 });
    await expect(bad).rejects.toThrow('no answer for bad');

    s.fail(new Error('store unavailable'));
    const lost = s.reader.submit('k', 'a');
    await s.tick();
    s.fail(undefined);
    const next = s.reader.submit('k', 'a');
    await s.tick();
    await s.release();
    await expect(lost).rejects.toThrow('store unavailable');
    await s.release();
    await expect(next).resolves.toEqual({ id: 'a', version: 1 });
  });
});
