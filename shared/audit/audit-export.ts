import { csvRow, CSV_HEADER, jsonlLine, type ExportFormat } from '../domain/audit-export-format';
import { callerOrgType } from '../orgs/org-use-cases';
import { auditFor, authorizeAudited, type Caller } from './audited-authorize';
import type { ChainRange } from './audit-entry-repository';
import { readRunPages, resolveRun, type RunItem, type SeqRun } from './audit-run-reader';

export interface AuditExport {
  format: ExportFormat;
  fileName: string;
  run: SeqRun;
  /** The file, chunk by chunk; pulled, so it reads the chain only as fast as the client takes it. */
  body: AsyncIterable<Uint8Array>;
}

/**
 * Exports the caller's own chain (there is no way to name another organisation's), as the
 * run of seqs the range selects, fixed when the export starts: entries appended while it
 * streams, this export's own record included, are not in it. Authorisation, the run's
 * bounds, the first page of entries and the audit record are all settled before the first
 * byte, so any failure up to there is still an ordinary problem+json response.
 */
export async function exportAuditChain(caller: Caller, range: ChainRange, format: ExportFormat): Promise<AuditExport> {
  const orgId = caller.principal.orgId ?? '';
  const target = { type: 'audit-chain', id: orgId };
  await authorizeAudited(caller, 'audit.export', await callerOrgType(caller), target);
  const run = await resolveRun(orgId, range);
  const pages = readRunPages(orgId, run);
  const first = await pages.next();
  await auditFor(caller, orgId, {
    action: 'audit.export',
    target,
    details: {
      format,
      from: range.from ?? null,
      to: range.to ?? null,
      firstSeq: run.firstSeq,
      lastSeq: run.lastSeq,
      entries: Math.max(0, run.lastSeq - run.firstSeq + 1),
    },
  });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return {
    format,
    fileName: `audit-${orgId}-${stamp}.${format}`,
    run,
    body: encode(first.done ? undefined : first.value, pages, format),
  };
}

/**
 * One chunk per page read (about 100 entries, some 45 KB): each page's objects live only while
 * its chunk is written, so nothing outlives a round trip. A seq the store no longer has is left
 * out: the file then shows the gap to any verifier.
 */
async function* encode(first: RunItem[] | undefined, rest: AsyncIterator<RunItem[]>, format: ExportFormat): AsyncGenerator<Uint8Array> {
  const line = format === 'csv' ? csvRow : jsonlLine;
  const chunk = (page: RunItem[], prefix = ''): Uint8Array => {
    let text = prefix;
    for (const { entry } of page) if (entry) text += line(entry);
    return Buffer.from(text, 'utf8');
  };
  const header = format === 'csv' ? CSV_HEADER : '';
  if (!first) {
    if (header) yield Buffer.from(header, 'utf8');
    return;
  }
  yield chunk(first, header);
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield chunk(next.value);
}
