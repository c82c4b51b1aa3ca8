import { runRetentionSweep } from '../shared/retention/retention-sweep';
import { timerTrigger } from '../shared/triggers/trigger';

/** Daily at 03:15 UTC, after the audit digest (six-field NCRONTAB: second minute hour day month day-of-week). */
export const RETENTION_SWEEP_SCHEDULE = '0 15 3 * * *';

timerTrigger({
  name: 'retention-sweep-timer',
  schedule: RETENTION_SWEEP_SCHEDULE,
  handler: async ({ requestId, log }) => {
    const run = await runRetentionSweep(log, { trigger: 'timer', requestId: `retention:${requestId}` });
    // A retailer that could not be swept fails the run, so monitoring sees it; the next run retries it.
    if (run.failed.length > 0) throw new Error(`Retention sweep failed for ${run.failed.length} retailer(s).`);
    return { ...run.totals, more: run.more };
  },
});
