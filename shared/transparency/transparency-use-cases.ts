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
import type { AuditEntry } from '../domain/audit-chain';
import { chainHead } from '../audit/audit-log';
import { readPoliceEntries } from '../audit/audit-entry-repository';
import { callerOrgType } from '../orgs/org-use-cases';
import { getOrg } from '../orgs/org-repository';
import { clearStale, MARK_INTERVAL_MS, monthsOfYear, readMonth, readMonthRange, readTally, saveTally, staleRetailers, type Tally } from './transparency-repository';

/** Per round: entries folded, and months touched (a batch holds the bookmark and at most 99 months). */
const ROUND_ENTRIES = 5_000;
const ROUND_MONTHS = 90;
const MAX_CONFLICTS = 5;

/** What the transparency use cases read and write: the repositories in the app, in-memory records in unit tests of this logic. */
export interface TransparencyStore {
  /** Refuses (audited) a caller who may not read the retailer's report. */
  authorize(caller: Caller, retailerId: string): Promise<void>;
  /** The report read, in the retailer's chain. */
  audit(caller: Caller, retailerId: string, details: { from: string; to: string; rows: number }): Promise<void>;
  chainHead(orgId: string): Promise<{ seq: number } | undefined>;
  /** The police entries of a chain after `after`, up to `upto`, in order. */
  readPoliceEntries(orgId: string, after: number, upto: number): AsyncIterable<AuditEntry>;
  readTally(orgId: string): Promise<Tally>;
  readMonth(orgId: string, month: string): Promise<TransparencyRow[]>;
  /** Writes the months with the bookmark moved to `seq`, if the bookmark is still as read; false when another tallied first. */
  saveTally(orgId: string, from: Tally, seq: number, months: Map<string, TransparencyRow[]>): Promise<boolean>;
  readMonthRange(orgId: string, from: string, to: string): Promise<Map<string, TransparencyRow[]>>;
  monthsOfYear(year: number): AsyncIterable<{ orgId: string; month: string; rows: TransparencyRow[] }>;
  /** The chains marked stale: the mark's version, and when it was made. */
  staleRetailers(): Promise<{ retailerId: string; etag: string; at: string }[]>;
  clearStale(orgId: string, etag: string): Promise<void>;
  orgName(orgId: string): Promise<string | undefined>;
}

const cosmosRecords: TransparencyStore = {
  authorize: async (caller, retailerId) => authorizeAudited(caller, 'transparency.read', await callerOrgType(caller), { type: 'transparency', id: retailerId }),
  audit: async (caller, retailerId, details) => void (await auditFor(caller, retailerId, { action: 'transparency.read', target: { type: 'transparency', id: retailerId }, details })),
  chainHead,
  readPoliceEntries: (orgId, after, upto) => readPoliceEntries(orgId, after, upto),
  readTally,
  readMonth,
  saveTally,
  readMonthRange,
  monthsOfYear,
  staleRetailers: () => staleRetailers(),
  clearStale,
  orgName: async (orgId) => (await getOrg(orgId))?.name,
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

/** A mark this young is kept after its chain is tallied: the interval between marks, and clocks a few seconds apart. */
const MARK_KEPT_MS = MARK_INTERVAL_MS + 4_000;

/** Police requests per agency, legal basis and month (PRODUCT §5b), over a store. */
export function transparencyUseCases(store: TransparencyStore) {
  /**
   * Brings an organisation's tally up to its chain's head (a retailer's: police reads of its data;
   * an agency's: its officers' requests): reads only the police entries appended since the last
   * tally (the bookmark's seq), in rounds, each written with its bookmark in one batch. Another
   * instance tallying at the same time makes a round start again from what it wrote.
   */
  async function tallyChain(retailerId: string): Promise<void> {
    const head = (await store.chainHead(retailerId))?.seq ?? 0;
    for (let conflicts = 0; conflicts < MAX_CONFLICTS; ) {
      const tally = await store.readTally(retailerId);
      if (tally.seq >= head) return;
      const months = new Map<string, TransparencyRow[]>();
      let reached = head;
      let folded = 0;
      for await (const entry of store.readPoliceEntries(retailerId, tally.seq, head)) {
        const request = policeRequestOf(entry, retailerId);
        if (request && !months.has(request.month)) {
          if (months.size >= ROUND_MONTHS) {
            reached = entry.seq - 1;
            break;
          }
          months.set(request.month, await store.readMonth(retailerId, request.month));
        }
        if (request) countRequest(months.get(request.month)!, request);
        if (++folded >= ROUND_ENTRIES) {
          reached = entry.seq;
          break;
        }
      }
      if (!(await store.saveTally(retailerId, tally, reached, months))) conflicts += 1;
    }
    throw new ServiceUnavailableError('The transparency tally is being brought up to date by another request; try again.');
  }

  /**
   * Tallies every chain with police requests since its last tally (the timer, and the public
   * report). A mark younger than MARK_KEPT_MS stays for the next run: a process marks a chain at
   * most once a second, so a request made just after a mark marks nothing, and clearing that mark
   * once its own request was tallied left the next one out of the public report until some later
   * request marked the chain again (audit, 2026-12-06). Tallying a chain again costs only what was
   * appended since.
   */
  async function tallyStale(now = new Date()): Promise<{ tallied: number; failed: number }> {
    const stale = await store.staleRetailers();
    let failed = 0;
    for (const { retailerId, etag, at } of stale) {
      try {
        await tallyChain(retailerId);
        if (!(now.getTime() - Date.parse(at) < MARK_KEPT_MS)) await store.clearStale(retailerId, etag);
      } catch {
        // This chain stays marked for the next run (a fault, or another tally at work); the others go on.
        failed += 1;
      }
    }
    return { tallied: stale.length - failed, failed };
  }

  const agencyNames = async (items: { agencyId: string }[]): Promise<Map<string, string | null>> => {
    const ids = [...new Set(items.map((i) => i.agencyId))];
    return new Map(await Promise.all(ids.map(async (id) => [id, (await store.orgName(id)) ?? null] as const)));
  };



  /** The caller's retailer's police requests per agency × legal basis × month, from `from` to `to` (default: the last twelve months). */
  async function retailerTransparency(caller: Caller, query: { from?: string; to?: string }, now = new Date()): Promise<RetailerReport> {
    const retailerId = caller.principal.orgId ?? '';
    await store.authorize(caller, retailerId);
    const to = query.to ?? monthOf(now.toISOString());
    const from = query.from ?? monthsBack(to, 11);
    await tallyChain(retailerId);
    const months = await store.readMonthRange(retailerId, from, to);
    const rows = [...months].flatMap(([month, list]) => list.map((row) => ({ month, row })));
    const names = await agencyNames(rows.map((r) => r.row));
    const items = rows.map(({ month, row }) => reportItem(month, row, names.get(row.agencyId) ?? null)).sort(byMonthAgencyBasis);
    await store.audit(caller, retailerId, { from, to, rows: items.length });
    return { retailerId, from, to, items };
  }

  /**
   * Every agency's requests per legal basis × month of one year, each request once (from the
   * agencies' own tallies: a list that showed events of many retailers is one list), small counts
   * shown as "<5".
   */
  async function publicTransparency(query: { year?: number }, now = new Date()): Promise<{ year: number; items: PublicReportItem[] }> {
    const year = query.year ?? now.getUTCFullYear();
    await tallyStale();
    const byMonth = new Map<string, TransparencyRow[][]>();
    for await (const { orgId, month, rows } of store.monthsOfYear(year)) {
      const own = rows.filter((r) => r.agencyId === orgId);
      if (own.length) byMonth.set(month, [...(byMonth.get(month) ?? []), own]);
    }
    const rows = [...byMonth].flatMap(([month, lists]) => sumRows(lists).map((row) => ({ month, row })));
    const names = await agencyNames(rows.map((r) => r.row));
    return { year, items: rows.map(({ month, row }) => reportItem(month, row, names.get(row.agencyId) ?? null)).sort(byMonthAgencyBasis).map(publicItem) };
  }

  return { tallyChain, tallyStale, retailerTransparency, publicTransparency };
}

export const { tallyChain, tallyStale, retailerTransparency, publicTransparency } = transparencyUseCases(cosmosRecords);
