import { parseTimerSchedule } from '../../../tools/local-host/triggers/timer-schedule';

const registrations: { name: string; options: { schedule: string; handler: unknown } }[] = [];
jest.mock('@azure/functions', () => ({
  app: { timer: (name: string, options: { schedule: string; handler: unknown }) => registrations.push({ name, options }) },
}));
jest.mock('../../../shared/retention/retention-sweep', () => ({ runRetentionSweep: jest.fn() }));

describe('the retention sweep timer', () => {
  it('is registered daily on a six-field NCRONTAB schedule and runs the same sweep as the admin endpoint', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { RETENTION_SWEEP_SCHEDULE } = require('../../../functions/retention-sweep-timer.function');
    expect(registrations).toHaveLength(1);
    expect(registrations[0]!.name).toBe('retention-sweep-timer');
    const schedule = parseTimerSchedule(RETENTION_SWEEP_SCHEDULE);
    const first = schedule.next(new Date(Date.UTC(2026, 0, 1)));
    expect(schedule.next(first).getTime() - first.getTime()).toBe(24 * 3600 * 1000);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runRetentionSweep } = require('../../../shared/retention/retention-sweep') as { runRetentionSweep: jest.Mock };
    runRetentionSweep.mockResolvedValueOnce({ totals: {}, more: false, failed: [{ retailerId: 'ret-a' }] });
    const context = { log: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn(), invocationId: 'inv-1' };
    const handler = registrations[0]!.options.handler as (timer: unknown, ctx: unknown) => Promise<void>;
    await expect(handler({}, context)).rejects.toThrow(/1 retailer/);
    expect(runRetentionSweep).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ trigger: 'timer' }));
  });
});
