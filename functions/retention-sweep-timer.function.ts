import { app } from '@azure/functions';
import { runRetentionSweep } from '../shared/retention/retention-sweep';

/** Daily at 03:15 UTC, after the audit digest (six-field NCRONTAB: second minute hour day month day-of-week). */
export const RETENTION_SWEEP_SCHEDULE = '0 15 3 * * *';

app.timer('retention-sweep-timer', {
  schedule: RETENTION_SWEEP_SCHEDULE,
  handler: async (_timer, context) => {
    const log = { warn: (message: string, fields?: Record<string, unknown>) => context.warn(JSON.stringify({ level: 'warn', message, ...fields })) };
    const run = await runRetentionSweep(log, { trigger: 'timer', requestId: `retention:${context.invocationId}` });
    context.log(JSON.stringify({ level: 'info', message: 'Retention sweep done', ...run.totals, more: run.more, failed: run.failed.length }));
    // A retailer that could not be swept fails the run, so monitoring sees it; the next run retries it.
    if (run.failed.length > 0) throw new Error(`Retention sweep failed for ${run.failed.length} retailer(s).`);
  },
});
