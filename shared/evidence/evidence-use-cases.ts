import { randomUUID } from 'node:crypto';
import type { Action } from '../domain/authorization';
import { ConflictError, ForbiddenError, MfaRequiredError, NotFoundError } from '../domain/errors';
import { checkDeclaration, downloadFileName, evidenceBlobName } from '../domain/evidence/evidence-rules';
import { custodyFor } from '../domain/case-files/custody';
import type { CreateEvidence, CustodyReport, Evidence } from '../domain/evidence/evidence-schema';
import type { AuditEntry } from '../domain/audit-chain';
import { auditDraftFor, auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit, settleOverdueAudit } from '../audit/audit-outbox';
import { visibleEvent } from '../events/event-steps';
import { readEntriesAbout } from '../audit/audit-entry-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { readEvent, type VersionedEvent } from '../events/event-repository';
import { EVIDENCE, hashBlob, QUARANTINE, readUrl, uploadUrl } from '../adapters/evidence-blobs';
import { evidenceLimits } from './evidence-limits';
import type { EvidenceLimits } from '../domain/evidence/evidence-rules';
import { findEvidenceAnywhere, insertEvidenceDoc, readEvidenceDoc, toEvidence, type EvidenceDoc } from './evidence-repository';
import { loadVisibleEvent, type VisibleEvent } from '../sharing/event-access';
import type { OutboxEntry } from '../audit/audit-outbox-repository';

/** An upload URL lives this long (PRODUCT: at most 15 minutes). */
export const UPLOAD_URL_TTL_MS = 15 * 60 * 1000;
/** A download URL lives this long (PRODUCT: at most 5 minutes). */
export const DOWNLOAD_URL_TTL_MS = 5 * 60 * 1000;

type Details = Record<string, string | number | boolean | null | string[]>;

/** What the evidence use cases read and write: the repositories and blob storage in the app, in-memory records in unit tests of this logic. */
export interface EvidenceStore {
  /** Refuses (audited) a caller who may not perform `action` on the target. */
  authorize(caller: Caller, action: Action, target: { type: 'event' | 'evidence'; id: string }): Promise<void>;
  readEvent(retailerId: string, eventId: string): Promise<VersionedEvent | undefined>;
  /** The caller's retailer's event for `action`, or 404 with the refusal in the chain of the retailer holding it (event-steps.ts). */
  visibleEvent(caller: Caller, retailerId: string, eventId: string, action: Action): Promise<VersionedEvent>;
  readEvidenceDoc(retailerId: string, id: string): Promise<EvidenceDoc | undefined>;
  /** An item by id in any retailer's partition (a police officer or a partner asks by id alone). */
  findEvidenceAnywhere(id: string): Promise<EvidenceDoc | undefined>;
  /** The event if the one visibility rule lets the caller see it, with what they may do; 404 otherwise. */
  loadVisibleEvent(caller: Caller, eventId: string, action: string, of?: { type: string; id: string }): Promise<VisibleEvent>;
  /** Creates the pending item with its entry in the same batch; false when an item of its id was there already (nothing written). */
  insertEvidenceDoc(doc: EvidenceDoc, entry: OutboxEntry, now: Date): Promise<boolean>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(retailerId: string, entry: OutboxEntry): Promise<void>;
  /** Appends the entry another attempt left in the outbox under `key`, once it is overdue (that attempt may still be running). */
  settleOverdueAudit(retailerId: string, key: string): Promise<void>;
  /** A create-only URL for the item's one upload blob. */
  uploadUrl(blobName: string, expiresOn: Date): Promise<string>;
  /** A read-only URL for the stored bytes. */
  readUrl(blobName: string, expiresOn: Date, contentType: string, fileName: string): Promise<string>;
  /** The stored bytes' SHA-256 and size, in the evidence container or in quarantine; an error with statusCode 404 when gone. */
  hashBlob(where: 'evidence' | 'quarantine', blobName: string): Promise<{ sha256: string; size: number }>;
  /** Every entry of the retailer's chain about the target, in seq order. */
  readEntriesAbout(retailerId: string, target: { type: string; id: string }): AsyncIterable<AuditEntry>;
  audit(caller: Caller, retailerId: string, entry: AuditOf): Promise<unknown>;
  limits(): EvidenceLimits;
}

const cosmosRecords: EvidenceStore = {
  authorize: async (caller, action, target) => authorizeAudited(caller, action, await callerOrgType(caller), target),
  readEvent,
  visibleEvent,
  readEvidenceDoc,
  findEvidenceAnywhere,
  loadVisibleEvent,
  insertEvidenceDoc,
  settleFreshAudit,
  settleOverdueAudit: async (retailerId, key) => void (await settleOverdueAudit(retailerId, key, 'evidence-audit-outbox')),
  uploadUrl,
  readUrl: (blobName, expiresOn, contentType, fileName) => readUrl(EVIDENCE, blobName, expiresOn, contentType, fileName),
  hashBlob: (where, blobName) => hashBlob(where === 'evidence' ? EVIDENCE : QUARANTINE, blobName),
  readEntriesAbout: (retailerId, target) => readEntriesAbout(retailerId, target),
  audit: auditFor,
  limits: evidenceLimits,
};

export interface CreatedEvidence {
  evidenceId: string;
  uploadUrl: string;
  expiresAt: string;
  uploadHeaders: Record<string, string>;
}

/** Evidence (PRODUCT §3, §10), over a store. */
export function evidenceUseCases(store: EvidenceStore) {
  function audit(caller: Caller, retailerId: string, action: string, evidenceId: string, details: Details, outcome: 'success' | 'denied' = 'success') {
    return store.audit(caller, retailerId, { action, target: { type: 'evidence', id: evidenceId }, outcome, details });
  }

  /**
   * Role check (refusals are audited). Refused on an item that is not the caller's own
   * organisation's, the answer is 404, as for the events: a refusal must not reveal that
   * another organisation's evidence or event exists.
   */
  async function authorizeFor(caller: Caller, action: Action, target: { type: 'event' | 'evidence'; id: string }): Promise<string> {
    try {
      await store.authorize(caller, action, target);
    } catch (error) {
      if (error instanceof MfaRequiredError) throw error;
      const orgId = caller.principal.orgId;
      const own = orgId ? await (target.type === 'event' ? store.readEvent(orgId, target.id) : store.readEvidenceDoc(orgId, target.id)) : undefined;
      if (!own) throw new NotFoundError();
      throw error;
    }
    return caller.principal.orgId!;
  }

  /**
   * An evidence item whose event the one visibility rule lets the caller see: the owner's
   * staff, a police officer it is shared with, a partner investigator (metadata only). Outsiders
   * find it by id. Downloads stay with the owner and the police.
   */
  async function sharedEvidence(caller: Caller, id: string, need: 'read' | 'download' | 'custody'): Promise<EvidenceDoc> {
    const orgId = caller.principal.orgId;
    const doc = (orgId ? await store.readEvidenceDoc(orgId, id) : undefined) ?? (await store.findEvidenceAnywhere(id));
    if (!doc) throw new NotFoundError();
    const { access } = await store.loadVisibleEvent(caller, doc.eventId, `evidence.${need}`, { type: 'evidence', id });
    if (need !== 'read' && !access.download) {
      // A partner's attempt: refused, and in the owner's chain like every refused attempt on its data.
      await audit(caller, doc.orgId, `evidence.${need}`, id, { eventId: doc.eventId, relation: access.relation, code: 'FORBIDDEN' }, 'denied');
      throw new ForbiddenError('Evidence content and custody stay with the owning retailer and the police.');
    }
    return doc;
  }


  /**
   * Records a pending evidence item on a visible event and returns a create-only URL for its one
   * upload blob. The declaration is checked first (kept type for the kind, within its limit), so
   * nothing that must be refused is ever uploaded.
   */
  async function createEvidence(caller: Caller, eventId: string, input: CreateEvidence, now = new Date(), claimedId?: string): Promise<CreatedEvidence> {
    const retailerId = await authorizeFor(caller, 'evidence.create', { type: 'event', id: eventId });
    const id = claimedId ?? randomUUID();
    const key = `evidence.create@${id}`;
    /**
     * An Idempotency-Key's retry that takes over from a first attempt (one that died after
     * writing, or is still running): that attempt's item, answered whatever changed since (the
     * client must learn the id of what was stored), and its entry appended once: by that attempt,
     * or once overdue by this one or the sweep (the outbox document is keyed by the item).
     */
    const earlierItem = async (earlier: EvidenceDoc): Promise<CreatedEvidence> => {
      await store.settleOverdueAudit(retailerId, key);
      const until = new Date(earlier.uploadExpiresAt);
      return { evidenceId: id, uploadUrl: await store.uploadUrl(evidenceBlobName(retailerId, id), until), expiresAt: earlier.uploadExpiresAt, uploadHeaders: { 'x-ms-blob-type': 'BlockBlob' } };
    };
    const earlier = claimedId ? await store.readEvidenceDoc(retailerId, id) : undefined;
    if (earlier) return earlierItem(earlier);
    await store.visibleEvent(caller, retailerId, eventId, 'evidence.create');
    checkDeclaration(input, store.limits());
    const expiresAt = new Date(now.getTime() + UPLOAD_URL_TTL_MS);
    const doc: EvidenceDoc = {
      id,
      orgId: retailerId,
      docType: 'evidence',
      eventId,
      kind: input.kind,
      fileName: input.fileName,
      declared: { contentType: input.contentType, size: input.size, sha256: input.sha256 ?? null },
      status: 'pending',
      reason: null,
      sha256: null,
      size: null,
      mediaType: null,
      image: null,
      createdAt: now.toISOString(),
      createdBy: caller.principal.sub,
      uploadExpiresAt: expiresAt.toISOString(),
      processedAt: null,
      uploadEtag: null,
      custodyLogged: false,
    };
    const entry = {
      key,
      where: 'evidence-audit-outbox' as const,
      draft: auditDraftFor(caller, {
        action: 'evidence.create',
        target: { type: 'evidence', id },
        details: { eventId, kind: input.kind, contentType: input.contentType, size: input.size, sha256: input.sha256 ?? null, uploadExpiresAt: doc.uploadExpiresAt },
      }),
    };
    if (!(await store.insertEvidenceDoc(doc, entry, now))) {
      // Written meanwhile under the claimed id by the attempt this one took over from.
      const theirs = await store.readEvidenceDoc(retailerId, id);
      if (!theirs) throw new ConflictError('EVIDENCE_GONE', 'The evidence written under this Idempotency-Key is gone; declare it again with another key.');
      return earlierItem(theirs);
    }
    await store.settleFreshAudit(retailerId, entry);
    const url = await store.uploadUrl(evidenceBlobName(retailerId, id), expiresAt);
    return { evidenceId: id, uploadUrl: url, expiresAt: doc.uploadExpiresAt, uploadHeaders: { 'x-ms-blob-type': 'BlockBlob' } };
  }

  async function getEvidence(caller: Caller, id: string): Promise<Evidence> {
    await authorizeFor(caller, 'evidence.read', { type: 'evidence', id });
    const doc = await sharedEvidence(caller, id, 'read');
    const retailerId = doc.orgId;
    await audit(caller, retailerId, 'evidence.read', id, { eventId: doc.eventId, status: doc.status });
    return toEvidence(doc);
  }

  /**
   * A read-only URL for the stored bytes, valid for five minutes. People need MFA; Integration
   * may not download. Every attempt is in the chain, refused ones included.
   */
  async function evidenceContentUrl(caller: Caller, id: string, now = new Date()): Promise<string> {
    // A missing MFA is told only about evidence the caller may see; anything else stays a 404.
    let mfaMissing: MfaRequiredError | undefined;
    try {
      await authorizeFor(caller, 'evidence.download', { type: 'evidence', id });
    } catch (error) {
      if (!(error instanceof MfaRequiredError)) throw error;
      mfaMissing = error;
    }
    const doc = await sharedEvidence(caller, id, 'download');
    if (mfaMissing) throw mfaMissing;
    const retailerId = doc.orgId;
    if (doc.status !== 'ready' || !doc.mediaType || !doc.sha256) {
      const error = new ConflictError('EVIDENCE_NOT_READY', `The evidence is ${doc.status}; only processed, accepted evidence can be downloaded.`);
      await audit(caller, retailerId, 'evidence.download', id, { eventId: doc.eventId, code: error.code, status: doc.status }, 'denied');
      throw error;
    }
    const expiresAt = new Date(now.getTime() + DOWNLOAD_URL_TTL_MS);
    const url = await store.readUrl(evidenceBlobName(retailerId, id), expiresAt, doc.mediaType, downloadFileName(id, doc.mediaType));
    await audit(caller, retailerId, 'evidence.download', id, { eventId: doc.eventId, sha256: doc.sha256, urlExpiresAt: expiresAt.toISOString() });
    return url;
  }

  /**
   * The chain of custody: every audit entry about the item, in seq order, the SHA-256 recorded
   * at processing, and with `verify` whether the stored bytes (in `evidence`, or in quarantine
   * for a rejected upload) still hash to it.
   */
  async function custodyReport(caller: Caller, id: string, verify: boolean): Promise<CustodyReport> {
    await authorizeFor(caller, 'evidence.custody', { type: 'evidence', id });
    // The owner's staff, or a police officer the event is shared with, as for the content (PRODUCT §5b).
    const doc = await sharedEvidence(caller, id, 'custody');
    const retailerId = doc.orgId;
    const held: AuditEntry[] = [];
    for await (const entry of store.readEntriesAbout(retailerId, { type: 'evidence', id })) held.push(entry);
    // A police officer sees every entry, but one made by a third organisation (another agency, a partner) only as such: as in a case file.
    const entries = custodyFor(held, retailerId, caller.principal.orgId ?? '');
    let verified: boolean | null = null;
    if (verify && doc.status !== 'pending' && doc.sha256) {
      try {
        const stored = await store.hashBlob(doc.status === 'ready' ? 'evidence' : 'quarantine', evidenceBlobName(retailerId, id));
        verified = stored.sha256 === doc.sha256 && stored.size === doc.size;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        verified = false;
      }
    }
    await audit(caller, retailerId, 'evidence.custody', id, { eventId: doc.eventId, verify, verified, entries: entries.length });
    return { evidenceId: id, status: doc.status, sha256: doc.sha256, verified, entries };
  }

  return { createEvidence, getEvidence, evidenceContentUrl, custodyReport };
}

export const { createEvidence, getEvidence, evidenceContentUrl, custodyReport } = evidenceUseCases(cosmosRecords);
