import { httpEtag } from '../shared/domain/etag';
import { EventInputSchema, EventSchema } from '../shared/domain/events/event-schema';
import { assertNoSensitiveFields } from '../shared/domain/screening';
import { createEventOnce } from '../shared/events/event-use-cases';
import { idempotencyKey } from '../shared/http/headers';
import { httpRoute } from '../shared/http/route';

httpRoute({
  name: 'events-create',
  permission: 'event.create',
  method: 'POST',
  route: 'v1/events',
  summary: 'Report an event (Reporter, Investigator, Integration); optional Idempotency-Key',
  tag: 'Events',
  body: EventInputSchema,
  inspectBody: assertNoSensitiveFields,
  requestHeaders: ['idempotency-key'],
  responses: { 201: { description: 'The stored event, every person with its profileId', schema: EventSchema, headers: ['location', 'etag'] } },
  handler: async (ctx) =>
    createEventOnce(ctx, ctx.body, ctx.rawBody, idempotencyKey(ctx.request), ({ event, etag }) => ({
      status: 201 as const,
      headers: { location: `/api/v1/events/${event.id}`, etag: httpEtag(etag) },
      body: event,
    })),
});
