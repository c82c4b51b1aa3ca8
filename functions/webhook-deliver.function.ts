import { app } from '@azure/functions';
import { z } from 'zod';
import { attemptDelivery, WEBHOOK_QUEUE } from '../shared/alerts/alert-delivery';

const MessageSchema = z.object({ orgId: z.string().min(1), webhookId: z.string().min(1) });

/** One attempt at a webhook delivery; a failure to deliver is re-queued with its backoff by attemptDelivery itself. */
app.storageQueue('webhook-deliver', {
  queueName: WEBHOOK_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const parsed = MessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(JSON.stringify({ level: 'error', message: 'Malformed delivery message dropped' }));
      return;
    }
    const status = await attemptDelivery(parsed.data);
    context.info(JSON.stringify({ level: 'info', message: 'webhook delivery attempted', status }));
  },
});
