import { httpEtag } from '../shared/http/etag';
import { z } from 'zod';
import { EventSchema, LegalHoldInputSchema, ResourceIdSchema } from '../shared/domain/events/event-schema';
import { setLegalHold } from '../shared/events/legal-hold';
import { json, httpRoute } from '../shared/http/route';

const params = z.object({ id: ResourceIdSchema });
const responses = { 200: { description: 'The event with its legal hold', schema: EventSchema, headers: ['etag' as const] } };

httpRoute({
  name: 'events-legal-hold-place',
  permission: 'event.hold',
  method: 'PUT',
  route: 'v1/events/{id}/legal-hold',
  summary: 'Place a legal hold: the event cannot be deleted or purged',
  tag: 'Events',
  params,
  body: LegalHoldInputSchema,
  example: { reason: 'Court order CRI-2026-404-000123' },
  responses,
  handler: async (ctx) => {
    const { event, etag } = await setLegalHold(ctx, ctx.params.id, ctx.body.reason);
    return json(200, event, { etag: httpEtag(etag) });
  },
});

httpRoute({
  name: 'events-legal-hold-remove',
  permission: 'event.hold',
  method: 'DELETE',
  route: 'v1/events/{id}/legal-hold',
  summary: 'Lift a legal hold',
  tag: 'Events',
  params,
  responses,
  handler: async (ctx) => {
    const { event, etag } = await setLegalHold(ctx, ctx.params.id, null);
    return json(200, event, { etag: httpEtag(etag) });
  },
});
