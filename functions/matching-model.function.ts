import { MODEL_QUEUE, ModelMessageSchema, reestimateModel } from '../shared/matching/model-estimation';
import { queueTrigger } from '../shared/triggers/trigger';

/** Re-estimates one retailer's Connect the Dots model when the matcher finds it stale. */
queueTrigger({
  name: 'matching-model',
  queueName: MODEL_QUEUE,
  schema: ModelMessageSchema,
  handler: async ({ retailerId }) => {
    const model = await reestimateModel(retailerId);
    return { people: model.people, pairs: model.pairs, iterations: model.iterations };
  },
});
