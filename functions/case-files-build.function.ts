import { app } from '@azure/functions';
import { z } from 'zod';
import { buildCaseFile } from '../shared/case-files/build-case-file';
import { CASE_FILE_QUEUE } from '../shared/case-files/case-file-use-cases';

const MessageSchema = z.object({ orgId: z.string().min(1), id: z.string().min(1) });

/** Builds one case file; a transient failure throws, and the queue delivers it again (the build counts its attempts). */
app.storageQueue('case-files-build', {
  queueName: CASE_FILE_QUEUE,
  connection: 'AzureWebJobsStorage',
  handler: async (message, context) => {
    const parsed = MessageSchema.safeParse(message);
    if (!parsed.success) {
      context.error(JSON.stringify({ level: 'error', message: 'Malformed case-file message dropped' }));
      return;
    }
    const outcome = await buildCaseFile(parsed.data);
    context.info(JSON.stringify({ level: 'info', message: 'case file build', id: parsed.data.id, outcome }));
  },
});
