import { PollingLoop, type PollOutcome } from '../../../tools/local-host/triggers/polling-loop';

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
    // Fake timers: the 60 s sleep never ends unless stop() cuts it, so "at once" needs no clock.
    jest.useFakeTimers();
    try {
      const loop = new PollingLoop(async () => ({ idle: true, delayMs: 60_000 }), () => {});
      loop.start();
      await jest.advanceTimersByTimeAsync(0);
      let stopped = false;
      void loop.stop().then(() => (stopped = true));
      await jest.advanceTimersByTimeAsync(0);
      expect(stopped).toBe(true);
      await expect(loop.drain()).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
