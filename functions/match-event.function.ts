import { app } from '@azure/functions';
import { MATCH_QUEUE, MatchMessageSchema, matchRequested } from '../shared/matching/match-queue';

/**
 * Connect the Dots runs after an event is stored, from a queue: at least once, retried on
 * failure, a message that keeps failing kept in the poison queue for inspection; idempotent.
 */
app.storageQueue('match-event', {
  queueName: MATCH_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const parsed = MatchMessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(JSON.stringify({ level: 'error', message: 'Malformed match message dropped', issues: parsed.error.issues.length }));
      return;
    }
    for (const result of await matchRequested(parsed.data)) context.info(JSON.stringify({ level: 'info', message: 'matched', ...result }));
  },
});
