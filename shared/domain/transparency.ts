import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AuditEntry } from './audit-chain';
import { LegalBasisSchema } from './police-purpose';

/**
 * Transparency reports (PRODUCT §5b): police requests per agency × legal basis × calendar month.
 * A retailer's report counts the entries police reads append to its chain (a request that showed
 * events of three retailers is one in each one's report); the public report counts each request
 * once, from the record an agency's chain keeps of its officers' requests (`police.request`).
 */

/**
 * What a police request was, by the action its entry records; anything else is not counted. An
 * alert delivered to a police subscription (`alert.delivered`) is in the chain with its purpose
 * but is not a request, and the public report (from the agencies' records of their requests)
 * could not count it: neither report does.
 */
const KIND_OF_ACTION: Record<string, Kind> = {
  'event.list': 'lists',
  'event.read': 'reads',
  'evidence.read': 'reads',
  'evidence.custody': 'reads',
  'event.message.read': 'reads',
  'evidence.download': 'downloads',
  'vehicle.events': 'vehicleEnquiries',
  // A case file (PRODUCT §4c): its build reads the retailer's events and evidence; its download hands them over.
  'casefile.build': 'reads',
  'casefile.download': 'downloads',
};
/** The same, by the route an agency's own record names. */
const KIND_OF_ROUTE: Record<string, Kind> = {
  'events-list': 'lists',
  'events-get': 'reads',
  'evidence-get': 'reads',
  'evidence-custody': 'reads',
  'messages-list': 'reads',
  'evidence-download': 'downloads',
  'vehicles-enquiries': 'vehicleEnquiries',
  'case-files-create': 'reads',
  'case-files-content': 'downloads',
};
const KINDS = ['lists', 'reads', 'downloads', 'vehicleEnquiries'] as const;
type Kind = (typeof KINDS)[number];

export interface TransparencyRow {
  agencyId: string;
  legalBasis: string;
  lists: number;
  reads: number;
  downloads: number;
  vehicleEnquiries: number;
  /** Distinct case references, as short hashes (the count is what is shown). */
  cases: string[];
}

/** One retailer's (or, summed, every retailer's) rows of one calendar month, `YYYY-MM`. */

export const monthOf = (at: string): string => at.slice(0, 7);

const caseHash = (agencyId: string, caseReference: string) => createHash('sha256').update(`${agencyId}\n${caseReference}`).digest('hex').slice(0, 16);

/**
 * The request an entry of `chain` records, if it is a successful police read that stated its
 * purpose: in a retailer's chain, an outsider's read of its data; in an agency's own chain, only
 * its record of each request (the other entries there repeat what the owners' chains hold).
 */
export function policeRequestOf(entry: AuditEntry, chain: string): { month: string; agencyId: string; legalBasis: string; kind: Kind; caseReference: string } | undefined {
  const own = entry.actor.org === chain;
  const kind = own ? (entry.action === 'police.request' ? KIND_OF_ROUTE[entry.target.id] : undefined) : KIND_OF_ACTION[entry.action];
  const { legalBasis, caseReference } = entry.details;
  if (!kind || entry.outcome !== 'success' || !entry.actor.org || typeof legalBasis !== 'string' || typeof caseReference !== 'string') return undefined;
  return { month: monthOf(entry.at), agencyId: entry.actor.org, legalBasis, kind, caseReference };
}

/** Adds one police request to the month's rows (changing them in place). */
export function countRequest(rows: TransparencyRow[], request: NonNullable<ReturnType<typeof policeRequestOf>>): void {
  let row = rows.find((r) => r.agencyId === request.agencyId && r.legalBasis === request.legalBasis);
  if (!row) {
    row = { agencyId: request.agencyId, legalBasis: request.legalBasis, lists: 0, reads: 0, downloads: 0, vehicleEnquiries: 0, cases: [] };
    rows.push(row);
  }
  row[request.kind] += 1;
  const hash = caseHash(request.agencyId, request.caseReference);
  if (!row.cases.includes(hash)) row.cases.push(hash);
}

/** Rows of several retailers for one month, summed per agency and legal basis (case references counted once). */
export function sumRows(rows: TransparencyRow[][]): TransparencyRow[] {
  const out: TransparencyRow[] = [];
  for (const row of rows.flat()) {
    const sum = out.find((r) => r.agencyId === row.agencyId && r.legalBasis === row.legalBasis);
    if (!sum) {
      out.push({ ...row, cases: [...row.cases] });
      continue;
    }
    for (const k of KINDS) sum[k] += row[k];
    for (const c of row.cases) if (!sum.cases.includes(c)) sum.cases.push(c);
  }
  return out;
}

export const ReportItemSchema = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  agencyId: z.string(),
  agencyName: z.string().nullable(),
  legalBasis: LegalBasisSchema,
  lists: z.number().int(),
  reads: z.number().int(),
  downloads: z.number().int(),
  vehicleEnquiries: z.number().int(),
  caseReferences: z.number().int(),
}).meta({ id: 'TransparencyRow' });
export type ReportItem = z.infer<typeof ReportItemSchema>;

const Published = z.union([z.number().int().min(5), z.literal('<5')]);
export const PublicReportItemSchema = ReportItemSchema.extend({
  lists: Published,
  reads: Published,
  downloads: Published,
  vehicleEnquiries: Published,
  caseReferences: Published,
}).meta({ id: 'PublicTransparencyRow' });
export type PublicReportItem = z.infer<typeof PublicReportItemSchema>;

export function reportItem(month: string, row: TransparencyRow, agencyName: string | null): ReportItem {
  const { agencyId, legalBasis, lists, reads, downloads, vehicleEnquiries } = row;
  return { month, agencyId, agencyName, legalBasis: legalBasis as ReportItem['legalBasis'], lists, reads, downloads, vehicleEnquiries, caseReferences: row.cases.length };
}

/** A count below 5 is published as "<5": small numbers about one agency's month could point at a case. */
const published = (n: number): number | '<5' => (n < 5 ? '<5' : n);

export function publicItem(item: ReportItem): PublicReportItem {
  return {
    ...item,
    lists: published(item.lists),
    reads: published(item.reads),
    downloads: published(item.downloads),
    vehicleEnquiries: published(item.vehicleEnquiries),
    caseReferences: published(item.caseReferences),
  };
}

/** Report order: month, then agency, then legal basis. */
export const byMonthAgencyBasis = (a: ReportItem, b: ReportItem): number =>
  a.month.localeCompare(b.month) || a.agencyId.localeCompare(b.agencyId) || a.legalBasis.localeCompare(b.legalBasis);

/**
 * A month, or a date or date-time within it (the report's unit is the calendar month, UTC): a
 * date-time counts in the month its instant falls in ("2026-11-30T20:00:00-05:00" is December);
 * an impossible date is refused, as every other range of the API refuses it.
 */
const Month = z
  .union([z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/), z.iso.date(), z.iso.datetime({ offset: true })], { error: 'Use a month (YYYY-MM), a date or a date-time with its offset.' })
  .transform((s) => (s.length > 10 ? new Date(s).toISOString() : s).slice(0, 7));

export const TransparencyQuerySchema = z
  .object({
    from: Month.optional(),
    to: Month.optional(),
  })
  .strict()
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: 'from is after to.', path: ['from'] });

/** Four digits: "0x7EA", "2e3" or " 2026" are not years. */
export const PublicTransparencyQuerySchema = z
  .object({ year: z.preprocess((v) => (typeof v === 'string' && /^\d{4}$/.test(v) ? Number(v) : v), z.number().int().min(2000).max(2100)).optional() })
  .strict();
