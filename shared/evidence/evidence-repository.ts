import type { Evidence, EvidenceKind, EvidenceStatus, EvidenceSummary, ImageFacts, RejectionReason } from '../domain/evidence/evidence-schema';
import { container, readIfExists, deleteIfExists, queryAll, itemOf, placed } from '../adapters/cosmos-containers';
import { isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';
import { readBatch } from '../adapters/cosmos-batch';
import { createAudited, type OutboxEntry } from '../audit/audit-outbox-repository';

/** Stored shape of an evidence record, in its retailer's shard (of its id) of `evidence-records`. */
export interface EvidenceDoc {
  id: string;
  orgId: string;
  docType: 'evidence';
  eventId: string;
  kind: EvidenceKind;
  fileName: string;
  declared: { contentType: string; size: number; sha256: string | null };
  status: EvidenceStatus;
  reason: RejectionReason | null;
  sha256: string | null;
  size: number | null;
  mediaType: string | null;
  image: ImageFacts | null;
  createdAt: string;
  createdBy: string;
  uploadExpiresAt: string;
  processedAt: string | null;
  /** ETag of the upload blob version that was processed: a later delivery of the same one only finishes. */
  uploadEtag: string | null;
  /** Whether the processing custody entry is in the audit chain (written once, after the record turns final). */
  custodyLogged: boolean;
  _etag?: string;
}

export function toEvidence(doc: EvidenceDoc): Evidence {
  return {
    id: doc.id,
    eventId: doc.eventId,
    retailerId: doc.orgId,
    kind: doc.kind,
    fileName: doc.fileName,
    contentType: doc.declared.contentType,
    declared: doc.declared,
    status: doc.status,
    reason: doc.reason,
    sha256: doc.sha256,
    size: doc.size,
    mediaType: doc.mediaType,
    image: doc.image,
    createdAt: doc.createdAt,
    createdBy: doc.createdBy,
    processedAt: doc.processedAt,
  };
}

export function toSummary(doc: EvidenceDoc): EvidenceSummary {
  return { id: doc.id, kind: doc.kind, status: doc.status, mediaType: doc.mediaType, size: doc.size, sha256: doc.sha256, createdAt: doc.createdAt };
}

export async function readEvidenceDoc(retailerId: string, id: string): Promise<EvidenceDoc | undefined> {
  const resource = await readIfExists<EvidenceDoc>('evidence', retailerId, id);
  return resource?.docType === 'evidence' ? resource : undefined;
}

/** Up to 100 evidence records of a retailer in one round trip, in the order of `ids` (undefined: none). */
export const readEvidenceDocs = (retailerId: string, ids: readonly string[]): Promise<(EvidenceDoc | undefined)[]> => readBatch<EvidenceDoc>('evidence', retailerId, ids);

/** An item by id whatever retailer owns it, for police officers and partners (a query, off the hot paths). */
export async function findEvidenceAnywhere(id: string): Promise<EvidenceDoc | undefined> {
  const { resources } = await container('evidence')
    .items.query<EvidenceDoc>({ query: "SELECT * FROM c WHERE c.id = @id AND c.docType = 'evidence'", parameters: [{ name: '@id', value: id }] })
    .fetchAll();
  return resources[0];
}

/** The pending item with its entry's outbox document, in one batch; false when an item of its id exists (createAudited). */
export function insertEvidenceDoc(doc: EvidenceDoc, audit: OutboxEntry, now: Date): Promise<boolean> {
  return createAudited(doc.orgId, doc, { ...audit, where: 'evidence-audit-outbox' }, now);
}

/** Replaces only the version read: 'changed' when another writer got there first, 'gone' when it was deleted. */
export async function replaceEvidenceDoc(doc: EvidenceDoc, etag: string): Promise<EvidenceDoc | 'changed' | 'gone'> {
  const { _etag: _, ...body } = doc;
  try {
    const { resource } = await itemOf('evidence', doc.orgId, doc.id).replace<EvidenceDoc>(placed('evidence', body), { accessCondition: { type: 'IfMatch', condition: etag } });
    return resource ?? { ...body };
  } catch (error) {
    if (isNotFound(error)) return 'gone';
    if (isPreconditionFailed(error)) return 'changed';
    throw error;
  }
}

export async function deleteEvidenceDoc(retailerId: string, id: string): Promise<void> {
  await deleteIfExists('evidence', retailerId, id);
}

/** An event's evidence, oldest first: a query over the retailer's shards (events have few items). */
/**
 * The perceptual hashes of the ready images of these events, by event (PRODUCT §4: image matching,
 * where the retailer opted in): one query in the retailer's partition per 100 events.
 */
export async function imageHashesOf(retailerId: string, eventIds: readonly string[]): Promise<Map<string, string[]>> {
  const hashes = new Map<string, string[]>();
  for (let i = 0; i < eventIds.length; i += 100) {
    const rows = await queryAll<{ eventId: string; hash: string }>(
      'evidence',
      retailerId,
      "SELECT c.eventId, c.image.perceptualHash AS hash FROM c WHERE c.orgId = @orgId AND c.docType = 'evidence' AND c.status = 'ready' AND ARRAY_CONTAINS(@ids, c.eventId) AND IS_STRING(c.image.perceptualHash)",
      { orgId: retailerId, ids: eventIds.slice(i, i + 100) as string[] },
    );
    for (const { eventId, hash } of rows) hashes.set(eventId, [...(hashes.get(eventId) ?? []), hash]);
  }
  return hashes;
}

export async function evidenceOfEvent(retailerId: string, eventId: string): Promise<EvidenceDoc[]> {
  return queryAll<EvidenceDoc>('evidence', retailerId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'evidence' AND c.eventId = @eventId ORDER BY c.createdAt ASC", { orgId: retailerId, eventId });
}
