import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { EvidenceSchema } from '../shared/domain/evidence/evidence-schema';
import { getEvidence } from '../shared/evidence/evidence-use-cases';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'evidence-get',
  permission: 'evidence.read',
  method: 'GET',
  route: 'v1/evidence/{id}',
  summary: 'Evidence metadata and processing status',
  tag: 'Evidence',
  purpose: true,
  params: z.object({ id: ResourceIdSchema }),
  responses: { 200: { description: 'The evidence record', schema: EvidenceSchema } },
  handler: async (ctx) => json(200, await getEvidence(ctx, ctx.params.id)),
});
