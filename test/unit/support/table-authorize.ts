import type { Caller } from '../../../shared/audit/audited-authorize';
import { authorize, type Action } from '../../../shared/domain/authorization';
import type { OrgType } from '../../../shared/domain/organisation';

/**
 * The authorization a use case asks of its store, decided by the one table (shared/domain/authorization.ts)
 * with its own errors (403 FORBIDDEN, 403 MFA_REQUIRED), as authorizeAudited does in the app; each
 * question is recorded as "action target" so that tests can say what was asked.
 */
export class TableAuthorizer {
  asked: string[] = [];
  constructor(private readonly orgTypeOf: (orgId: string) => OrgType | null | undefined) {}

  check(caller: Caller, action: Action, target = ''): Promise<void> {
    this.asked.push(`${action} ${target}`.trim());
    try {
      authorize(caller.principal, action, this.orgTypeOf(caller.principal.orgId ?? '') ?? null);
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }
}
