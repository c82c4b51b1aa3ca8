import { app } from '@azure/functions';
import { runAuditDigest } from '../shared/audit/audit-digests';

/** Daily at 02:30 UTC (six-field NCRONTAB: second minute hour day month day-of-week). */
export const AUDIT_DIGEST_SCHEDULE = '0 30 2 * * *';

app.timer('audit-digest-timer', {
  schedule: AUDIT_DIGEST_SCHEDULE,
  handler: async (_timer, context) => {
    const log = { warn: (message: string, fields?: Record<string, unknown>) => context.warn(JSON.stringify({ level: 'warn', message, ...fields })) };
    const run = await runAuditDigest(log);
    context.log(JSON.stringify({ level: 'info', message: 'Audit digest written', chains: run.written.length, failed: run.failed.length }));
    // A chain that could not be digested fails the run, so monitoring sees it; the next run retries it.
    if (run.failed.length > 0) throw new Error(`Audit digest failed for ${run.failed.length} chain(s).`);
  },
});
