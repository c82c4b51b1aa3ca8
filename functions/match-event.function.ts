import { app } from '@azure/functions';
import { z } from 'zod';
import { matchEvent } from '../shared/matching/match-event';
import { MATCH_QUEUE } from '../shared/matching/match-queue';

const MessageSchema = z.object({ retailerId: z.string().min(1), eventId: z.string().min(1) });

/**
 * Connect the Dots runs after an event is stored, from a queue: at least once, retried on
 * failure, a message that keeps failing kept in the poison queue for inspection; idempotent.
 */
app.storageQueue('match-event', {
  queueName: MATCH_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const parsed = MessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(JSON.stringify({ level: 'error', message: 'Malformed match message dropped', issues: parsed.error.issues.length }));
      return;
    }
    const result = await matchEvent(parsed.data.retailerId, parsed.data.eventId);
    context.info(JSON.stringify({ level: 'info', message: 'matched', ...result }));
  },
});
