import { app } from '@azure/functions';
import { queueDigests } from '../shared/alerts/alert-delivery';

/** Daily at 06:00 UTC (six-field NCRONTAB): yesterday's digest for every digest subscription. */
export const DIGEST_SCHEDULE = '0 0 6 * * *';

app.timer('webhook-digest-timer', {
  schedule: DIGEST_SCHEDULE,
  handler: async (_timer, context) => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const run = await queueDigests(yesterday);
    context.info(JSON.stringify({ level: 'info', message: 'daily digests queued', day: yesterday, ...run }));
  },
});
