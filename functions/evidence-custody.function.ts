import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { CustodyQuerySchema, CustodyReportSchema } from '../shared/domain/evidence/evidence-schema';
import { custodyReport } from '../shared/evidence/evidence-use-cases';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'evidence-custody',
  permission: 'evidence.custody',
  method: 'GET',
  route: 'v1/evidence/{id}/custody',
  summary: 'Chain of custody; ?verify=true re-hashes the stored bytes',
  tag: 'Evidence',
  purpose: true,
  params: z.object({ id: ResourceIdSchema }),
  query: CustodyQuerySchema,
  responses: { 200: { description: 'Every audit entry about the item, in order, with the recorded SHA-256', schema: CustodyReportSchema } },
  handler: async (ctx) => json(200, await custodyReport(ctx, ctx.params.id, ctx.query.verify)),
});
