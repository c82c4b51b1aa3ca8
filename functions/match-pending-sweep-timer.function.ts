import { resendOverdueMatching } from '../shared/matching/match-pending-sweep';
import { timerTrigger } from '../shared/triggers/trigger';

/** Every five minutes (six-field NCRONTAB: second minute hour day month day-of-week). */
export const MATCH_PENDING_SWEEP_SCHEDULE = '0 */5 * * * *';

timerTrigger({
  name: 'match-pending-sweep-timer',
  schedule: MATCH_PENDING_SWEEP_SCHEDULE,
  handler: async ({ log }) => {
    const run = await resendOverdueMatching(log);
    if (run.resent > 0) log.warn('Matching requests sent again', run);
    return run;
  },
});
