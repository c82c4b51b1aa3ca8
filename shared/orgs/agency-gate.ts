import { mustStatePurpose } from '../domain/authorization';
import { ForbiddenError } from '../domain/errors';
import type { Org } from '../domain/organisation';
import type { Purpose } from '../domain/police-purpose';
import { auditFor, type AuditOf, type Caller } from '../audit/audited-authorize';
import { getOrg, readOrgNow } from './org-repository';
import { markStale } from '../transparency/transparency-repository';

export type PoliceCaller = Caller & { purpose: Purpose };

/** What the agency gate reads and where it records: the repositories in the app, in-memory records in unit tests of this logic. */
export interface AgencyGateStore {
  /** The organisation, possibly a minute old (its type never changes). */
  getOrg(orgId: string): Promise<Pick<Org, 'type'> | undefined>;
  /** The organisation as stored this moment (its status decides). */
  readOrgNow(orgId: string): Promise<{ org: Pick<Org, 'status'> } | undefined>;
  auditFor(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
  /** The agency's transparency tally is behind until its new entries are counted. */
  markStale(orgId: string): Promise<void>;
}

const cosmosRecords: AgencyGateStore = { getOrg, readOrgNow, auditFor, markStale };

/** The door every request of an agency passes (PRODUCT §5b), over a store. */
export function agencyGate(store: AgencyGateStore) {
  /**
   * Before anything a request asks for is read: 403 AGENCY_NOT_ACTIVE unless the agency is
   * approved and its approval has not expired (read fresh, so a suspension applies to the next
   * request); then, on a route that reads retailer data, a police officer's stated purpose or 400
   * PURPOSE_REQUIRED. Each refusal lands in the agency's own chain. Retailers' callers pass with
   * one cached read.
   */
  async function admitCaller(caller: Caller, route: { name: string; purpose?: boolean }, statedPurpose: () => Purpose): Promise<Purpose | undefined> {
    const orgId = caller.principal.orgId;
    if (!orgId || (await store.getOrg(orgId))?.type !== 'agency') return undefined;
    const target = { type: 'route', id: route.name };
    const status = (await store.readOrgNow(orgId))?.org.status ?? 'pending';
    if (status !== 'active') {
      await store.auditFor(caller, orgId, { action: 'agency.request', target, outcome: 'denied', details: { code: 'AGENCY_NOT_ACTIVE', status } });
      throw new ForbiddenError(`This agency is ${status}: its officers have no access until a platform administrator approves it.`, 'AGENCY_NOT_ACTIVE');
    }
    if (!route.purpose || !mustStatePurpose(caller.principal)) return undefined;
    try {
      return statedPurpose();
    } catch (error) {
      await store.auditFor(caller, orgId, { action: 'police.read', target, outcome: 'denied', details: { code: 'PURPOSE_REQUIRED' } });
      throw error;
    }
  }

  /**
   * What a police officer asked for and was answered, in their own agency's chain (PRODUCT §5b):
   * the route, the status, the stated legal basis and case reference. The owning retailers' chains
   * say what was shown; this is the agency's record of its officers' use, which its supervisors review.
   */
  async function recordPoliceUse(caller: PoliceCaller, route: string, status: number): Promise<void> {
    await store.auditFor(caller, caller.principal.orgId!, {
      action: 'police.request',
      target: { type: 'route', id: route },
      outcome: status < 400 ? 'success' : 'denied',
      details: { status },
    });
    await store.markStale(caller.principal.orgId!);
  }

  return { admitCaller, recordPoliceUse };
}

export const { admitCaller, recordPoliceUse } = agencyGate(cosmosRecords);
