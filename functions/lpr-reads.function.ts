import { PayloadTooLargeError } from '../shared/domain/errors';
import { MAX_READS_PER_BATCH, PlateReadBatchSchema, PlateReadResultSchema } from '../shared/domain/lpr/lpr-schema';
import { json, httpRoute } from '../shared/http/route';
import { processReads } from '../shared/lpr/lpr-reads';

httpRoute({
  name: 'lpr-reads',
  permission: 'lpr.read',
  method: 'POST',
  route: 'v1/lpr/reads',
  summary:
    'Check a batch of up to 500 plate reads. Answers the alerts; reads that do not alert are not stored or logged, only counted. ' +
    'One invalid read refuses the whole batch (400 naming each bad read); more than 500 reads is a 413.',
  tag: 'LPR',
  body: PlateReadBatchSchema,
  example: { reads: [{ plate: 'ABC123', storeId: 'akl-042', cameraId: 'carpark-entry', readAt: '2026-11-20T14:01:12Z', confidence: 0.94 }] },
  // Before the schema, so a batch that is too long is a 413 rather than a 400.
  inspectBody: (raw) => {
    const reads = (raw as { reads?: unknown } | null)?.reads;
    if (Array.isArray(reads) && reads.length > MAX_READS_PER_BATCH) {
      throw new PayloadTooLargeError(`At most ${MAX_READS_PER_BATCH} reads per request; split the batch.`);
    }
  },
  responses: { 200: { description: 'The alerts, and counts of reads and misses', schema: PlateReadResultSchema } },
  handler: async (ctx) => json(200, await processReads(ctx, ctx.body)),
});
