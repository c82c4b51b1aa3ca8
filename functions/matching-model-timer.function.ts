import { app } from '@azure/functions';
import { reestimateChanged } from '../shared/matching/model-estimation';

/** Daily at 04:10 UTC (six-field NCRONTAB), after the retention sweep has changed populations. */
export const MATCHING_MODEL_SCHEDULE = '0 10 4 * * *';

app.timer('matching-model-timer', {
  schedule: MATCHING_MODEL_SCHEDULE,
  handler: async (_timer, context) => {
    const run = await reestimateChanged();
    context.info(JSON.stringify({ level: 'info', message: 'matching models re-estimated', ...run }));
  },
});
