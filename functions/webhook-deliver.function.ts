import { z } from 'zod';
import { attemptDelivery, WEBHOOK_QUEUE } from '../shared/alerts/alert-delivery';
import { queueTrigger } from '../shared/triggers/trigger';

/** One attempt at a webhook delivery; a failure to deliver is re-queued with its backoff by attemptDelivery itself. */
queueTrigger({
  name: 'webhook-deliver',
  queueName: WEBHOOK_QUEUE,
  schema: z.object({ orgId: z.string().min(1), webhookId: z.string().min(1) }),
  handler: async (message) => ({ status: await attemptDelivery(message) }),
});
