import type { AuditEntry } from '../audit-chain';

/**
 * What a case file shows of an evidence item's custody to whoever built it. The owning retailer
 * sees its chain's entries as they are. Anyone else (a police officer) sees every entry — when,
 * what, its outcome and hashes, so the chain of custody has no gaps — but an entry made by a third
 * organisation (another agency's officer, a partner) says only that another organisation acted:
 * who, why and under which case reference stay with them.
 */
export const ANOTHER_ORGANISATION = '(another organisation)';

export function custodyFor(entries: readonly AuditEntry[], owner: string, requester: string): AuditEntry[] {
  if (requester === owner) return [...entries];
  return entries.map((entry) => {
    const org = entry.actor.org;
    if (org === null || org === owner || org === requester) return entry;
    return { ...entry, actor: { sub: ANOTHER_ORGANISATION, org: ANOTHER_ORGANISATION, roles: [] }, requestId: '', details: {} };
  });
}
