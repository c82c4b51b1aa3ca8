import { drainAuditOutbox } from '../shared/audit/audit-outbox';
import { finishStoppedChanges } from '../shared/audit/stopped-changes';
import { timerTrigger } from '../shared/triggers/trigger';

/**
 * Every minute (six-field NCRONTAB): an entry left in the outbox reaches its chain about six minutes
 * after its write (OUTBOX_OVERDUE_MS); a deletion, a merge, a split or an erasure that stopped part-way is finished first.
 */
export const AUDIT_OUTBOX_SWEEP_SCHEDULE = '30 * * * * *';

timerTrigger({
  name: 'audit-outbox-sweep-timer',
  schedule: AUDIT_OUTBOX_SWEEP_SCHEDULE,
  handler: async ({ log }) => {
    const run = await drainAuditOutbox(new Date(), undefined, finishStoppedChanges);
    if (run.settled > 0) log.warn('Audit outbox documents left behind were settled', run);
    return run;
  },
});
