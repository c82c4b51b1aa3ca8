import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { evidenceContentUrl } from '../shared/evidence/evidence-use-cases';
import { httpRoute } from '../shared/http/route';

httpRoute({
  name: 'evidence-download',
  permission: 'evidence.download',
  method: 'GET',
  route: 'v1/evidence/{id}/content',
  summary: 'Download evidence: 302 to a read-only URL valid 5 minutes; audited',
  tag: 'Evidence',
  purpose: true,
  params: z.object({ id: ResourceIdSchema }),
  conflicts: ['EVIDENCE_NOT_READY'],
  responses: { 302: { description: 'Location is a read-only URL for the stored bytes', headers: ['location'] } },
  handler: async (ctx) => ({
    status: 302 as const,
    headers: { location: await evidenceContentUrl(ctx, ctx.params.id), 'cache-control': 'no-store' },
  }),
});
