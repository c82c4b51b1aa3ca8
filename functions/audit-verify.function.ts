import { z } from 'zod';
import { auditRangeQuery } from '../shared/domain/audit-range';
import { json, httpRoute } from '../shared/http/route';
import { verifyAuditChain } from '../shared/audit/audit-use-cases';

httpRoute({
  name: 'audit-verify',
  permission: 'audit.verify',
  method: 'GET',
  route: 'v1/audit/verify',
  summary: "Recompute the caller's audit chain, check it against the digests, and report the first broken entry",
  tag: 'Audit',
  query: auditRangeQuery({}),
  responses: {
    200: {
      description: 'The verdict',
      schema: z.object({
        ok: z.boolean(),
        entries: z.number().int(),
        firstBadSeq: z.number().int().nullable(),
        digestsChecked: z.number().int(),
      }),
    },
  },
  handler: async (ctx) => json(200, await verifyAuditChain(ctx, ctx.query)),
});
