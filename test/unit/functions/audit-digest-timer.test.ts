import { parseTimerSchedule } from '../../../tools/local-host/triggers/timer-schedule';

const registrations: { name: string; options: { schedule: string; handler: unknown } }[] = [];
jest.mock('@azure/functions', () => ({
  app: { timer: (name: string, options: { schedule: string; handler: unknown }) => registrations.push({ name, options }) },
}));
jest.mock('../../../shared/audit/audit-digests', () => ({ runAuditDigest: jest.fn() }));

describe('the audit digest timer', () => {
  it('is registered daily on a six-field NCRONTAB schedule and runs the same digest as the admin endpoint', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AUDIT_DIGEST_SCHEDULE } = require('../../../functions/audit-digest-timer.function');
    expect(registrations).toHaveLength(1);
    expect(registrations[0]!.options.schedule).toBe(AUDIT_DIGEST_SCHEDULE);
    const schedule = parseTimerSchedule(AUDIT_DIGEST_SCHEDULE);
    const first = schedule.next(new Date(Date.UTC(2026, 0, 1)));
    expect(schedule.next(first).getTime() - first.getTime()).toBe(24 * 3600 * 1000);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runAuditDigest } = require('../../../shared/audit/audit-digests') as { runAuditDigest: jest.Mock };
    runAuditDigest.mockResolvedValueOnce({ digestedAt: 'x', written: [], failed: [{ orgId: 'ret-a' }] });
    const context = { log: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn(), invocationId: 'inv-1' };
    const handler = registrations[0]!.options.handler as (timer: unknown, ctx: unknown) => Promise<void>;
    await expect(handler({}, context)).rejects.toThrow(/1 chain/);
    expect(runAuditDigest).toHaveBeenCalledTimes(1);
  });
});
