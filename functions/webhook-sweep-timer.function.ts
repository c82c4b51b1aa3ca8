import { sweepDeliveries } from '../shared/alerts/alert-delivery';
import { timerTrigger } from '../shared/triggers/trigger';

/** Every 2 minutes (six-field NCRONTAB): webhook deliveries whose attempt is overdue go back on the queue. */
export const WEBHOOK_SWEEP_SCHEDULE = '0 */2 * * * *';

timerTrigger({ name: 'webhook-sweep-timer', schedule: WEBHOOK_SWEEP_SCHEDULE, handler: () => sweepDeliveries() });
