import { mustStatePurpose } from '../domain/authorization';
import { ForbiddenError } from '../domain/errors';
import { purposeFrom, type Purpose } from '../domain/police-purpose';
import { auditFor, type Caller } from '../audit/audited-authorize';
import { getOrg, readOrgNow } from './org-repository';
import { markStale } from '../transparency/transparency-repository';

/**
 * The door every authenticated request of an agency passes (PRODUCT §5b), before anything it
 * asks for is read: 403 AGENCY_NOT_ACTIVE unless the agency is approved and its approval has not
 * expired (read fresh, so a suspension applies to the next request); then, on a route that reads
 * retailer data, a police officer's stated purpose or 400 PURPOSE_REQUIRED. Each refusal lands in
 * the agency's own chain. Retailers' callers pass with one cached read.
 */
export async function admitCaller(caller: Caller, route: { name: string; purpose?: boolean }, header: (name: string) => string | null): Promise<Purpose | undefined> {
  const orgId = caller.principal.orgId;
  if (!orgId || (await getOrg(orgId))?.type !== 'agency') return undefined;
  const target = { type: 'route', id: route.name };
  const status = (await readOrgNow(orgId))?.org.status ?? 'pending';
  if (status !== 'active') {
    await auditFor(caller, orgId, { action: 'agency.request', target, outcome: 'denied', details: { code: 'AGENCY_NOT_ACTIVE', status } });
    throw new ForbiddenError(`This agency is ${status}: its officers have no access until a platform administrator approves it.`, 'AGENCY_NOT_ACTIVE');
  }
  if (!route.purpose || !mustStatePurpose(caller.principal)) return undefined;
  try {
    return purposeFrom(header);
  } catch (error) {
    await auditFor(caller, orgId, { action: 'police.read', target, outcome: 'denied', details: { code: 'PURPOSE_REQUIRED' } });
    throw error;
  }
}

export type PoliceCaller = Caller & { purpose: Purpose };

/**
 * What a police officer asked for and was answered, in their own agency's chain (PRODUCT §5b): the
 * route, the status, the stated legal basis and case reference. The owning retailers' chains say
 * what was shown; this is the agency's record of its officers' use, which its supervisors review.
 */
export async function recordPoliceUse(caller: PoliceCaller, route: string, status: number): Promise<void> {
  await auditFor(caller, caller.principal.orgId!, {
    action: 'police.request',
    target: { type: 'route', id: route },
    outcome: status < 400 ? 'success' : 'denied',
    details: { status },
  });
  await markStale(caller.principal.orgId!);
}
