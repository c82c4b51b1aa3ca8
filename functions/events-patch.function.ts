import { httpEtag, ifMatchOf } from '../shared/http/etag';
import { z } from 'zod';
import { EventSchema, ResourceIdSchema } from '../shared/domain/events/event-schema';
import { patchEvent } from '../shared/events/correct-event';
import { json, httpRoute } from '../shared/http/route';

httpRoute({
  name: 'events-patch',
  permission: 'event.update',
  method: 'PATCH',
  route: 'v1/events/{id}',
  summary: 'Correct an event: JSON merge patch, If-Match required (428 without, 412 when stale)',
  tag: 'Events',
  params: z.object({ id: ResourceIdSchema }),
  body: z.record(z.string(), z.unknown()),
  example: { description: 'Concealed two packs of razor blades in a bag and left without paying.', prevented: false },
  requestHeaders: ['if-match'],
  responses: { 200: { description: 'The corrected event, with its new ETag', schema: EventSchema, headers: ['etag'] } },
  handler: async (ctx) => {
    // The patch as sent (the schema above only checks it is an object): validation rebuilds objects by assignment, which would turn a "__proto__" key into a prototype and drop it unseen.
    const { event, etag } = await patchEvent(ctx, ctx.params.id, ctx.rawBody, ifMatchOf(ctx.request.headers.get('if-match')));
    // No ETag when the version written cannot be told (its answer was lost and another write came since).
    return json(200, event, etag ? { etag: httpEtag(etag) } : {});
  },
});
