import { z } from 'zod';
import { EventListQuerySchema } from '../shared/domain/events/event-list';
import { EventSchema } from '../shared/domain/events/event-schema';
import { listEvents } from '../shared/events/read-events';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'events-list',
  permission: 'event.read',
  method: 'GET',
  route: 'v1/events',
  summary: 'List events, newest first, filtered and paged',
  tag: 'Events',
  purpose: true,
  query: EventListQuerySchema,
  movedQuery: { plate: 'POST /api/v1/vehicles/enquiries' },
  responses: {
    200: {
      description: 'One page; pass continuationToken back for the next',
      schema: z.object({ items: z.array(EventSchema), continuationToken: z.string().nullable() }),
    },
  },
  handler: async (ctx) => json(200, await listEvents(ctx, ctx.query)),
});
