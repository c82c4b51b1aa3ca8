import { agreementId, type Agreement } from '../domain/sharing';
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { randomUUID } from 'node:crypto';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { getOrg } from '../orgs/org-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { listAgreementsOf, readAgreement, writeAgreement } from './agreement-repository';

/** The change's entry for each party's chain: stored with the agreement, then appended (audit-outbox.ts). */
function entriesFor(caller: Caller, agreement: Agreement, action: string) {
  return agreement.parties.map((org) => ({
    key: `${action}:${agreement.id}:${org}:${randomUUID()}`,
    chain: org,
    draft: auditDraftFor(caller, { action, target: { type: 'agreement', id: agreement.id }, details: { status: agreement.status, parties: [...agreement.parties] } }),
  }));
}

async function recordChange(caller: Caller, agreement: Agreement, etag: string | null, action: string): Promise<void> {
  const entries = entriesFor(caller, agreement, action);
  await writeAgreement(agreement, etag, entries);
  for (const entry of entries) await settleFreshAudit(agreement.id, { ...entry, where: 'agreements-audit-outbox' });
}

/** A retailer's RetailerAdmin proposes; the partner must be another existing retailer. */
export async function proposeAgreement(caller: Caller, partnerRetailerId: string, now = new Date()): Promise<Agreement> {
  const me = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'agreement.manage', await callerOrgType(caller), { type: 'agreement', id: partnerRetailerId });
  const partner = await getOrg(partnerRetailerId);
  if (partnerRetailerId === me || partner?.type !== 'retailer') {
    throw new ValidationError([{ path: 'partnerRetailerId', message: 'Name another retailer.' }], 'Unknown partner retailer.', 'UNKNOWN_RETAILER');
  }
  const id = agreementId(me, partnerRetailerId);
  const existing = await readAgreement(id);
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

/** Agreements the caller's retailer is not party to answer 404, like anything else of another organisation. */
async function ownAgreement(caller: Caller, id: string) {
  const found = await readAgreement(id);
  if (!found || !found.agreement.parties.includes(caller.principal.orgId ?? '')) throw new NotFoundError();
  return found;
}

export async function acceptAgreement(caller: Caller, id: string, now = new Date()): Promise<Agreement> {
  await authorizeAudited(caller, 'agreement.manage', await callerOrgType(caller), { type: 'agreement', id });
  const { agreement, etag } = await ownAgreement(caller, id);
  if (agreement.status !== 'proposed' || agreement.partnerRetailerId !== caller.principal.orgId) {
    throw new ConflictError('AGREEMENT_NOT_ACCEPTABLE', 'Only the invited partner accepts, and only a proposed agreement.');
  }
  const accepted: Agreement = { ...agreement, status: 'active', acceptedAt: now.toISOString() };
  await recordChange(caller, accepted, etag, 'agreement.accept');
  return accepted;
}

/** Either side ends it, effective for the very next read (visibility reads the record every time). */
export async function revokeAgreement(caller: Caller, id: string, now = new Date()): Promise<Agreement> {
  await authorizeAudited(caller, 'agreement.manage', await callerOrgType(caller), { type: 'agreement', id });
  const { agreement, etag } = await ownAgreement(caller, id);
  if (agreement.status === 'revoked') return agreement;
  const revoked: Agreement = { ...agreement, status: 'revoked', revokedAt: now.toISOString(), revokedBy: caller.principal.orgId };
  await recordChange(caller, revoked, etag, 'agreement.revoke');
  return revoked;
}

export async function listAgreements(caller: Caller): Promise<Agreement[]> {
  await authorizeAudited(caller, 'agreement.read', await callerOrgType(caller), { type: 'agreement', id: '*' });
  return listAgreementsOf(caller.principal.orgId ?? '');
}

/** One agreement of the caller's retailer (where a proposal's Location points); another's answers 404. */
export async function getAgreement(caller: Caller, id: string): Promise<Agreement> {
  await authorizeAudited(caller, 'agreement.read', await callerOrgType(caller), { type: 'agreement', id });
  return (await ownAgreement(caller, id)).agreement;
}
