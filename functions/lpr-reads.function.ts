import { PlateReadBatchSchema, PlateReadResultSchema } from '../shared/domain/lpr/lpr-schema';
import { json, httpRoute } from '../shared/http/route';
import { processReads } from '../shared/lpr/lpr-reads';

httpRoute({
  name: 'lpr-reads',
  permission: 'lpr.read',
  method: 'POST',
  route: 'v1/lpr/reads',
  summary:
    'Check a batch of up to 500 plate reads. Answers the alerts; reads that do not alert are not stored or logged, only counted. ' +
    'One invalid read, or more than 500, refuses the whole batch (400 naming each bad read); a read at a store outside the caller\'s `stores` claim, 403 STORE_OUT_OF_SCOPE.',
  tag: 'LPR',
  body: PlateReadBatchSchema,
  example: { reads: [{ plate: 'ABC123', storeId: 'akl-042', cameraId: 'carpark-entry', readAt: '2026-11-20T14:01:12Z', confidence: 0.94 }] },
  responses: { 200: { description: 'The alerts, and counts of reads and misses', schema: PlateReadResultSchema } },
  handler: async (ctx) => json(200, await processReads(ctx, ctx.body)),
});
