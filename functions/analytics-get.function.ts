import { z } from 'zod';
import { AnalyticsQuerySchema, GROUP_BY } from '../shared/domain/analytics/aggregates';
import { analytics } from '../shared/analytics/analytics-use-cases';
import { json, httpRoute } from '../shared/http/route';

const Figures = {
  events: z.number().int(),
  /** The same number as `events`, under the name PRODUCT §9 gives it. */
  count: z.number().int(),
  prevented: z.number().int(),
  preventedShare: z.number(),
  repeatOffenderEvents: z.number().int(),
  repeatOffenderShare: z.number(),
  violentEvents: z.number().int(),
  lossValue: z.number(),
  lossValueByCurrency: z.record(z.string(), z.number()),
  quantity: z.number().optional(),
  value: z.number().optional(),
};

httpRoute({
  name: 'analytics-get',
  permission: 'analytics.read',
  method: 'GET',
  route: 'v1/analytics',
  summary: 'Counts, loss value, prevented and repeat-offender shares per product, store, hour, weekday or type, over live events and retention aggregates',
  tag: 'Analytics',
  query: AnalyticsQuerySchema,
  responses: {
    200: {
      description: 'Figures per group, largest first, and for the whole range',
      schema: z.object({
        from: z.string(),
        to: z.string(),
        groupBy: z.enum(GROUP_BY),
        groups: z.array(z.object({ key: z.string(), ...Figures })),
        totals: z.object(Figures),
      }),
    },
  },
  handler: async (ctx) => json(200, await analytics(ctx, ctx.query)),
});
