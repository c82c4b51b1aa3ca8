import { runAuditDigest } from '../shared/audit/audit-digests';
import { timerTrigger } from '../shared/triggers/trigger';

/** Daily at 02:30 UTC (six-field NCRONTAB: second minute hour day month day-of-week). */
export const AUDIT_DIGEST_SCHEDULE = '0 30 2 * * *';

timerTrigger({
  name: 'audit-digest-timer',
  schedule: AUDIT_DIGEST_SCHEDULE,
  handler: async ({ log }) => {
    const run = await runAuditDigest(log);
    // A chain that could not be digested fails the run, so monitoring sees it; the next run retries it.
    if (run.failed.length > 0) throw new Error(`Audit digest failed for ${run.failed.length} chain(s).`);
    return { chains: run.written.length };
  },
});
