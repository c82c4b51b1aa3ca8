import { parseTimerSchedule } from '../../../tools/local-host/triggers/timer-schedule';

const registrations: { name: string; options: { schedule: string; handler: unknown } }[] = [];
jest.mock('@azure/functions', () => ({
  app: { timer: (name: string, options: { schedule: string; handler: unknown }) => registrations.push({ name, options }) },
}));
jest.mock('../../../shared/audit/audit-outbox', () => ({ ...jest.requireActual('../../../shared/audit/audit-outbox'), drainAuditOutbox: jest.fn() }));

describe('the audit outbox sweep timer', () => {
  it('runs every minute and says when it settled what requests left behind', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { AUDIT_OUTBOX_SWEEP_SCHEDULE } = require('../../../functions/audit-outbox-sweep-timer.function');
    expect(registrations.map((r) => r.name)).toEqual(['audit-outbox-sweep-timer']);
    const schedule = parseTimerSchedule(AUDIT_OUTBOX_SWEEP_SCHEDULE);
    const first = schedule.next(new Date(Date.UTC(2026, 0, 1)));
    expect(schedule.next(first).getTime() - first.getTime()).toBe(60 * 1000);

    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { drainAuditOutbox } = require('../../../shared/audit/audit-outbox') as { drainAuditOutbox: jest.Mock };
    const handler = registrations[0]!.options.handler as (timer: unknown, ctx: unknown) => Promise<void>;
    const context = { log: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn(), invocationId: 'inv-1' };
    drainAuditOutbox.mockResolvedValueOnce({ settled: 0, more: false });
    await handler({}, context);
    expect(context.warn).not.toHaveBeenCalled();
    // Deletions, merges, splits and erasures that stopped part-way are finished before their entries are appended.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { finishStoppedChanges } = require('../../../shared/audit/stopped-changes') as typeof import('../../../shared/audit/stopped-changes');
    expect(drainAuditOutbox).toHaveBeenCalledWith(expect.any(Date), undefined, finishStoppedChanges);
    drainAuditOutbox.mockResolvedValueOnce({ settled: 3, more: false });
    await handler({}, context);
    expect(context.warn).toHaveBeenCalledWith(expect.stringContaining('"settled":3'));
  });
});
