import { z } from 'zod';
import { json, httpRoute } from '../shared/http/route';
import { runAuditDigestJob } from '../shared/audit/audit-use-cases';

const DigestRecordOut = z.object({
  v: z.literal(1),
  orgId: z.string(),
  seq: z.number().int(),
  hash: z.string(),
  at: z.string(),
  digestedAt: z.string(),
  blob: z.string(),
});

httpRoute({
  name: 'admin-audit-digest',
  permission: 'job.run',
  method: 'POST',
  route: 'v1/admin/jobs/audit-digest',
  summary: "Append every audit chain's head to the digest blobs now, as the daily timer does",
  tag: 'Audit',
  responses: {
    200: {
      description: 'What the run wrote',
      schema: z.object({
        digestedAt: z.string(),
        written: z.array(DigestRecordOut),
        failed: z.array(z.object({ orgId: z.string() })),
      }),
    },
  },
  handler: async (ctx) => json(200, await runAuditDigestJob(ctx, ctx.log)),
});
