import { createHash } from 'node:crypto';
import {
  assessUpload,
  canTransition,
  evidenceBlobName,
  isAnalysableImage,
  largestLimit,
  limitFor,
  planFor,
  type Detected,
  type EvidenceLimits,
  type Measured,
  type Plan,
  type Verdict,
} from '../domain/evidence/evidence-rules';
import type { ImageFacts } from '../domain/evidence/evidence-schema';
import { dHash } from '../domain/evidence/perceptual-hash';
import { PlainTextCheck, sniffBeforeSignatures } from '../domain/evidence/plain-text';
import type { AuditActor, AuditDraft } from '../domain/audit-chain';
import { appendAudit } from '../audit/audit-log';
import { chainHolds } from '../audit/audit-entry-repository';
import {
  blobFacts,
  copyBlob,
  deleteBlob,
  EVIDENCE,
  hashBlob,
  QUARANTINE,
  readSmallBlob,
  streamBlob,
  UPLOADS,
  type BlobFacts,
  type CopyOutcome,
} from '../adapters/evidence-blobs';
import { imagePixels, UndecodableImageError } from '../adapters/image-analysis';
import { mediaTypeFromMagic, SNIFF_BYTES } from '../adapters/media-type';
import { evidenceLimits } from './evidence-limits';
import { readEvidenceDoc, replaceEvidenceDoc, type EvidenceDoc } from './evidence-repository';
import { readLegacy } from '../migration/legacy-records-repository';
import { requestImageMatching } from '../matching/match-queue';

/** What processing an upload reads, writes and moves: the repositories, the blob store and the audit chain in the app, in-memory records and bytes in unit tests of this logic. */
export interface EvidenceProcessingStore {
  /** ETag, size and metadata of a blob; undefined when there is no such blob. */
  blobFacts(containerName: string, name: string): Promise<BlobFacts | undefined>;
  /** SHA-256 (hex) and length of a blob, streamed, only while it is still the version `etag`. */
  hashBlob(containerName: string, name: string, etag: string): Promise<{ sha256: string; size: number }>;
  /** A blob's bytes as they arrive, only while it is still the version `etag`. */
  streamBlob(containerName: string, name: string, etag: string): AsyncIterable<Buffer>;
  /** A whole blob of at most `maxBytes` (a RangeError beyond), only while it is still the version `etag`. */
  readSmallBlob(containerName: string, name: string, maxBytes: number, etag: string): Promise<Buffer>;
  /** Server-side copy of the version `sourceEtag` to another container under the same name; `createOnly` answers 'exists' instead of replacing. */
  copyBlob(fromContainer: string, name: string, toContainer: string, options: { sourceEtag: string; metadata: Record<string, string>; createOnly: boolean }): Promise<CopyOutcome>;
  /** Deletes a blob (only that version when `etag` is given); false when it was not there or has changed. */
  deleteBlob(containerName: string, name: string, etag?: string): Promise<boolean>;
  /** The evidence record, or undefined when absent. */
  readEvidenceDoc(retailerId: string, id: string): Promise<EvidenceDoc | undefined>;
  /** Replaces the record only over the version `etag`: the new version, 'changed' when another writer got there first, 'gone' when it was deleted. */
  replaceEvidenceDoc(doc: EvidenceDoc, etag: string): Promise<EvidenceDoc | 'changed' | 'gone'>;
  /** The record as it was in the container from before shards, while the shard migration has not moved it yet. */
  readLegacyEvidence(retailerId: string, id: string): Promise<object | undefined>;
  /** Appends an entry to an organisation's audit chain. */
  appendAudit(orgId: string, draft: AuditDraft): Promise<unknown>;
  /** An image of the event is ready: where the retailer matches on images, its event is matched again (no alert: it was alerted on when stored). */
  imageReady(retailerId: string, eventId: string): Promise<void>;
  /** Whether the organisation's chain already holds an entry of this action about this target id (a query, asked only when finishing a record already final). */
  chainHolds(orgId: string, draft: Pick<AuditDraft, 'action' | 'target'>): Promise<boolean>;
}

const cosmosRecords: EvidenceProcessingStore = {
  blobFacts,
  hashBlob,
  streamBlob,
  readSmallBlob,
  copyBlob,
  deleteBlob,
  readEvidenceDoc,
  replaceEvidenceDoc,
  readLegacyEvidence: (retailerId, id) => readLegacy('evidence-unsharded', retailerId, id),
  appendAudit: (orgId, draft) => appendAudit(orgId, draft),
  chainHolds,
  imageReady: requestImageMatching,
};

/** Where the upload is: `evidence-uploads` in production; the benchmark stages its file elsewhere so the host's own trigger leaves it alone. */
export interface UploadRef {
  retailerId: string;
  evidenceId: string;
  container?: string;
}

export type ProcessOutcome = 'no-upload' | 'orphan-removed' | 'discarded' | 'ready' | 'rejected' | 'already-final';

export interface ProcessOptions {
  requestId?: string;
  limits?: EvidenceLimits;
  now?: () => Date;
  /** Set on the one re-run after a record changed under this delivery. */
  again?: boolean;
}

const PROCESSOR: AuditActor = { sub: 'system:evidence-processor', org: null, roles: [] };

/** The evidence processor, over a store. */
export function evidenceProcessing(store: EvidenceProcessingStore) {
  /**
   * Processes one uploaded blob, in an order that any crash can resume from and any re-delivery
   * leaves unchanged (see `planFor`):
   *
   * 1. read the record and the blob's facts (nothing there: nothing to do);
   * 2. pending: stream the bytes once (SHA-256, length, magic bytes, text check), judge them,
   *    and for an image read it again (≤ the image limit) for its size and perceptual hash;
   * 3. copy that blob version server-side, unchanged, to `evidence` (create-only: an existing
   *    copy is kept when it carries the same SHA-256) or, when rejected, to `evidence-quarantine`;
   * 4. turn the record final (`ready`/`rejected`) only if it is still the version read;
   * 5. append the custody entry once, and mark the record so a later delivery does not repeat it;
   * 6. remove the upload last, so until everything above is done a delivery can still finish it.
   */
  async function processUpload(ref: UploadRef, options: ProcessOptions = {}): Promise<ProcessOutcome> {
    const uploads = ref.container ?? UPLOADS;
    const name = evidenceBlobName(ref.retailerId, ref.evidenceId);
    const now = options.now ?? (() => new Date());
    const requestId = options.requestId ?? `evidence-process:${ref.evidenceId}`;

    const facts = await store.blobFacts(uploads, name);
    if (!facts) return 'no-upload';
    const record = await store.readEvidenceDoc(ref.retailerId, ref.evidenceId);
    const view = record && { status: record.status, uploadEtag: record.uploadEtag, sha256: record.sha256, size: record.size };
    let plan: Plan | 'hash-needed' = planFor(view, facts);
    if (plan === 'hash-needed') plan = planFor(view, { ...facts, sha256: (await store.hashBlob(uploads, name, facts.etag)).sha256 });
    if (plan === 'hash-needed') throw new Error('unreachable');

    switch (plan) {
      case 'orphan':
        // Records not yet moved into shards look absent: the delivery fails, and is tried again (the
        // blob trigger's retries, then its poison queue: docs/operations.md, upgrading before shards).
        if (!record && (await store.readLegacyEvidence(ref.retailerId, ref.evidenceId))) throw new Error('The evidence record is still in the container from before shards; retried after the shard migration.');
        // The migration copies a record into its shard, then drops the old one: one moved between the
        // two reads above is in neither, so look in the shard again before removing anything, and
        // process it from there in this delivery (once: as after a record changed under it).
        if (!record && (await store.readEvidenceDoc(ref.retailerId, ref.evidenceId))) {
          if (options.again) throw new Error(`Evidence ${ref.evidenceId} appeared in its shard twice while this delivery looked for it; the delivery is retried.`);
          return processUpload(ref, { ...options, again: true });
        }
        // The event (and this record) was deleted, or the name was never ours: keep nothing.
        await store.deleteBlob(uploads, name, facts.etag);
        return 'orphan-removed';
      case 'discard':
        // The entry first: a crash before the delete brings the upload back, and a second entry, never none.
        await store.appendAudit(ref.retailerId, {
          actor: PROCESSOR,
          action: 'evidence.upload.discard',
          target: { type: 'evidence', id: ref.evidenceId },
          outcome: 'denied',
          requestId,
          details: { eventId: record!.eventId, reason: 'already-processed', size: facts.size },
        });
        await store.deleteBlob(uploads, name, facts.etag);
        return 'discarded';
      case 'finish':
        await finish(store, uploads, name, facts, record!, requestId);
        return 'already-final';
      case 'analyse': {
        const analysed = await analyse(store, uploads, name, facts, record!, options.limits ?? evidenceLimits());
        if (!canTransition(record!.status, analysed.verdict.status)) throw new Error(`Evidence ${record!.id} cannot go ${record!.status} → ${analysed.verdict.status}.`);
        await placeCopy(store, uploads, name, facts, analysed.verdict.status, analysed.measured.sha256);
        const next: EvidenceDoc = {
          ...record!,
          status: analysed.verdict.status,
          reason: analysed.verdict.status === 'rejected' ? analysed.verdict.reason : null,
          sha256: analysed.measured.sha256,
          size: analysed.measured.size,
          mediaType: analysed.verdict.mediaType,
          image: analysed.image,
          processedAt: now().toISOString(),
          uploadEtag: facts.etag,
          custodyLogged: false,
        };
        const written = await store.replaceEvidenceDoc(next, record!._etag ?? '');
        // Changed since read: a concurrent delivery turned it final first, or this very write landed
        // and its answer was lost (the retry then finds its own change). Start again from what is
        // stored: a final record for this upload plans 'finish', whose steps are each done once
        // (the chain is checked before the custody entry), so the upload never stays behind.
        // Changed again on the re-run: something else keeps writing it. Fail the delivery, so it comes again, rather than
        // answer 'already-final' for a record that may still be pending with its upload left behind.
        if (written === 'changed' && options.again) throw new Error(`Evidence ${record!.id} changed twice while it was processed; the delivery is retried.`);
        if (written === 'changed') return processUpload(ref, { ...options, again: true });
        if (written === 'gone') {
          // Deleted with its event while we worked: take back what we placed.
          await store.deleteBlob(analysed.verdict.status === 'ready' ? EVIDENCE : QUARANTINE, name);
          await store.deleteBlob(uploads, name, facts.etag);
          return 'orphan-removed';
        }
        await finish(store, uploads, name, facts, written, requestId, true);
        return written.status as 'ready' | 'rejected';
      }
    }
  }

  return { processUpload };
}

export const { processUpload } = evidenceProcessing(cosmosRecords);

/** Steps 3, 5 and 6 for a final record; each is a no-op when already done. */
async function finish(store: EvidenceProcessingStore, uploads: string, name: string, facts: BlobFacts, record: EvidenceDoc, requestId: string, copied = false): Promise<void> {
  if (!copied) await placeCopy(store, uploads, name, facts, record.status as 'ready' | 'rejected', record.sha256);
  if (!record.custodyLogged) {
    const entry = {
      actor: PROCESSOR,
      action: 'evidence.process',
      target: { type: 'evidence', id: record.id },
      outcome: 'success',
      requestId,
      details: {
        eventId: record.eventId,
        status: record.status,
        reason: record.reason,
        sha256: record.sha256,
        size: record.size,
        mediaType: record.mediaType,
        perceptualHash: record.image?.perceptualHash ?? null,
      },
    } as const;
    // A later delivery of an upload already final: a crash may have come after its entry and before the mark. One entry per item, ever.
    if (copied || !(await store.chainHolds(record.orgId, { action: entry.action, target: entry.target }))) await store.appendAudit(record.orgId, entry);
    // If someone else changed the record meanwhile, they saw it final too; nothing to undo.
    await store.replaceEvidenceDoc({ ...record, custodyLogged: true }, record._etag ?? '');
  }
  // A picture to match on (PRODUCT §4, opt-in): its event is matched again, now with it. Asked
  // before the upload goes, so a crash in between asks again on the next delivery.
  if (record.status === 'ready' && record.image?.perceptualHash) await store.imageReady(record.orgId, record.eventId);
  await store.deleteBlob(uploads, name, facts.etag);
}

/** Evidence is copied create-only: an existing copy must be the same bytes. Quarantine simply keeps the latest. */
async function placeCopy(store: EvidenceProcessingStore, uploads: string, name: string, facts: BlobFacts, status: 'ready' | 'rejected', sha256: string | null): Promise<void> {
  const metadata: Record<string, string> = sha256 ? { sha256 } : {};
  if (status === 'rejected') {
    await store.copyBlob(uploads, name, QUARANTINE, { sourceEtag: facts.etag, metadata, createOnly: false });
    return;
  }
  const outcome = await store.copyBlob(uploads, name, EVIDENCE, { sourceEtag: facts.etag, metadata, createOnly: true });
  if (outcome === 'exists') {
    const existing = await store.blobFacts(EVIDENCE, name);
    if (existing?.metadata.sha256 !== sha256 || existing?.size !== facts.size) {
      throw new Error(`Evidence blob ${name} exists with other content; refusing to touch it.`);
    }
  }
}

interface Analysis {
  measured: Measured;
  verdict: Verdict;
  image: ImageFacts | null;
}

/** One streaming pass over the upload, then the verdict (and, for a kept image, its pixels). */
async function analyse(store: EvidenceProcessingStore, uploads: string, name: string, facts: BlobFacts, record: EvidenceDoc, limits: EvidenceLimits): Promise<Analysis> {
  // Bytes of another size than declared are rejected all the same, but hashed when within the
  // largest limit, so that custody can check what was quarantined; beyond it they are not read.
  const measured = facts.size <= largestLimit(limits) ? await measure(store, uploads, name, facts.etag) : { size: facts.size, sha256: null, detected: { kind: 'unknown' } as const };
  let verdict = assessUpload(record.declared, measured, record.kind, limits);
  let image: ImageFacts | null = null;
  if (verdict.status === 'ready' && verdict.mediaClass === 'image') {
    const decodable = isAnalysableImage(verdict.mediaType);
    try {
      const bytes = await store.readSmallBlob(uploads, name, limitFor('image', limits), facts.etag);
      const pixels = await imagePixels(bytes, decodable);
      image = pixels && { width: pixels.width, height: pixels.height, perceptualHash: pixels.thumbnail ? dHash(pixels.thumbnail) : null };
    } catch (error) {
      if (!(error instanceof UndecodableImageError)) throw error;
      verdict = { status: 'rejected', reason: 'corrupt-image', mediaType: verdict.mediaType };
    }
  }
  return { measured, verdict, image };
}

/** SHA-256, length and what the bytes are, in one pass and constant memory. */
async function measure(store: EvidenceProcessingStore, uploads: string, name: string, etag: string): Promise<Measured> {
  const hash = createHash('sha256');
  let size = 0;
  const head: Buffer[] = [];
  let headBytes = 0;
  let magic: string | undefined;
  let sniffed = false;
  const text = new PlainTextCheck();

  const sniff = async () => {
    sniffed = true;
    const bytes = Buffer.concat(head, headBytes);
    const before = sniffBeforeSignatures(bytes);
    // After a UTF-16 byte-order mark, what follows is asked too: two bytes must not hide an archive or an executable.
    magic = before === 'text' ? await mediaTypeFromMagic(bytes.subarray(2)) : (before?.mediaType ?? (await mediaTypeFromMagic(bytes)));
    if (!magic) text.push(bytes);
    head.length = 0;
  };

  for await (const chunk of store.streamBlob(uploads, name, etag)) {
    hash.update(chunk);
    size += chunk.length;
    if (!sniffed) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= SNIFF_BYTES) await sniff();
    } else if (!magic && text.possible) {
      text.push(chunk);
    }
  }
  if (!sniffed) await sniff();
  const detected: Detected = magic ? { kind: 'magic', mediaType: magic } : size > 0 && text.isText() ? { kind: 'text' } : { kind: 'unknown' };
  return { size, sha256: hash.digest('hex'), detected };
}
