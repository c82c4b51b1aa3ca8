import { z } from 'zod';
import { PublicReportItemSchema, PublicTransparencyQuerySchema, ReportItemSchema, TransparencyQuerySchema } from '../shared/domain/transparency';
import { json, httpRoute } from '../shared/http/route';
import { publicTransparency, retailerTransparency } from '../shared/transparency/transparency-use-cases';

httpRoute({
  name: 'transparency-get',
  permission: 'transparency.read',
  method: 'GET',
  route: 'v1/transparency',
  summary: "Police requests of the caller's retailer per agency × legal basis × month: lists, reads, downloads, vehicle enquiries, distinct case references",
  tag: 'Police accountability',
  query: TransparencyQuerySchema,
  responses: {
    200: {
      description: 'The report, months from `from` to `to` (default: the last twelve)',
      schema: z.object({ retailerId: z.string(), from: z.string(), to: z.string(), items: z.array(ReportItemSchema) }),
    },
  },
  handler: async (ctx) => json(200, await retailerTransparency(ctx, ctx.query)),
});

httpRoute({
  name: 'transparency-public',
  method: 'GET',
  route: 'v1/transparency/public',
  summary: 'Police requests over all retailers per agency × legal basis × month of one year, counts below 5 shown as "<5" (anonymous: a report to publish)',
  tag: 'Police accountability',
  anonymous: true,
  query: PublicTransparencyQuerySchema,
  responses: { 200: { description: 'The report of the year (default: this one)', schema: z.object({ year: z.number().int(), items: z.array(PublicReportItemSchema) }) } },
  // Anyone may ask: a front door in Azure may cache it for a few minutes (the figures change slowly).
  handler: async (ctx) => json(200, await publicTransparency(ctx.query), { 'cache-control': 'public, max-age=300' }),
});
