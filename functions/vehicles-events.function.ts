import { z } from 'zod';
import { EventSchema } from '../shared/domain/events/event-schema';
import { PlateSchema } from '../shared/domain/lpr/lpr-schema';
import { json, httpRoute } from '../shared/http/route';
import { vehicleEvents } from '../shared/lpr/vehicle-enquiry';

httpRoute({
  name: 'vehicles-events',
  method: 'GET',
  route: 'v1/vehicles/{plate}/events',
  summary: 'Vehicle enquiry: the events with this plate (normalised, exact) that the caller may see, newest first (PoliceOfficer, Investigator); audited in each owner’s chain',
  tag: 'LPR',
  params: z.object({ plate: PlateSchema }),
  responses: { 200: { description: 'The visible events', schema: z.object({ items: z.array(EventSchema) }) } },
  handler: async (ctx) => json(200, await vehicleEvents(ctx, ctx.params.plate)),
});
