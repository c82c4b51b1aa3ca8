import { ExportFormatSchema, type ExportFormat } from '../shared/domain/audit-export-format';
import { auditRangeQuery } from '../shared/domain/audit-range';
import { httpRoute, streamed } from '../shared/http/route';
import { exportAuditChain } from '../shared/audit/audit-export';

/** Each format's media type on the wire. */
const CONTENT_TYPE: Record<ExportFormat, string> = {
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

httpRoute({
  name: 'audit-export',
  permission: 'audit.export',
  method: 'GET',
  route: 'v1/audit/export',
  summary: "Stream the caller's audit chain as JSONL or CSV, in seq order, in constant memory",
  tag: 'Audit',
  query: auditRangeQuery({ format: ExportFormatSchema.default('jsonl') }),
  responses: {
    200: { description: 'The entries of the selected run, one per line', contentTypes: Object.values(CONTENT_TYPE) },
  },
  handler: async (ctx) => {
    const { from, to, format } = ctx.query;
    const file = await exportAuditChain(ctx, { from, to }, format);
    return streamed(200, CONTENT_TYPE[format], file.body, {
      'content-disposition': `attachment; filename="${file.fileName}"`,
      'cache-control': 'no-store',
      'x-audit-first-seq': String(file.run.firstSeq),
      'x-audit-last-seq': String(file.run.lastSeq),
    });
  },
});
