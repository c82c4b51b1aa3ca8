import { officerUse, type OfficerUse } from '../domain/access-review';
import type { AuditEntry } from '../domain/audit-chain';
import { auditFor, authorizeAudited, type AuditOf, type Caller } from '../audit/audited-authorize';
import { readActionsBetween } from '../audit/audit-entry-repository';
import { callerOrgType } from './org-use-cases';

const DAY = 86_400_000;

/** What an access review reads and records: the agency's chain in the app, entries in memory in unit tests of this logic. */
export interface AccessReviewStore {
  /** Refuses (audited) a caller who may not review the agency's officers. */
  authorize(caller: Caller, agencyId: string): Promise<void>;
  /** The agency's entries of these actions between `from` and `to` (ISO, both included), oldest first. */
  readActionsBetween(agencyId: string, actions: string[], from: string, to: string): AsyncIterable<AuditEntry>;
  /** The review, in the agency's chain. */
  audit(caller: Caller, agencyId: string, entry: AuditOf): Promise<unknown>;
}

const cosmosRecords: AccessReviewStore = {
  authorize: async (caller, agencyId) => authorizeAudited(caller, 'access-review.read', await callerOrgType(caller), { type: 'access-review', id: agencyId }),
  readActionsBetween: (agencyId, actions, from, to) => readActionsBetween(agencyId, actions, from, to),
  audit: (caller, agencyId, entry) => auditFor(caller, agencyId, entry),
};

/** Supervisors' reviews of their agency's officers, over a store. */
export function accessReviews(store: AccessReviewStore) {
  /**
   * A supervisor's review of their agency's officers over a period (default the last 30 days): what
   * each asked for, under which legal bases and case references, from the agency's own chain.
   */
  return async function accessReview(caller: Caller, query: { from?: string; to?: string }, now = new Date()): Promise<{ agencyId: string; from: string; to: string; officers: OfficerUse[] }> {
    const agencyId = caller.principal.orgId ?? '';
    await store.authorize(caller, agencyId);
    const to = query.to ? endOf(query.to) : now.toISOString();
    const from = query.from ? new Date(query.from).toISOString() : new Date(Date.parse(to) - 30 * DAY).toISOString();
    const entries = [];
    for await (const entry of store.readActionsBetween(agencyId, ['police.request', 'police.read'], from, to)) entries.push(entry);
    const officers = officerUse(entries);
    await store.audit(caller, agencyId, { action: 'access-review.read', target: { type: 'access-review', id: agencyId }, details: { from, to, officers: officers.length } });
    return { agencyId, from, to, officers };
  };
}

export const accessReview = accessReviews(cosmosRecords);

/** A date alone means the whole day. */
const endOf = (value: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(value) + DAY - 1).toISOString() : new Date(value).toISOString());
