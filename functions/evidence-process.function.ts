import { parseEvidenceBlobPath } from '../shared/domain/evidence/evidence-rules';
import { processUpload } from '../shared/evidence/evidence-processor';
import { blobTrigger } from '../shared/triggers/trigger';

/**
 * Processes each upload that lands in `evidence-uploads/<retailer>/<evidence id>`. Event
 * Grid-sourced, as Flex Consumption requires; locally the host delivers new blobs by scanning.
 * The bytes the runtime passes are ignored: the processor streams the blob itself, so memory
 * stays constant whatever the size. A thrown error makes the runtime deliver again, which
 * the processor finishes from wherever it stopped.
 */
blobTrigger({
  name: 'evidence-process',
  path: 'evidence-uploads/{orgId}/{evidenceId}',
  handler: async (path, { requestId, log }) => {
    const ref = parseEvidenceBlobPath(path);
    if (!ref) {
      log.warn('Not an evidence upload name, left alone', { path });
      return { ignored: true };
    }
    return { evidenceId: ref.evidenceId, outcome: await processUpload(ref, { requestId }) };
  },
});
