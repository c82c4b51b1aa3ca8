import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { deleteEvent } from '../shared/events/delete-event';
import { httpRoute } from '../shared/http/route';

httpRoute({
  name: 'events-delete',
  permission: 'event.delete',
  method: 'DELETE',
  route: 'v1/events/{id}',
  summary: 'Purge an event (the person who reported it may, within 24 h); 409 LEGAL_HOLD while held',
  tag: 'Events',
  params: z.object({ id: ResourceIdSchema }),
  responses: { 204: { description: 'Purged with its people, profile memberships and evidence' } },
  handler: async (ctx) => {
    await deleteEvent(ctx, ctx.params.id);
    return { status: 204 as const };
  },
});
