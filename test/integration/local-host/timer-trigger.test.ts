import { startHost, type LocalHost } from '../../../tools/local-host/host';
import { collectingLogger, fixtureAppRoot, recorded, waitFor } from './helpers';

type TimerInfo = {
  schedule: { adjustForDST: boolean };
  scheduleStatus: { last: string; next: string; lastUpdated: string };
  isPastDue: boolean;
};

describe('local host: timer triggers', () => {
  const { logger } = collectingLogger();
  let host: LocalHost;

  beforeAll(async () => {
    host = await startHost({
      appRoot: fixtureAppRoot,
      port: 0,
      logger,
      triggers: { blob: false, queue: false },
    });
  });

  afterAll(async () => {
    await host?.close();
  });

  it('runs a runOnStartup timer once at start, with the runtime timer object', async () => {
    const [startup] = await waitFor(async () => {
      const events = await recorded(host.url, 'yearly');
      return events.length > 0 ? events : undefined;
    });
    const timer = startup?.timer as TimerInfo;
    expect(timer.schedule).toEqual({ adjustForDST: true });
    expect(timer.isPastDue).toBe(false);
    expect(new Date(timer.scheduleStatus.next).toISOString()).toMatch(/-01-01T00:00:00\.000Z$/);
    expect(Date.parse(timer.scheduleStatus.lastUpdated)).toBeGreaterThan(Date.now() - 10_000);
    expect(await recorded(host.url, 'yearly')).toHaveLength(1);
  });

  it('fires on its six-field schedule (every second)', async () => {
    const ticks = await waitFor(
      async () => {
        const events = await recorded(host.url, 'tick');
        return events.length >= 3 ? events : undefined;
      },
      6000,
      'three ticks',
    );
    const seconds = ticks.map((t) => Math.floor(Date.parse((t.timer as TimerInfo).scheduleStatus.lastUpdated) / 1000));
    expect(new Set(seconds).size).toBe(seconds.length);
    const info = ticks[1]?.timer as TimerInfo;
    expect(Date.parse(info.scheduleStatus.next) - Date.parse(info.scheduleStatus.last)).toBe(2000);
  });

  it('never overlaps runs of the same function', async () => {
    await waitFor(async () => ((await recorded(host.url, 'slow-tick')).length >= 2 ? true : undefined), 6000, 'two slow ticks');
    const runs = await recorded(host.url, 'slow-tick');
    expect(runs.every((r) => r.running === 1)).toBe(true);
    const gaps = runs.slice(1).map((r, i) => r.at - (runs[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1500);
  });

  it('runs a timer on demand with runTimer()', async () => {
    const before = (await recorded(host.url, 'yearly')).length;
    await host.runTimer('yearly');
    expect(await recorded(host.url, 'yearly')).toHaveLength(before + 1);
    await expect(host.runTimer('no-such-timer')).rejects.toThrow(/No active timer function named "no-such-timer"/);
  });

  it('stops firing after close()', async () => {
    await host.close();
    const { logger: quiet } = collectingLogger();
    // A second host on the same app, timers off, to read what the first one recorded.
    const reader = await startHost({ appRoot: fixtureAppRoot, port: 0, logger: quiet, triggers: { blob: false, queue: false, timer: false } });
    try {
      const count = (await recorded(reader.url, 'tick')).length;
      await new Promise((resolve) => setTimeout(resolve, 1300));
      expect(await recorded(reader.url, 'tick')).toHaveLength(count);
    } finally {
      await reader.close();
    }
  });
});
