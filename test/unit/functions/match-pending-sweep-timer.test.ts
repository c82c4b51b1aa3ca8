import { parseTimerSchedule } from '../../../tools/local-host/triggers/timer-schedule';

const registrations: { name: string; options: { schedule: string; handler: unknown } }[] = [];
jest.mock('@azure/functions', () => ({
  app: { timer: (name: string, options: { schedule: string; handler: unknown }) => registrations.push({ name, options }) },
}));
jest.mock('../../../shared/matching/match-pending-sweep', () => ({ resendOverdueMatching: jest.fn() }));

describe('the pending matching requests timer', () => {
  it('is registered every five minutes and reports what it sent again', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MATCH_PENDING_SWEEP_SCHEDULE } = require('../../../functions/match-pending-sweep-timer.function');
    expect(registrations.map((r) => r.name)).toEqual(['match-pending-sweep-timer']);
    const schedule = parseTimerSchedule(MATCH_PENDING_SWEEP_SCHEDULE);
    const first = schedule.next(new Date(Date.UTC(2026, 0, 1)));
    expect(schedule.next(first).getTime() - first.getTime()).toBe(5 * 60 * 1000);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { resendOverdueMatching } = require('../../../shared/matching/match-pending-sweep') as { resendOverdueMatching: jest.Mock };
    resendOverdueMatching.mockResolvedValueOnce({ resent: 2, more: false });
    const context = { log: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn(), invocationId: 'inv-1' };
    await (registrations[0]!.options.handler as (timer: unknown, ctx: unknown) => Promise<void>)({}, context);
    expect(context.warn).toHaveBeenCalledWith(expect.stringContaining('"resent":2'));
  });
});
