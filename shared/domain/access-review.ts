import { z } from 'zod';
import type { AuditEntry } from './audit-chain';
import { LegalBasisSchema } from './police-purpose';

/** At most this many distinct case references are listed per officer (the count is always whole). */
export const MAX_LISTED_CASES = 200;

export const OfficerUseSchema = z.object({
  officer: z.string(),
  requests: z.number().int(),
  /** Requests answered with an error (not found, forbidden, bad input). */
  refusedRequests: z.number().int(),
  /** Attempts without a valid legal basis and case reference (400 PURPOSE_REQUIRED). */
  withoutPurpose: z.number().int(),
  legalBases: z.partialRecord(LegalBasisSchema, z.number().int()),
  caseReferences: z.array(z.string()),
  caseReferenceCount: z.number().int(),
  routes: z.record(z.string(), z.number().int()),
  firstAt: z.string(),
  lastAt: z.string(),
}).meta({ id: 'OfficerUse' });
export type OfficerUse = z.infer<typeof OfficerUseSchema>;

const IsoDateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

export const AccessReviewQuerySchema = z
  .object({ from: IsoDateOrTime.optional(), to: IsoDateOrTime.optional() })
  .strict()
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from is after to.', path: ['from'] });

/** Folds an agency's record of its officers' requests (police.request) and refusals (police.read, denied) into one row per officer. */
export function officerUse(entries: Iterable<AuditEntry>): OfficerUse[] {
  const byOfficer = new Map<string, OfficerUse & { cases: Set<string> }>();
  for (const e of entries) {
    let row = byOfficer.get(e.actor.sub);
    if (!row) {
      row = { officer: e.actor.sub, requests: 0, refusedRequests: 0, withoutPurpose: 0, legalBases: {}, caseReferences: [], caseReferenceCount: 0, routes: {}, firstAt: e.at, lastAt: e.at, cases: new Set() };
      byOfficer.set(e.actor.sub, row);
    }
    row.lastAt = e.at;
    if (e.action === 'police.read') {
      row.withoutPurpose += 1;
      continue;
    }
    row.requests += 1;
    if (e.outcome !== 'success') row.refusedRequests += 1;
    row.routes[e.target.id] = (row.routes[e.target.id] ?? 0) + 1;
    const basis = LegalBasisSchema.safeParse(e.details.legalBasis);
    if (basis.success) row.legalBases[basis.data] = (row.legalBases[basis.data] ?? 0) + 1;
    if (typeof e.details.caseReference === 'string') row.cases.add(e.details.caseReference);
  }
  return [...byOfficer.values()]
    .map(({ cases, ...row }) => ({ ...row, caseReferences: [...cases].sort().slice(0, MAX_LISTED_CASES), caseReferenceCount: cases.size }))
    .sort((a, b) => b.requests - a.requests || a.officer.localeCompare(b.officer));
}
