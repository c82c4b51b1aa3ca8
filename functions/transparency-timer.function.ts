import { tallyStale } from '../shared/transparency/transparency-use-cases';
import { timerTrigger } from '../shared/triggers/trigger';

/** Every 15 minutes (six-field NCRONTAB): tallies the retailers police read since their last tally, so reports stay cheap. */
export const TRANSPARENCY_SCHEDULE = '0 */15 * * * *';

timerTrigger({ name: 'transparency-timer', schedule: TRANSPARENCY_SCHEDULE, handler: () => tallyStale() });
