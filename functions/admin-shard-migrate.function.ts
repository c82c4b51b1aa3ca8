import { z } from 'zod';
import { json, httpRoute } from '../shared/http/route';
import { runShardMigrationJob } from '../shared/migration/shard-migration';

httpRoute({
  name: 'admin-shard-migrate',
  permission: 'job.run',
  method: 'POST',
  route: 'v1/admin/jobs/shard-migrate',
  summary: 'Move the documents of containers that became sharded (records, links, match keys, Idempotency-Key records) into their shards; resumable, safe to run again',
  tag: 'Audit',
  responses: {
    200: {
      description: 'What the run moved; documents that failed stay for the next run',
      schema: z.object({
        moved: z.array(z.object({ container: z.enum(['matchkeys-unsharded', 'idempotency-unsharded', 'events-unsharded', 'links-unsharded', 'evidence-unsharded', 'lpr-alerts-unsharded']), documents: z.number().int() })),
        failed: z.number().int(),
      }),
    },
  },
  handler: async (ctx) => json(200, await runShardMigrationJob(ctx, ctx.log)),
});
