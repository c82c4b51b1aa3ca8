import { app } from '@azure/functions';
import { MODEL_QUEUE, ModelMessageSchema, reestimateModel } from '../shared/matching/model-estimation';

/** Re-estimates one retailer's Connect the Dots model when the matcher finds it stale. */
app.storageQueue('matching-model', {
  queueName: MODEL_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const parsed = ModelMessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(JSON.stringify({ level: 'error', message: 'Malformed model message dropped' }));
      return;
    }
    const model = await reestimateModel(parsed.data.retailerId);
    context.info(JSON.stringify({ level: 'info', message: 'matching model estimated', people: model.people, pairs: model.pairs, iterations: model.iterations }));
  },
});
