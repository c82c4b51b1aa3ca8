import { randomUUID } from 'node:crypto';
import { activationOf, newOrg, type ActivationInput, type CreateOrg, type Org, type PutStore, type Store } from '../domain/organisation';
import { ConflictError, NotFoundError } from '../domain/errors';
import { auditDraftFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleAudit, settleFreshAudit } from '../audit/audit-outbox';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { getOrg, getStore, insertOrg, listStores, readOrgNow, replaceOrg, upsertStore } from './org-repository';
import { may } from '../domain/authorization';

/** The caller's organisation type, or null when the token names no existing organisation. */
export async function callerOrgType(caller: Caller): Promise<Org['type'] | null> {
  return caller.principal.orgId ? (await getOrg(caller.principal.orgId))?.type ?? null : null;
}

/** What the organisation use cases read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface OrgStore {
  /** Refuses (audited) a caller who may not perform `action`. */
  authorize(caller: Caller, action: 'org.create' | 'org.read' | 'org.activate' | 'org.suspend' | 'store.write' | 'store.read', target: { type: string; id: string }): Promise<void>;
  getOrg(orgId: string): Promise<Org | undefined>;
  /** Uncached, with its version. */
  readOrgNow(orgId: string): Promise<{ org: Org; etag: string } | undefined>;
  /**
   * Creates it with its entry's outbox document. `created` is false for a client's retry of a create
   * already stored (the stored organisation is answered; 409 if another create differs).
   */
  insertOrg(org: Org, entry: OutboxDraft): Promise<{ org: Org; created: boolean }>;
  /** Replaces the version read (412 if it moved), with its entry's outbox document. */
  replaceOrg(org: Org, etag: string, entry: OutboxDraft): Promise<void>;
  upsertStore(store: Store, entry: (created: boolean) => OutboxDraft): Promise<{ store: Store; created: boolean; entry: OutboxDraft }>;
  getStore(retailerId: string, storeId: string): Promise<Store | undefined>;
  listStores(retailerId: string): Promise<Store[]>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(orgId: string, entry: OutboxDraft): Promise<void>;
  /** Appends the entry an earlier attempt left in the outbox, if any. */
  settleAudit(orgId: string, key: string): Promise<void>;
}

const cosmosRecords: OrgStore = {
  authorize: async (caller, action, target) => authorizeAudited(caller, action, await callerOrgType(caller), target),
  getOrg,
  readOrgNow,
  // The repository answers the very object it was given when this call stored it (or its lost answer was this create's).
  insertOrg: async (org, entry) => {
    const stored = await insertOrg(org, entry);
    return { org: stored, created: stored === org };
  },
  replaceOrg,
  upsertStore,
  getStore,
  listStores,
  settleFreshAudit: (orgId, entry) => settleFreshAudit(orgId, { ...entry, where: 'orgs-audit-outbox' }),
  settleAudit: async (orgId, key) => void (await settleAudit(orgId, key, 'orgs-audit-outbox')),
};

/** Organisations and their stores (PRODUCT §1, §5b), over a store of records. */
export function orgUseCases(records: OrgStore) {
  async function createOrganisation(caller: Caller, input: CreateOrg, now = new Date()): Promise<Org> {
    await records.authorize(caller, 'org.create', { type: 'org', id: input.id });
    const org = newOrg(input, caller.principal.sub, now);
    const entry = {
      key: `org.create:${org.id}`,
      draft: auditDraftFor(caller, { action: 'org.create', target: { type: 'org', id: org.id }, details: { type: org.type, jurisdictions: org.jurisdictions } }),
    };
    const { org: stored, created } = await records.insertOrg(org, entry);
    if (created) await records.settleFreshAudit(org.id, entry);
    // A client's retry of this create: the first attempt's entry, if it is still in the outbox, is appended once.
    else await records.settleAudit(org.id, entry.key);
    return stored;
  }

  /** Platform admins see every organisation; anyone else only their own (others answer 404). */
  async function readOrganisation(caller: Caller, orgId: string): Promise<Org> {
    if (!may(caller.principal, 'org.read.any') && caller.principal.orgId !== orgId) throw new NotFoundError();
    await records.authorize(caller, 'org.read', { type: 'org', id: orgId });
    // Read now, not from the per-process cache: the status shown is the one access is decided on
    // this moment (an approval past its expiresAt is `expired`, as its officers are told).
    const found = await records.readOrgNow(orgId);
    if (!found) throw new NotFoundError();
    return found.org;
  }

  /**
   * Approves an agency (PRODUCT §5b): `active` until `expiresAt`, with the references of the
   * agreement and the privacy assessment it rests on; a suspension is lifted. Recorded in the
   * agency's chain with its record, in one write.
   */
  async function activateAgency(caller: Caller, orgId: string, input: ActivationInput, now = new Date()): Promise<Org> {
    await records.authorize(caller, 'org.activate', { type: 'org', id: orgId });
    const activation = activationOf(input, caller.principal.sub, now);
    const { agreementReference, privacyAssessmentReference, expiresAt } = activation;
    return changeAgency(caller, orgId, 'org.activate', { agreementReference, privacyAssessmentReference, expiresAt }, (org) => {
      const { suspension: _lifted, ...rest } = org;
      return { ...rest, status: 'active', activation };
    });
  }

  /** Withdraws an agency's approval at once: every request of its officers is refused from the next one. */
  async function suspendAgency(caller: Caller, orgId: string, now = new Date()): Promise<Org> {
    await records.authorize(caller, 'org.suspend', { type: 'org', id: orgId });
    return changeAgency(caller, orgId, 'org.suspend', {}, (org) => ({
      ...org,
      status: 'suspended',
      suspension: { suspendedAt: now.toISOString(), suspendedBy: caller.principal.sub },
    }));
  }

  async function changeAgency(caller: Caller, orgId: string, action: string, details: Record<string, string>, change: (org: Org) => Org): Promise<Org> {
    const found = await records.readOrgNow(orgId);
    if (!found) throw new NotFoundError();
    if (found.org.type !== 'agency') throw new ConflictError('NOT_AN_AGENCY', 'Only an agency is approved or suspended; a retailer is active from its creation.');
    const org = change(found.org);
    const entry = { key: `${action}:${orgId}:${randomUUID()}`, draft: auditDraftFor(caller, { action, target: { type: 'org', id: orgId }, details: { ...details, status: org.status } }) };
    await records.replaceOrg(org, found.etag, entry);
    await records.settleFreshAudit(orgId, entry);
    return org;
  }

  async function putStore(
    caller: Caller,
    storeId: string,
    input: PutStore,
    now = new Date(),
  ): Promise<{ store: Store; created: boolean }> {
    const retailerId = caller.principal.orgId ?? '';
    await records.authorize(caller, 'store.write', { type: 'store', id: storeId });
    const at = now.toISOString();
    const { entry, ...result } = await records.upsertStore({ id: storeId, retailerId, ...input, createdAt: at, updatedAt: at }, (created) => ({
      // One create per store: its key is the store's, so a later write can find its entry left in the outbox.
      key: created ? `store.create:${storeId}` : `store.update:${storeId}:${randomUUID()}`,
      draft: auditDraftFor(caller, { action: created ? 'store.create' : 'store.update', target: { type: 'store', id: storeId }, details: { jurisdiction: input.jurisdiction } }),
    }));
    await records.settleFreshAudit(retailerId, entry);
    return result;
  }

  async function readStore(caller: Caller, storeId: string): Promise<Store> {
    await records.authorize(caller, 'store.read', { type: 'store', id: storeId });
    const found = await records.getStore(caller.principal.orgId ?? '', storeId);
    if (!found) throw new NotFoundError();
    return found;
  }

  async function readStores(caller: Caller): Promise<Store[]> {
    const retailerId = caller.principal.orgId ?? '';
    await records.authorize(caller, 'store.read', { type: 'store', id: '*' });
    return records.listStores(retailerId);
  }

  return { createOrganisation, readOrganisation, activateAgency, suspendAgency, putStore, readStore, readStores };
}

export const { createOrganisation, readOrganisation, activateAgency, suspendAgency, putStore, readStore, readStores } = orgUseCases(cosmosRecords);
