import { MATCH_QUEUE, MatchMessageSchema, matchRequested } from '../shared/matching/match-queue';
import { queueTrigger } from '../shared/triggers/trigger';

/**
 * Connect the Dots runs after an event is stored, from a queue: at least once, retried on
 * failure, a message that keeps failing kept in the poison queue for inspection; idempotent.
 */
queueTrigger({
  name: 'match-event',
  queueName: MATCH_QUEUE,
  schema: MatchMessageSchema,
  handler: async (message, { log }) => {
    const results = await matchRequested(message);
    for (const result of results) log.info('matched', { ...result });
    return { events: results.length };
  },
});
