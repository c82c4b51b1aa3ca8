import { randomUUID } from 'node:crypto';
import { activationOf, newOrg, type ActivationInput, type CreateOrg, type Org, type PutStore, type Store } from '../domain/organisation';
import { ConflictError, NotFoundError } from '../domain/errors';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleAudit, settleFreshAudit } from '../audit/audit-outbox';
import { getOrg, getStore, insertOrg, listStores, readOrgNow, replaceOrg, upsertStore } from './org-repository';
import { may } from '../domain/authorization';

/** The caller's organisation type, or null when the token names no existing organisation. */
export async function callerOrgType(caller: Caller): Promise<Org['type'] | null> {
  return caller.principal.orgId ? (await getOrg(caller.principal.orgId))?.type ?? null : null;
}

export async function createOrganisation(caller: Caller, input: CreateOrg, now = new Date()): Promise<Org> {
  await authorizeAudited(caller, 'org.create', await callerOrgType(caller), { type: 'org', id: input.id });
  const org = newOrg(input, caller.principal.sub, now);
  const entry = {
    key: `org.create:${org.id}`,
    draft: auditDraftFor(caller, { action: 'org.create', target: { type: 'org', id: org.id }, details: { type: org.type, jurisdictions: org.jurisdictions } }),
  };
  const stored = await insertOrg(org, entry);
  if (stored === org) await settleFreshAudit(org.id, { ...entry, where: 'orgs-audit-outbox' });
  // A client's retry of this create: the first attempt's entry, if it is still in the outbox, is appended once.
  else await settleAudit(org.id, entry.key, 'orgs-audit-outbox');
  return stored;
}

/** Platform admins see every organisation; anyone else only their own (others answer 404). */
export async function readOrganisation(caller: Caller, orgId: string): Promise<Org> {
  if (!may(caller.principal, 'org.read.any') && caller.principal.orgId !== orgId) throw new NotFoundError();
  await authorizeAudited(caller, 'org.read', await callerOrgType(caller), { type: 'org', id: orgId });
  const org = await getOrg(orgId);
  if (!org) throw new NotFoundError();
  return org;
}

/**
 * Approves an agency (PRODUCT §5b): `active` until `expiresAt`, with the references of the
 * agreement and the privacy assessment it rests on; a suspension is lifted. Recorded in the
 * agency's chain with its record, in one write.
 */
export async function activateAgency(caller: Caller, orgId: string, input: ActivationInput, now = new Date()): Promise<Org> {
  await authorizeAudited(caller, 'org.activate', await callerOrgType(caller), { type: 'org', id: orgId });
  const activation = activationOf(input, caller.principal.sub, now);
  const { agreementReference, privacyAssessmentReference, expiresAt } = activation;
  return changeAgency(caller, orgId, 'org.activate', { agreementReference, privacyAssessmentReference, expiresAt }, (org) => {
    const { suspension: _lifted, ...rest } = org;
    return { ...rest, status: 'active', activation };
  });
}

/** Withdraws an agency's approval at once: every request of its officers is refused from the next one. */
export async function suspendAgency(caller: Caller, orgId: string, now = new Date()): Promise<Org> {
  await authorizeAudited(caller, 'org.activate', await callerOrgType(caller), { type: 'org', id: orgId });
  return changeAgency(caller, orgId, 'org.suspend', {}, (org) => ({
    ...org,
    status: 'suspended',
    suspension: { suspendedAt: now.toISOString(), suspendedBy: caller.principal.sub },
  }));
}

async function changeAgency(caller: Caller, orgId: string, action: string, details: Record<string, string>, change: (org: Org) => Org): Promise<Org> {
  const found = await readOrgNow(orgId);
  if (!found) throw new NotFoundError();
  if (found.org.type !== 'agency') throw new ConflictError('NOT_AN_AGENCY', 'Only an agency is approved or suspended; a retailer is active from its creation.');
  const org = change(found.org);
  const entry = { key: `${action}:${orgId}:${randomUUID()}`, draft: auditDraftFor(caller, { action, target: { type: 'org', id: orgId }, details: { ...details, status: org.status } }) };
  await replaceOrg(org, found.etag, entry);
  await settleFreshAudit(orgId, { ...entry, where: 'orgs-audit-outbox' });
  return org;
}

export async function putStore(
  caller: Caller,
  storeId: string,
  input: PutStore,
  now = new Date(),
): Promise<{ store: Store; created: boolean }> {
  const retailerId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'store.write', await callerOrgType(caller), { type: 'store', id: storeId });
  const at = now.toISOString();
  const { entry, ...result } = await upsertStore({ id: storeId, retailerId, ...input, createdAt: at, updatedAt: at }, (created) => ({
    // One create per store: its key is the store's, so a later write can find its entry left in the outbox.
    key: created ? `store.create:${storeId}` : `store.update:${storeId}:${randomUUID()}`,
    draft: auditDraftFor(caller, { action: created ? 'store.create' : 'store.update', target: { type: 'store', id: storeId }, details: { jurisdiction: input.jurisdiction } }),
  }));
  await settleFreshAudit(retailerId, { ...entry, where: 'orgs-audit-outbox' });
  return result;
}

export async function readStore(caller: Caller, storeId: string): Promise<Store> {
  await authorizeAudited(caller, 'store.read', await callerOrgType(caller), { type: 'store', id: storeId });
  const store = await getStore(caller.principal.orgId ?? '', storeId);
  if (!store) throw new NotFoundError();
  return store;
}

export async function readStores(caller: Caller): Promise<Store[]> {
  const retailerId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'store.read', await callerOrgType(caller), { type: 'store', id: '*' });
  return listStores(retailerId);
}
