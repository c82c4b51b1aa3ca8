import { PollingLoop, type PollOutcome } from '../../../tools/local-host/polling-loop';

describe('polling loop', () => {
  it('drain() waits for a poll that started after the call and found nothing to do', async () => {
    const work = [2, 1, 0];
    let polls = 0;
    const loop = new PollingLoop(async (): Promise<PollOutcome> => {
      polls++;
      const pending = work.shift() ?? 0;
      return { idle: pending === 0, delayMs: 10_000 };
    }, () => {});
    loop.start();
    await loop.drain();
    expect(polls).toBe(3);
    await loop.stop();
  });

  it('drain() rejects when the poll fails instead of waiting forever', async () => {
    const loop = new PollingLoop(async () => {
      throw new Error('storage unreachable');
    }, () => {}, 10_000);
    loop.start();
    await expect(loop.drain()).rejects.toThrow('storage unreachable');
    await loop.stop();
  });

  it('stop() ends a sleeping loop at once and resolves later drains', async () => {
    const loop = new PollingLoop(async () => ({ idle: true, delayMs: 60_000 }), () => {});
    loop.start();
    await loop.drain();
    const started = Date.now();
    await loop.stop();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(loop.drain()).resolves.toBeUndefined();
  });
});
