import { app, type InvocationContext } from '@azure/functions';
import { parseEvidenceBlobPath } from '../shared/domain/evidence/evidence-rules';
import { processUpload } from '../shared/evidence/evidence-processor';

/**
 * Processes each upload that lands in `evidence-uploads/<retailer>/<evidence id>`. Event
 * Grid-sourced, as Flex Consumption requires; locally the host delivers new blobs by scanning.
 * The bytes the runtime passes are ignored: the processor streams the blob itself, so memory
 * stays constant whatever the size. A thrown error makes the runtime deliver again, which
 * the processor finishes from wherever it stopped.
 */
app.storageBlob('evidence-process', {
  path: 'evidence-uploads/{orgId}/{evidenceId}',
  connection: 'AzureWebJobsStorage',
  source: 'EventGrid',
  handler: async (_ignored: unknown, context: InvocationContext) => {
    const path = String(context.triggerMetadata?.blobTrigger ?? '');
    const ref = parseEvidenceBlobPath(path);
    if (!ref) {
      context.warn(`Not an evidence upload name, left alone: ${path}`);
      return;
    }
    const outcome = await processUpload(ref, { requestId: context.invocationId });
    context.info(`Evidence ${ref.evidenceId}: ${outcome}`);
  },
});
