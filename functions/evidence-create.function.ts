import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { CreateEvidenceReplySchema, CreateEvidenceSchema } from '../shared/domain/evidence/evidence-schema';
import { createEvidence } from '../shared/evidence/evidence-use-cases';
import { json, httpRoute } from '../shared/http/route';
import { idempotencyKey } from '../shared/http/headers';
import { respondOnce } from '../shared/events/idempotency';

httpRoute({
  name: 'evidence-create',
  permission: 'evidence.create',
  method: 'POST',
  route: 'v1/events/{id}/evidence',
  summary: 'Declare evidence for an event: a pending record and a create-only upload URL valid 15 minutes; optional Idempotency-Key (a retry with the same key and body gets the first answer)',
  tag: 'Evidence',
  params: z.object({ id: ResourceIdSchema }),
  body: CreateEvidenceSchema,
  requestHeaders: ['idempotency-key'],
  example: { fileName: 'till-camera-2.mp4', contentType: 'video/mp4', size: 48_213_004, kind: 'cctv' },
  responses: { 201: { description: 'The evidence id and where to PUT its bytes, once', schema: CreateEvidenceReplySchema, headers: ['location'] } },
  handler: async (ctx) => {
    // Scoped by the event: one key on two events' evidence is two requests.
    const once = { orgId: ctx.principal.orgId, sub: ctx.principal.sub, key: idempotencyKey(ctx.request), rawBody: ctx.rawBody, scope: `evidence:${ctx.params.id}`, eventId: ctx.params.id };
    return respondOnce(once, async (claimedId) => {
      const created = await createEvidence(ctx, ctx.params.id, ctx.body, new Date(), claimedId);
      return json(201, created, { location: `/api/v1/evidence/${created.evidenceId}` });
    });
  },
});
