import { ChainVerifier, type ChainVerdict } from '../domain/audit-chain';
import { callerOrgType } from '../orgs/org-use-cases';
import { actorOf } from './actor';
import { appendAudit } from './audit-log';
import { authorizeAudited, type Caller } from './audited-authorize';
import { readChain, type ChainRange } from './audit-reader';

/**
 * Streams the chain through the verifier. A range without `from` starts at the genesis
 * entry and so also proves nothing was removed from the front.
 */
export async function verifyAuditChain(caller: Caller, range: ChainRange): Promise<ChainVerdict> {
  const orgId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'audit.verify', await callerOrgType(caller), { type: 'audit-chain', id: orgId });
  const verifier = new ChainVerifier(!range.from);
  for await (const entry of readChain(orgId, range)) verifier.push(entry);
  const verdict = verifier.verdict();
  await appendAudit(orgId, {
    actor: actorOf(caller.principal),
    action: 'audit.verify',
    target: { type: 'audit-chain', id: orgId },
    outcome: 'success',
    requestId: caller.requestId,
    details: { ok: verdict.ok, entries: verdict.entries, from: range.from ?? null, to: range.to ?? null },
  });
  return verdict;
}
