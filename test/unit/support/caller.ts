import type { Caller } from '../../../shared/audit/audited-authorize';
import type { Role } from '../../../shared/domain/principal';

/** A caller of one organisation with one role, as a verified token makes it (`mfa`: a fresh second factor). */
export function callerAs(orgId: string, role: Role, mfa = true): Caller {
  return { principal: { sub: `${role}@${orgId}`, orgId, roles: [role], stores: null, mfa }, requestId: 'r1' };
}
