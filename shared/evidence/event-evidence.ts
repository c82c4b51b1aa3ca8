import { evidenceBlobName } from '../domain/evidence/evidence-rules';
import type { EvidenceSummary } from '../domain/evidence/evidence-schema';
import type { AuditActor } from '../domain/audit-chain';
import { appendAudit } from '../audit/audit-log';
import { deleteBlob, EVIDENCE, QUARANTINE, UPLOADS } from '../adapters/evidence-blobs';
import { deleteEvidenceDoc, evidenceOfEvent, toSummary } from './evidence-repository';

/** What an event shows of its evidence (GET /events/{id}). */
export async function evidenceSummaries(retailerId: string, eventId: string): Promise<EvidenceSummary[]> {
  return (await evidenceOfEvent(retailerId, eventId)).map(toSummary);
}

const PURGE: AuditActor = { sub: 'system:purge', org: null, roles: [] };

/**
 * The evidence step of purgeEvent: for each item, a custody entry, then its blobs in every
 * container, then its record last, so a purge that dies part-way finds the record again and
 * finishes. An upload that lands after this finds no record and is removed by the processor.
 * In Azure, a blob still inside the `evidence` container's immutability period refuses the
 * delete; the error leaves the event marked purging (invisible) for a later run to finish.
 */
export async function purgeEvidenceOfEvent(retailerId: string, eventId: string): Promise<number> {
  const docs = await evidenceOfEvent(retailerId, eventId);
  for (const doc of docs) {
    await appendAudit(retailerId, {
      actor: PURGE,
      action: 'evidence.purge',
      target: { type: 'evidence', id: doc.id },
      outcome: 'success',
      requestId: `purge:${eventId}`,
      details: { eventId, status: doc.status, sha256: doc.sha256 },
    });
    const name = evidenceBlobName(retailerId, doc.id);
    for (const container of [UPLOADS, QUARANTINE, EVIDENCE]) await deleteBlob(container, name);
    await deleteEvidenceDoc(retailerId, doc.id);
  }
  return docs.length;
}
