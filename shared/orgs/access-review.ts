import { officerUse, type OfficerUse } from '../domain/access-review';
import { auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { readActionsBetween } from '../audit/audit-entry-repository';
import { callerOrgType } from './org-use-cases';

const DAY = 86_400_000;

/**
 * A supervisor's review of their agency's officers over a period (default the last 30 days): what
 * each asked for, under which legal bases and case references, from the agency's own chain.
 */
export async function accessReview(caller: Caller, query: { from?: string; to?: string }, now = new Date()): Promise<{ agencyId: string; from: string; to: string; officers: OfficerUse[] }> {
  const agencyId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'access-review.read', await callerOrgType(caller), { type: 'access-review', id: agencyId });
  const to = query.to ? endOf(query.to) : now.toISOString();
  const from = query.from ? new Date(query.from).toISOString() : new Date(Date.parse(to) - 30 * DAY).toISOString();
  const entries = [];
  for await (const entry of readActionsBetween(agencyId, ['police.request', 'police.read'], from, to)) entries.push(entry);
  const officers = officerUse(entries);
  await auditFor(caller, agencyId, { action: 'access-review.read', target: { type: 'access-review', id: agencyId }, details: { from, to, officers: officers.length } });
  return { agencyId, from, to, officers };
}

/** A date alone means the whole day. */
const endOf = (value: string): string => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(Date.parse(value) + DAY - 1).toISOString() : new Date(value).toISOString());
