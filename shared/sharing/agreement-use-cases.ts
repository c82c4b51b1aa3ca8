import { agreementId, type Agreement } from '../domain/sharing';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { randomUUID } from 'node:crypto';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { getOrg } from '../orgs/org-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { listAgreementsOf, readAgreement, writeAgreement } from './agreement-repository';

/** What the agreement use cases read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface AgreementStore {
  /** Refuses (audited) a caller who may not perform `action` on the agreement (or partner) `id`. */
  authorize(caller: Caller, action: 'agreement.manage' | 'agreement.read', id: string): Promise<void>;
  /** The organisation's type, if it exists. */
  orgType(orgId: string): Promise<string | undefined>;
  readAgreement(id: string): Promise<{ agreement: Agreement; etag: string } | undefined>;
  /** Creates (`etag` null: expected absent) or replaces the version read, with each party's audit entry in the same batch; 412 if it moved. */
  writeAgreement(agreement: Agreement, etag: string | null, audits: OutboxDraft[]): Promise<void>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(agreementId: string, entry: OutboxDraft): Promise<void>;
  listAgreementsOf(retailerId: string): Promise<Agreement[]>;
}

const cosmosRecords: AgreementStore = {
  authorize: async (caller, action, id) => authorizeAudited(caller, action, await callerOrgType(caller), { type: 'agreement', id }),
  orgType: async (orgId) => (await getOrg(orgId))?.type,
  readAgreement,
  writeAgreement,
  settleFreshAudit: (id, entry) => settleFreshAudit(id, { ...entry, where: 'agreements-audit-outbox' }),
  listAgreementsOf,
};

/** Sharing agreements between two retailers (PRODUCT §5), over a store. */
export function agreementUseCases(store: AgreementStore) {
  /** The change's entry for each party's chain: stored with the agreement, then appended (audit-outbox.ts). */
  function entriesFor(caller: Caller, agreement: Agreement, action: string): OutboxDraft[] {
    return agreement.parties.map((org) => ({
      key: `${action}:${agreement.id}:${org}:${randomUUID()}`,
      chain: org,
      draft: auditDraftFor(caller, { action, target: { type: 'agreement', id: agreement.id }, details: { status: agreement.status, parties: [...agreement.parties] } }),
    }));
  }

  async function recordChange(caller: Caller, agreement: Agreement, etag: string | null, action: string): Promise<void> {
    const entries = entriesFor(caller, agreement, action);
    await store.writeAgreement(agreement, etag, entries);
    for (const entry of entries) await store.settleFreshAudit(agreement.id, entry);
  }

  /** Agreements the caller's retailer is not party to answer 404, like anything else of another organisation. */
  async function ownAgreement(caller: Caller, id: string) {
    const found = await store.readAgreement(id);
    if (!found || !found.agreement.parties.includes(caller.principal.orgId ?? '')) throw new NotFoundError();
    return found;
  }

  /** A retailer's RetailerAdmin proposes; the partner must be another existing retailer. */
  /**
   * `retried`: a retry under an Idempotency-Key that took over from an attempt which failed or died
   * (and may have written the proposal before it could answer): this organisation's own pending
   * proposal to the same partner is then the answer (PRODUCT §10b), not AGREEMENT_EXISTS.
   */
  async function proposeAgreement(caller: Caller, partnerRetailerId: string, now = new Date(), retried = false): Promise<Agreement> {
    const me = caller.principal.orgId ?? '';
    await store.authorize(caller, 'agreement.manage', partnerRetailerId);
    if (partnerRetailerId === me || (await store.orgType(partnerRetailerId)) !== 'retailer') {
      throw new ValidationError([{ path: 'partnerRetailerId', message: 'Name another retailer.' }], 'Unknown partner retailer.', 'UNKNOWN_RETAILER');
    }
    const id = agreementId(me, partnerRetailerId);
    const existing = await store.readAgreement(id);
    if (retried && existing?.agreement.status === 'proposed' && existing.agreement.proposedBy === me) return existing.agreement;
    if (existing && existing.agreement.status !== 'revoked') {
      throw new ConflictError('AGREEMENT_EXISTS', `An agreement with ${partnerRetailerId} is already ${existing.agreement.status}.`);
    }
    const agreement: Agreement = {
      id,
      parties: me < partnerRetailerId ? [me, partnerRetailerId] : [partnerRetailerId, me],
      proposedBy: me,
      partnerRetailerId,
      status: 'proposed',
      createdAt: now.toISOString(),
      acceptedAt: null,
      revokedAt: null,
      revokedBy: null,
    };
    await recordChange(caller, agreement, existing?.etag ?? null, 'agreement.propose');
    return agreement;
  }

  /** `retried`: as for a proposal, an agreement this partner already accepted is the answer to a retry under the same key. */
  async function acceptAgreement(caller: Caller, id: string, now = new Date(), retried = false): Promise<Agreement> {
    await store.authorize(caller, 'agreement.manage', id);
    const { agreement, etag } = await ownAgreement(caller, id);
    if (retried && agreement.status === 'active' && agreement.partnerRetailerId === caller.principal.orgId) return seenBy(agreement, caller);
    if (agreement.status !== 'proposed' || agreement.partnerRetailerId !== caller.principal.orgId) {
      throw new ConflictError('AGREEMENT_NOT_ACCEPTABLE', 'Only the invited partner accepts, and only a proposed agreement.');
    }
    const accepted: Agreement = { ...agreement, status: 'active', acceptedAt: now.toISOString() };
    await recordChange(caller, accepted, etag, 'agreement.accept');
    return seenBy(accepted, caller);
  }

  /** Either side ends it, effective for the very next read (visibility reads the record every time). */
  async function revokeAgreement(caller: Caller, id: string, now = new Date()): Promise<Agreement> {
    await store.authorize(caller, 'agreement.manage', id);
    const { agreement, etag } = await ownAgreement(caller, id);
    if (agreement.status === 'revoked') return seenBy(agreement, caller);
    const revoked: Agreement = { ...agreement, status: 'revoked', revokedAt: now.toISOString(), revokedBy: caller.principal.orgId };
    await recordChange(caller, revoked, etag, 'agreement.revoke');
    return seenBy(revoked, caller);
  }

  async function listAgreements(caller: Caller): Promise<Agreement[]> {
    await store.authorize(caller, 'agreement.read', '*');
    return (await store.listAgreementsOf(caller.principal.orgId ?? '')).map((a) => seenBy(a, caller));
  }

  /** One agreement of the caller's retailer (where a proposal's Location points); another's answers 404. */
  async function getAgreement(caller: Caller, id: string): Promise<Agreement> {
    await store.authorize(caller, 'agreement.read', id);
    return seenBy((await ownAgreement(caller, id)).agreement, caller);
  }

  return { proposeAgreement, acceptAgreement, revokeAgreement, listAgreements, getAgreement };
}

/**
 * The agreement as one side reads it: `partnerRetailerId` is the other retailer (the invited one
 * is stored; its own reads named itself, fifth audit). `proposedBy` says who invited whom.
 */
function seenBy(agreement: Agreement, caller: Caller): Agreement {
  const other = agreement.parties.find((p) => p !== caller.principal.orgId);
  return other && other !== agreement.partnerRetailerId ? { ...agreement, partnerRetailerId: other } : agreement;
}

export const { proposeAgreement, acceptAgreement, revokeAgreement, listAgreements, getAgreement } = agreementUseCases(cosmosRecords);
