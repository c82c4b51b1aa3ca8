import { authorize, type Action } from '../domain/authorization';
import { AppError } from '../domain/errors';
import type { OrgType } from '../domain/organisation';
import type { Principal } from '../domain/principal';
import { actorOf } from './actor';
import { appendAudit } from './audit-log';

export interface Caller {
  principal: Principal;
  requestId: string;
}

/**
 * authorize(), and when it refuses, the attempt lands in the caller's own chain as
 * `outcome: "denied"` before the 403 goes out. `callerOrgType` is null when the caller's
 * organisation does not exist, and then there is no chain to write to.
 */
export async function authorizeAudited(
  caller: Caller,
  action: Action,
  callerOrgType: OrgType | null,
  target: { type: string; id: string },
): Promise<void> {
  try {
    authorize(caller.principal, action, callerOrgType);
  } catch (error) {
    if (error instanceof AppError && caller.principal.orgId && callerOrgType) {
      await appendAudit(caller.principal.orgId, {
        actor: actorOf(caller.principal),
        action,
        target,
        outcome: 'denied',
        requestId: caller.requestId,
        details: { code: error.code },
      });
    }
    throw error;
  }
}
