import { json, httpRoute } from '../shared/http/route';
import { getMatchingModel, MatchingModelViewSchema } from '../shared/matching/model-use-cases';

httpRoute({
  name: 'matching-model-get',
  permission: 'matching-model.read',
  method: 'GET',
  route: 'v1/matching/model',
  summary: "The retailer's Connect the Dots model: m, u and weight per signal and level, when it was estimated and from how many people",
  tag: 'Connect the Dots',
  responses: { 200: { description: 'The current model', schema: MatchingModelViewSchema } },
  handler: async (ctx) => json(200, await getMatchingModel(ctx)),
});
