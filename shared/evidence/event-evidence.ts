import { evidenceBlobName } from '../domain/evidence/evidence-rules';
import type { EvidenceSummary } from '../domain/evidence/evidence-schema';
import type { AuditActor, AuditDraft } from '../domain/audit-chain';
import { appendAudit } from '../audit/audit-log';
import { deleteBlob, EVIDENCE, QUARANTINE, UPLOADS } from '../adapters/evidence-blobs';
import { deleteEvidenceDoc, evidenceOfEvent, toSummary, type EvidenceDoc } from './evidence-repository';

/** What an event's evidence reads and removes: the repositories and blob containers in the app, in-memory records in unit tests of this logic. */
export interface EventEvidenceStore {
  /** The event's evidence records, oldest first. */
  evidenceOfEvent(retailerId: string, eventId: string): Promise<EvidenceDoc[]>;
  /** Appends an entry to the retailer's audit chain. */
  appendAudit(retailerId: string, draft: AuditDraft): Promise<unknown>;
  /** Deletes the blob if it is there. */
  deleteBlob(container: string, name: string): Promise<unknown>;
  deleteEvidenceDoc(retailerId: string, id: string): Promise<void>;
}

const cosmosRecords: EventEvidenceStore = {
  evidenceOfEvent: (retailerId, eventId) => evidenceOfEvent(retailerId, eventId),
  appendAudit: (retailerId, draft) => appendAudit(retailerId, draft),
  deleteBlob: (container, name) => deleteBlob(container, name),
  deleteEvidenceDoc: (retailerId, id) => deleteEvidenceDoc(retailerId, id),
};

const PURGE: AuditActor = { sub: 'system:purge', org: null, roles: [] };

/** An event's evidence, over a store. */
export function eventEvidence(store: EventEvidenceStore) {
  /** What an event shows of its evidence (GET /events/{id}). */
  async function evidenceSummaries(retailerId: string, eventId: string): Promise<EvidenceSummary[]> {
    return (await store.evidenceOfEvent(retailerId, eventId)).map(toSummary);
  }

  /**
   * The evidence step of purgeEvent: for each item, a custody entry, then its blobs in every
   * container, then its record last, so a purge that dies part-way finds the record again and
   * finishes. An upload that lands after this finds no record and is removed by the processor.
   * In Azure, a blob still inside the `evidence` container's immutability period refuses the
   * delete; the error leaves the event marked purging (invisible) for a later run to finish.
   */
  async function purgeEvidenceOfEvent(retailerId: string, eventId: string, requestId = `purge:${eventId}`): Promise<number> {
    const docs = await store.evidenceOfEvent(retailerId, eventId);
    for (const doc of docs) {
      await store.appendAudit(retailerId, {
        actor: PURGE,
        action: 'evidence.purge',
        target: { type: 'evidence', id: doc.id },
        outcome: 'success',
        requestId,
        details: { eventId, status: doc.status, sha256: doc.sha256 },
      });
      const name = evidenceBlobName(retailerId, doc.id);
      for (const container of [UPLOADS, QUARANTINE, EVIDENCE]) await store.deleteBlob(container, name);
      await store.deleteEvidenceDoc(retailerId, doc.id);
    }
    return docs.length;
  }

  return { evidenceSummaries, purgeEvidenceOfEvent };
}

export const { evidenceSummaries, purgeEvidenceOfEvent } = eventEvidence(cosmosRecords);
