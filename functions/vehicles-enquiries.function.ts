import { z } from 'zod';
import { EventSchema } from '../shared/domain/events/event-schema';
import { PlateSchema } from '../shared/domain/lpr/lpr-schema';
import { json, httpRoute, movedRoute } from '../shared/http/route';
import { vehicleEvents } from '../shared/lpr/vehicle-enquiry';

httpRoute({
  name: 'vehicles-enquiries',
  permission: 'vehicle.read',
  method: 'POST',
  route: 'v1/vehicles/enquiries',
  summary:
    'Vehicle enquiry: the events with this plate (normalised, exact) that the caller may see, newest first; the plate in the body, never the URL; audited in each owner’s chain',
  tag: 'LPR',
  purpose: true,
  body: z.object({ plate: PlateSchema }).strict(),
  example: { plate: 'ABC123' },
  responses: { 200: { description: 'The visible events', schema: z.object({ items: z.array(EventSchema) }) } },
  handler: async (ctx) => json(200, await vehicleEvents(ctx, ctx.body.plate)),
});

movedRoute({ name: 'vehicles-events-moved', method: 'GET', route: 'v1/vehicles/{plate}/events', to: 'POST /api/v1/vehicles/enquiries' });
