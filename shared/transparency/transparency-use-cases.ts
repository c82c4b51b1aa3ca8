import { ServiceUnavailableError } from '../domain/errors';
import {
  byMonthAgencyBasis,
  countRequest,
  monthOf,
  policeRequestOf,
  publicItem,
  reportItem,
  sumRows,
  type PublicReportItem,
  type ReportItem,
  type TransparencyRow,
} from '../domain/transparency';
import { auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { chainHead } from '../audit/audit-log';
import { readPoliceEntries } from '../audit/audit-entry-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getOrg } from '../orgs/org-repository';
import { clearStale, monthsOfYear, readMonth, readMonthRange, readTally, saveTally, staleRetailers } from './transparency-repository';

/** Per round: entries folded, and months touched (a batch holds the bookmark and at most 99 months). */
const ROUND_ENTRIES = 5_000;
const ROUND_MONTHS = 90;
const MAX_CONFLICTS = 5;

/**
 * Brings an organisation's tally up to its chain's head (a retailer's: police reads of its data;
 * an agency's: its officers' requests): reads only the police entries appended since the last
 * tally (the bookmark's seq), in rounds, each written with its bookmark in one batch. Another
 * instance tallying at the same time makes a round start again from what it wrote.
 */
export async function tallyChain(retailerId: string): Promise<void> {
  const head = (await chainHead(retailerId))?.seq ?? 0;
  for (let conflicts = 0; conflicts < MAX_CONFLICTS; ) {
    const tally = await readTally(retailerId);
    if (tally.seq >= head) return;
    const months = new Map<string, TransparencyRow[]>();
    let reached = head;
    let folded = 0;
    for await (const entry of readPoliceEntries(retailerId, tally.seq, head)) {
      const request = policeRequestOf(entry, retailerId);
      if (request && !months.has(request.month)) {
        if (months.size >= ROUND_MONTHS) {
          reached = entry.seq - 1;
          break;
        }
        months.set(request.month, await readMonth(retailerId, request.month));
      }
      if (request) countRequest(months.get(request.month)!, request);
      if (++folded >= ROUND_ENTRIES) {
        reached = entry.seq;
        break;
      }
    }
    if (!(await saveTally(retailerId, tally, reached, months))) conflicts += 1;
  }
  throw new ServiceUnavailableError('The transparency tally is being brought up to date by another request; try again.');
}

/** Tallies every chain with police requests since its last tally (the timer, and the public report). */
export async function tallyStale(): Promise<{ tallied: number; failed: number }> {
  const stale = await staleRetailers();
  let failed = 0;
  for (const { retailerId, etag } of stale) {
    try {
      await tallyChain(retailerId);
      await clearStale(retailerId, etag);
    } catch {
      // This chain stays marked for the next run (a fault, or another tally at work); the others go on.
      failed += 1;
    }
  }
  return { tallied: stale.length - failed, failed };
}

const agencyNames = async (items: { agencyId: string }[]): Promise<Map<string, string | null>> => {
  const ids = [...new Set(items.map((i) => i.agencyId))];
  return new Map(await Promise.all(ids.map(async (id) => [id, (await getOrg(id))?.name ?? null] as const)));
};

const monthsBack = (month: string, n: number): string => {
  const d = new Date(`${month}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return monthOf(d.toISOString());
};

export interface RetailerReport {
  retailerId: string;
  from: string;
  to: string;
  items: ReportItem[];
}

/** The caller's retailer's police requests per agency × legal basis × month, from `from` to `to` (default: the last twelve months). */
export async function retailerTransparency(caller: Caller, query: { from?: string; to?: string }, now = new Date()): Promise<RetailerReport> {
  const retailerId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'transparency.read', await callerOrgType(caller), { type: 'transparency', id: retailerId });
  const to = query.to ?? monthOf(now.toISOString());
  const from = query.from ?? monthsBack(to, 11);
  await tallyChain(retailerId);
  const months = await readMonthRange(retailerId, from, to);
  const rows = [...months].flatMap(([month, list]) => list.map((row) => ({ month, row })));
  const names = await agencyNames(rows.map((r) => r.row));
  const items = rows.map(({ month, row }) => reportItem(month, row, names.get(row.agencyId) ?? null)).sort(byMonthAgencyBasis);
  await auditFor(caller, retailerId, { action: 'transparency.read', target: { type: 'transparency', id: retailerId }, details: { from, to, rows: items.length } });
  return { retailerId, from, to, items };
}

/**
 * Every agency's requests per legal basis × month of one year, each request once (from the
 * agencies' own tallies: a list that showed events of many retailers is one list), small counts
 * shown as "<5".
 */
export async function publicTransparency(query: { year?: number }, now = new Date()): Promise<{ year: number; items: PublicReportItem[] }> {
  const year = query.year ?? now.getUTCFullYear();
  await tallyStale();
  const byMonth = new Map<string, TransparencyRow[][]>();
  for await (const { orgId, month, rows } of monthsOfYear(year)) {
    const own = rows.filter((r) => r.agencyId === orgId);
    if (own.length) byMonth.set(month, [...(byMonth.get(month) ?? []), own]);
  }
  const rows = [...byMonth].flatMap(([month, lists]) => sumRows(lists).map((row) => ({ month, row })));
  const names = await agencyNames(rows.map((r) => r.row));
  return { year, items: rows.map(({ month, row }) => reportItem(month, row, names.get(row.agencyId) ?? null)).sort(byMonthAgencyBasis).map(publicItem) };
}
