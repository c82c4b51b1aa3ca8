import { reestimateChanged } from '../shared/matching/model-estimation';
import { timerTrigger } from '../shared/triggers/trigger';

/** Daily at 04:10 UTC (six-field NCRONTAB), after the retention sweep has changed populations. */
export const MATCHING_MODEL_SCHEDULE = '0 10 4 * * *';

timerTrigger({ name: 'matching-model-timer', schedule: MATCHING_MODEL_SCHEDULE, handler: () => reestimateChanged() });
