import { z } from 'zod';
import { buildCaseFile } from '../shared/case-files/build-case-file';
import { CASE_FILE_QUEUE } from '../shared/case-files/case-file-use-cases';
import { queueTrigger } from '../shared/triggers/trigger';

/** Builds one case file; a transient failure throws, and the queue delivers it again (the build counts its attempts). */
queueTrigger({
  name: 'case-files-build',
  queueName: CASE_FILE_QUEUE,
  schema: z.object({ orgId: z.string().min(1), id: z.string().min(1) }),
  handler: async (message) => ({ id: message.id, outcome: await buildCaseFile(message) }),
});
