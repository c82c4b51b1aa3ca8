import { z } from 'zod';
import { json, httpRoute } from '../shared/http/route';
import { runAuditMigrationJob } from '../shared/audit/audit-use-cases';

httpRoute({
  name: 'admin-audit-migrate',
  permission: 'job.run',
  method: 'POST',
  route: 'v1/admin/jobs/audit-migrate',
  summary: 'Move the audit chains begun before segments into bounded partitions; resumable, safe to run again',
  tag: 'Audit',
  responses: {
    200: {
      description: 'What the run moved; chains that failed are resumed by the next run',
      schema: z.object({
        migrated: z.array(z.object({ orgId: z.string(), entries: z.number().int() })),
        alreadySegmented: z.number().int(),
        failed: z.array(z.object({ orgId: z.string() })),
      }),
    },
  },
  handler: async (ctx) => json(200, await runAuditMigrationJob(ctx, ctx.log)),
});
