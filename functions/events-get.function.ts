import { httpEtag } from '../shared/http/etag';
import { z } from 'zod';
import { EventSchema, ResourceIdSchema } from '../shared/domain/events/event-schema';
import { getEvent } from '../shared/events/read-events';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'events-get',
  permission: 'event.read',
  method: 'GET',
  route: 'v1/events/{id}',
  summary: 'Read an event',
  tag: 'Events',
  purpose: true,
  params: z.object({ id: ResourceIdSchema }),
  responses: { 200: { description: 'The event, with its ETag', schema: EventSchema, headers: ['etag'] } },
  handler: async (ctx) => {
    const { event, etag } = await getEvent(ctx, ctx.params.id);
    return json(200, event, { etag: httpEtag(etag) });
  },
});
