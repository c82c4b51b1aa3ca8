import { z } from 'zod';
import { OrgIdSchema } from '../shared/domain/organisation';
import { json, httpRoute } from '../shared/http/route';
import { runRetentionSweepJob } from '../shared/retention/retention-use-cases';

const Counts = {
  eventsPurged: z.number().int(),
  eventsFolded: z.number().int(),
  eventsSkipped: z.number().int(),
  eventsFailed: z.number().int(),
  profilesUpdated: z.number().int(),
  profilesDeleted: z.number().int(),
  evidenceDeleted: z.number().int(),
  orphanBlobsDeleted: z.number().int(),
  orphanEvidenceDeleted: z.number().int(),
  idempotencyRecordsDeleted: z.number().int(),
  alertsDeleted: z.number().int(),
};

httpRoute({
  name: 'admin-retention-sweep',
  permission: 'job.run',
  method: 'POST',
  route: 'v1/admin/jobs/retention-sweep',
  summary: 'Run the retention sweep now, as the daily timer does; answers with what it purged, by count',
  tag: 'Retention',
  query: z
    .object({
      retailerId: OrgIdSchema.optional(),
      maxEvents: z.coerce.number().int().min(1).max(5000).optional(),
    })
    .strict(),
  responses: {
    200: {
      description: 'What the run purged, per retailer it touched, and whether more remains for the next run',
      schema: z.object({
        startedAt: z.string(),
        finishedAt: z.string(),
        retailers: z.array(z.object({ retailerId: z.string(), retentionDays: z.number().int(), cutoff: z.string(), more: z.boolean(), ...Counts })),
        totals: z.object(Counts),
        more: z.boolean(),
        failed: z.array(z.object({ retailerId: z.string() })),
      }),
    },
  },
  handler: async (ctx) => json(200, await runRetentionSweepJob(ctx, ctx.log, ctx.query)),
});
