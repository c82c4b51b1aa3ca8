import { ExportFormatSchema, exportContentType } from '../shared/domain/audit-export-format';
import { auditRangeQuery } from '../shared/domain/audit-range';
import { httpRoute, streamed } from '../shared/http/route';
import { exportAuditChain } from '../shared/audit/audit-export';

httpRoute({
  name: 'audit-export',
  permission: 'audit.export',
  method: 'GET',
  route: 'v1/audit/export',
  summary: "Stream the caller's audit chain as JSONL or CSV, in seq order, in constant memory",
  tag: 'Audit',
  query: auditRangeQuery({ format: ExportFormatSchema.default('jsonl') }),
  responses: {
    200: { description: 'The entries of the selected run, one per line', contentTypes: Object.values(exportContentType) },
  },
  handler: async (ctx) => {
    const { from, to, format } = ctx.query;
    const file = await exportAuditChain(ctx, { from, to }, format);
    return streamed(200, file.contentType, file.body, {
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
      'x-audit-first-seq': String(file.run.firstSeq),
      'x-audit-last-seq': String(file.run.lastSeq),
    });
  },
});
