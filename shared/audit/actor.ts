import type { AuditActor } from '../domain/audit-chain';
import type { Principal } from '../domain/principal';

export const actorOf = (p: Principal): AuditActor => ({ sub: p.sub, org: p.orgId, roles: [...p.roles] });
