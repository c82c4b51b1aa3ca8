import { z } from 'zod';
import { json, httpRoute } from '../shared/http/route';
import { verifyAuditChain } from '../shared/audit/audit-use-cases';

const IsoDateTime = z.iso.datetime({ offset: true });

httpRoute({
  name: 'audit-verify',
  method: 'GET',
  route: 'v1/audit/verify',
  summary: "Recompute the caller's audit chain and report the first broken entry (Compliance)",
  tag: 'Audit',
  query: z.object({ from: IsoDateTime.optional(), to: IsoDateTime.optional() }).strict(),
  responses: {
    200: {
      description: 'The verdict',
      schema: z.object({ ok: z.boolean(), entries: z.number().int(), firstBadSeq: z.number().int().nullable() }),
    },
  },
  handler: async (ctx) => json(200, await verifyAuditChain(ctx, ctx.query)),
});
