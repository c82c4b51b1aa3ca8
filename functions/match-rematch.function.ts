import { MatchMessageSchema, matchRequested, REMATCH_QUEUE } from '../shared/matching/match-queue';
import { queueTrigger } from '../shared/triggers/trigger';

/**
 * Connect the Dots again over a retailer's people after a new estimate of its model: the same work
 * as match-event, from a queue of its own so it never delays the matching of new events.
 */
queueTrigger({
  name: 'match-rematch',
  queueName: REMATCH_QUEUE,
  schema: MatchMessageSchema,
  handler: async (message) => ({ rematched: (await matchRequested(message)).length }),
});
