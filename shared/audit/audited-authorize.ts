import type { AuditDraft, AuditEntry } from '../domain/audit-chain';
import { authorize, type Action } from '../domain/authorization';
import { AppError } from '../domain/errors';
import type { OrgType } from '../domain/organisation';
import type { Principal } from '../domain/principal';
import type { Purpose } from '../domain/police-purpose';
import { actorOf } from './actor';
import { appendAudit } from './audit-log';
import { markStale } from '../transparency/transparency-repository';

export interface Caller {
  principal: Principal;
  requestId: string;
  /** A police officer's stated legal basis and case reference (PRODUCT §5b): in every entry they cause. */
  purpose?: Purpose;
}

/** What audited authorization writes: the audit chain and the transparency tally in the app, in-memory chains in unit tests of this logic. */
export interface AuditedAuthorizeStore {
  /** Appends an entry to an organisation's chain. */
  appendAudit(orgId: string, draft: AuditDraft): Promise<AuditEntry>;
  /** Notes that a retailer's transparency tally is behind its chain. */
  markStale(retailerId: string): Promise<void>;
}

const cosmosRecords: AuditedAuthorizeStore = {
  appendAudit: (orgId, draft) => appendAudit(orgId, draft),
  markStale: (retailerId) => markStale(retailerId),
};

/** Authorization that leaves its refusals, and what a caller does, in the chains; over a store. */
export function auditedAuthorization(store: AuditedAuthorizeStore) {
  /**
   * authorize(), and when it refuses, the attempt lands in the caller's own chain as
   * `outcome: "denied"` before the 403 goes out. `callerOrgType` is null when the caller's
   * organisation does not exist, and then there is no chain to write to.
   */
  async function authorizeAudited(caller: Caller, action: Action, callerOrgType: OrgType | null, target: { type: string; id: string }): Promise<void> {
    try {
      authorize(caller.principal, action, callerOrgType);
    } catch (error) {
      if (error instanceof AppError && caller.principal.orgId && callerOrgType) {
        await auditFor(caller, caller.principal.orgId, { action, target, outcome: 'denied', details: { code: error.code } });
      }
      throw error;
    }
  }

  /**
   * Appends what the caller did (or was refused) to an organisation's chain: the actor and the
   * request id come from the caller; the outcome is a success unless said otherwise.
   */
  async function auditFor(caller: Caller, orgId: string, entry: AuditOf): Promise<AuditEntry> {
    const appended = await store.appendAudit(orgId, auditDraftFor(caller, entry));
    // A police read in a retailer's chain: its transparency tally is behind until counted.
    if (caller.purpose && orgId !== caller.principal.orgId) await store.markStale(orgId);
    return appended;
  }

  return { authorizeAudited, auditFor };
}

export const { authorizeAudited, auditFor } = auditedAuthorization(cosmosRecords);

export type AuditOf = Pick<AuditDraft, 'action' | 'target' | 'details'> & { outcome?: AuditDraft['outcome'] };

/** The entry auditFor would append, for a change that carries it in its audit outbox (audit-outbox.ts). */
export function auditDraftFor(caller: Caller, entry: AuditOf): AuditDraft {
  const details = caller.purpose ? { ...entry.details, legalBasis: caller.purpose.legalBasis, caseReference: caller.purpose.caseReference } : entry.details;
  return { actor: actorOf(caller.principal), requestId: caller.requestId, ...entry, ...(details ? { details } : {}), outcome: entry.outcome ?? 'success' };
}

/**
 * The audit outbox sweep finishing a change in the name of who asked for it (`sub`): no roles (the
 * request was authorized when made), its request id naming what it finishes.
 */
export const sweepCaller = (sub: string, orgId: string, finishing: string): Caller => ({ principal: { sub, orgId, roles: [], stores: null, mfa: false }, requestId: `sweep:${finishing}` });

/**
 * A refused attempt on a record another organisation holds (the caller gets 404, as for one that
 * does not exist): a denied entry in that organisation's chain, so it sees who tried (PRODUCT §8).
 */
export const outsiderAttempt = (action: string, target: { type: string; id: string }): AuditOf => ({ action, target, outcome: 'denied', details: { code: 'NOT_VISIBLE' } });
