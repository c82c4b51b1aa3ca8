import { queueDigests } from '../shared/alerts/alert-delivery';
import { timerTrigger } from '../shared/triggers/trigger';

/** Daily at 06:00 UTC (six-field NCRONTAB): yesterday's digest for every digest subscription. */
export const DIGEST_SCHEDULE = '0 0 6 * * *';

timerTrigger({
  name: 'webhook-digest-timer',
  schedule: DIGEST_SCHEDULE,
  handler: async () => {
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    return { day: yesterday, ...(await queueDigests(yesterday)) };
  },
});
