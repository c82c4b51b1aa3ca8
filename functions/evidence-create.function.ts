import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { CreateEvidenceReplySchema, CreateEvidenceSchema } from '../shared/domain/evidence/evidence-schema';
import { createEvidence } from '../shared/evidence/evidence-use-cases';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'evidence-create',
  permission: 'evidence.create',
  method: 'POST',
  route: 'v1/events/{id}/evidence',
  summary: 'Declare evidence for an event: a pending record and a create-only upload URL valid 15 minutes',
  tag: 'Evidence',
  params: z.object({ id: ResourceIdSchema }),
  body: CreateEvidenceSchema,
  example: { fileName: 'till-camera-2.mp4', contentType: 'video/mp4', size: 48_213_004, kind: 'cctv' },
  responses: { 201: { description: 'The evidence id and where to PUT its bytes, once', schema: CreateEvidenceReplySchema, headers: ['location'] } },
  handler: async (ctx) => {
    const created = await createEvidence(ctx, ctx.params.id, ctx.body);
    return json(201, created, { location: `/api/v1/evidence/${created.evidenceId}` });
  },
});
