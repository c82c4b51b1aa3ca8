import { app } from '@azure/functions';
import { resendOverdueMatching } from '../shared/matching/match-pending-sweep';

/** Every five minutes (six-field NCRONTAB: second minute hour day month day-of-week). */
export const MATCH_PENDING_SWEEP_SCHEDULE = '0 */5 * * * *';

app.timer('match-pending-sweep-timer', {
  schedule: MATCH_PENDING_SWEEP_SCHEDULE,
  handler: async (_timer, context) => {
    const log = { warn: (message: string, fields?: Record<string, unknown>) => context.warn(JSON.stringify({ level: 'warn', message, ...fields })) };
    const run = await resendOverdueMatching(log);
    if (run.resent > 0) context.warn(JSON.stringify({ level: 'warn', message: 'Matching requests sent again', ...run }));
  },
});
