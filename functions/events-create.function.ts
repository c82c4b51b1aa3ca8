import { httpEtag } from '../shared/http/etag';
import { EventInputSchema, EventSchema } from '../shared/domain/events/event-schema';
import { createEventOnce } from '../shared/events/create-event';
import { idempotencyKey } from '../shared/http/headers';
import { httpRoute } from '../shared/http/route';

httpRoute({
  name: 'events-create',
  permission: 'event.create',
  method: 'POST',
  route: 'v1/events',
  summary: 'Report an event; optional Idempotency-Key',
  tag: 'Events',
  body: EventInputSchema,
  example: {
    storeId: 'akl-042',
    occurredAt: '2026-11-20T14:05:00+13:00',
    type: 'shoplifting',
    prevented: false,
    description: 'Concealed razor blades in a bag and left without paying.',
    products: [{ sku: '9400123', name: 'Razor blades 8pk', quantity: 3, unitValue: 24.99 }],
    currency: 'NZD',
    people: [{ ref: 'p1', role: 'offender', name: { given: 'Jon', family: 'Smith' }, ageRange: { min: 25, max: 35 }, clothing: 'grey hoodie, black cap' }],
    vehicles: [{ plate: 'ABC123', make: 'Toyota', colour: 'silver' }],
    violence: { threatened: true, used: false, weapon: 'none' },
  },
  requestHeaders: ['idempotency-key'],
  responses: { 201: { description: 'The stored event, every person with its profileId', schema: EventSchema, headers: ['location', 'etag'] } },
  handler: async (ctx) =>
    createEventOnce(ctx, ctx.body, ctx.rawBody, idempotencyKey(ctx.request), ({ event, etag }) => ({
      status: 201 as const,
      headers: { location: `/api/v1/events/${event.id}`, etag: httpEtag(etag) },
      body: event,
    })),
});
