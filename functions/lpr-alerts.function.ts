import { z } from 'zod';
import { ResourceIdSchema } from '../shared/domain/events/event-schema';
import { LprAlertListQuerySchema, LprAlertSchema } from '../shared/domain/lpr/lpr-schema';
import { json, httpRoute } from '../shared/http/route';
import { getLprAlert, listLprAlerts } from '../shared/lpr/alert-use-cases';

httpRoute({
  name: 'lpr-alerts-list',
  permission: 'lpr.alert.read',
  method: 'GET',
  route: 'v1/lpr/alerts',
  summary: 'Stored LPR alerts of the caller’s retailer, newest first',
  tag: 'LPR',
  query: LprAlertListQuerySchema,
  responses: { 200: { description: 'One page', schema: z.object({ items: z.array(LprAlertSchema), continuationToken: z.string().nullable() }) } },
  handler: async (ctx) => json(200, await listLprAlerts(ctx, ctx.query)),
});

httpRoute({
  name: 'lpr-alerts-get',
  permission: 'lpr.alert.read',
  method: 'GET',
  route: 'v1/lpr/alerts/{id}',
  summary: 'One stored LPR alert',
  tag: 'LPR',
  params: z.object({ id: ResourceIdSchema }),
  responses: { 200: { description: 'The alert', schema: LprAlertSchema } },
  handler: async (ctx) => json(200, await getLprAlert(ctx, ctx.params.id)),
});
