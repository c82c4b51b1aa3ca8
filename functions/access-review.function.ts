import { z } from 'zod';
import { AccessReviewQuerySchema, OfficerUseSchema } from '../shared/domain/access-review';
import { json, httpRoute } from '../shared/http/route';
import { accessReview } from '../shared/orgs/access-review';

httpRoute({
  name: 'access-review',
  permission: 'access-review.read',
  method: 'GET',
  route: 'v1/access-review',
  summary: "The agency's officers' use over a period: requests, refusals, legal bases, case references, routes",
  tag: 'Police accountability',
  query: AccessReviewQuerySchema,
  responses: {
    200: {
      description: 'One row per officer who made a request in the period, busiest first',
      schema: z.object({ agencyId: z.string(), from: z.string(), to: z.string(), officers: z.array(OfficerUseSchema) }),
    },
  },
  handler: async (ctx) => json(200, await accessReview(ctx, ctx.query)),
});
