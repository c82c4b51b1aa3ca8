import { app } from '@azure/functions';
import { MatchMessageSchema, matchRequested, REMATCH_QUEUE } from '../shared/matching/match-queue';

/**
 * Connect the Dots again over a retailer's people after a new estimate of its model: the same work
 * as match-event, from a queue of its own so it never delays the matching of new events.
 */
app.storageQueue('match-rematch', {
  queueName: REMATCH_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const parsed = MatchMessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(JSON.stringify({ level: 'error', message: 'Malformed re-match message dropped', issues: parsed.error.issues.length }));
      return;
    }
    const results = await matchRequested(parsed.data);
    context.info(JSON.stringify({ level: 'info', message: 're-matched', events: results.length }));
  },
});
