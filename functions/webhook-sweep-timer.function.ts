import { app } from '@azure/functions';
import { sweepDeliveries } from '../shared/alerts/alert-delivery';

/** Every 2 minutes (six-field NCRONTAB): webhook deliveries whose attempt is overdue go back on the queue. */
export const WEBHOOK_SWEEP_SCHEDULE = '0 */2 * * * *';

app.timer('webhook-sweep-timer', {
  schedule: WEBHOOK_SWEEP_SCHEDULE,
  handler: async (_timer, context) => {
    const run = await sweepDeliveries();
    if (run.requeued) context.info(JSON.stringify({ level: 'info', message: 'overdue webhook deliveries queued again', ...run }));
  },
});
