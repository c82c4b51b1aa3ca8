import { app } from '@azure/functions';
import { tallyStale } from '../shared/transparency/transparency-use-cases';

/** Every 15 minutes (six-field NCRONTAB): tallies the retailers police read since their last tally, so reports stay cheap. */
export const TRANSPARENCY_SCHEDULE = '0 */15 * * * *';

app.timer('transparency-timer', {
  schedule: TRANSPARENCY_SCHEDULE,
  handler: async (_timer, context) => {
    const run = await tallyStale();
    context.info(JSON.stringify({ level: 'info', message: 'transparency tallies brought up to date', ...run }));
  },
});
