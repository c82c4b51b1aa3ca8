import { app } from '@azure/functions';
import { drainAuditOutbox } from '../shared/audit/audit-outbox';

/** Every minute (six-field NCRONTAB): an entry left in the outbox reaches its chain within about two. */
export const AUDIT_OUTBOX_SWEEP_SCHEDULE = '30 * * * * *';

app.timer('audit-outbox-sweep-timer', {
  schedule: AUDIT_OUTBOX_SWEEP_SCHEDULE,
  handler: async (_timer, context) => {
    const run = await drainAuditOutbox();
    if (run.settled > 0) context.warn(JSON.stringify({ level: 'warn', message: 'Audit outbox documents left behind were settled', ...run }));
  },
});
