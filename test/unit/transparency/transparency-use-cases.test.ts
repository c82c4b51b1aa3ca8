import { transparencyUseCases, type TransparencyStore } from '../../../shared/transparency/transparency-use-cases';
import type { Tally } from '../../../shared/transparency/transparency-repository';
import type { TransparencyRow } from '../../../shared/domain/transparency';
import type { AuditEntry } from '../../../shared/domain/audit-chain';
import type { Caller } from '../../../shared/audit/audited-authorize';
import { TableAuthorizer } from '../support/table-authorize';
import type { Role } from '../../../shared/domain/principal';
import { ForbiddenError, ServiceUnavailableError } from '../../../shared/domain/errors';
import { callerAs } from '../support/caller';

/**
 * The transparency tally on its own, over a chain and a tally in memory: only entries after the
 * bookmark are read, in rounds of at most 5,000 entries and 90 months, each round written with
 * its bookmark; another tally writing first makes a round start again; a chain that keeps losing
 * answers 503. The reports over the emulator: test/integration/app/transparency.test.ts.
 */
class Records implements TransparencyStore {
  chains = new Map<string, AuditEntry[]>();
  tallies = new Map<string, { seq: number; etag: string }>();
  months = new Map<string, TransparencyRow[]>();
  /** Marks: their version and when they were made. */
  stale = new Map<string, { etag: string; at: string }>([]);
  names = new Map([['police', 'NZ Police']]);
  audited: unknown[] = [];
  /** Entries read from the chains (a tally must read each once). */
  read = 0;
  saves: number[] = [];
  /** Another tally writes first this many times. */
  losses = 0;
  private version = 0;

  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : undefined));
  authorize = (caller: Caller, retailerId: string) => this.table.check(caller, 'transparency.read', retailerId);
  audit = (_c: Caller, _r: string, details: unknown) => {
    this.audited.push(details);
    return Promise.resolve();
  };
  chainHead = (orgId: string) => Promise.resolve(this.chains.get(orgId)?.at(-1));
  readPoliceEntries = async function* (this: Records, orgId: string, after: number, upto: number) {
    for (const e of this.chains.get(orgId) ?? []) {
      if (e.seq <= after || e.seq > upto || e.details.legalBasis === undefined) continue;
      this.read += 1;
      yield await Promise.resolve(e);
    }
  };
  readTally = (orgId: string): Promise<Tally> => Promise.resolve({ seq: this.tallies.get(orgId)?.seq ?? 0, etag: this.tallies.get(orgId)?.etag ?? null });
  readMonth = (orgId: string, month: string) => Promise.resolve(structuredClone(this.months.get(`${orgId}/${month}`) ?? []));
  saveTally = (orgId: string, from: Tally, seq: number, months: Map<string, TransparencyRow[]>) => {
    if (this.losses > 0) {
      this.losses -= 1;
      return Promise.resolve(false);
    }
    if ((this.tallies.get(orgId)?.etag ?? null) !== from.etag) return Promise.resolve(false);
    this.tallies.set(orgId, { seq, etag: `"${++this.version}"` });
    for (const [month, rows] of months) this.months.set(`${orgId}/${month}`, structuredClone(rows));
    this.saves.push(seq);
    return Promise.resolve(true);
  };
  readMonthRange = (orgId: string, from: string, to: string) =>
    Promise.resolve(new Map([...this.months].filter(([k]) => k.startsWith(`${orgId}/`) && k.slice(orgId.length + 1) >= from && k.slice(orgId.length + 1) <= to).map(([k, rows]) => [k.slice(orgId.length + 1), rows])));
  monthsOfYear = async function* (this: Records, year: number) {
    for (const [k, rows] of this.months) {
      const [orgId, month] = k.split('/') as [string, string];
      if (month.startsWith(`${year}-`)) yield await Promise.resolve({ orgId, month, rows });
    }
  };
  staleRetailers = () => Promise.resolve([...this.stale].map(([retailerId, mark]) => ({ retailerId, ...mark })));
  clearStale = (orgId: string) => {
    this.stale.delete(orgId);
    return Promise.resolve();
  };
  orgName = (orgId: string) => Promise.resolve(this.names.get(orgId));

  /** Appends `n` police reads of `retailer`'s events, one every `step` ms (a day) from `start`, and an ordinary entry after each. */
  policeReads(retailer: string, n: number, start = Date.parse('2026-01-01T00:00:00Z'), step = 86_400_000, agency = 'police', basis = 'investigation') {
    const chain = this.chains.get(retailer) ?? [];
    for (let i = 0; i < n; i++) {
      const at = new Date(start + i * step).toISOString();
      const base = { at, requestId: 'r', prevHash: '0'.repeat(64), hash: '0'.repeat(64), target: { type: 'event', id: `e${i}` }, outcome: 'success' as const };
      chain.push({ ...base, seq: chain.length + 1, actor: { sub: 'officer', org: agency, roles: ['PoliceOfficer'] }, action: 'event.read', details: { legalBasis: basis, caseReference: `CASE-${i % 3}` } });
      chain.push({ ...base, seq: chain.length + 1, actor: { sub: 'staff', org: retailer, roles: ['Investigator'] }, action: 'event.read', details: {} });
    }
    this.chains.set(retailer, chain);
  }
}

const as = (role: Role): Caller => callerAs('shop', role);

function world() {
  const records = new Records();
  return { records, ...transparencyUseCases(records) };
}

describe('the transparency tally, over an in-memory chain', () => {
  it('counts each police read once, per agency, basis and month, with distinct cases; a second tally reads only what was appended since', async () => {
    const { records, tallyChain, retailerTransparency } = world();
    records.policeReads('shop', 40);
    await tallyChain('shop');
    expect(records.read).toBe(40);
    records.policeReads('shop', 5, Date.parse('2026-03-01T00:00:00Z'));
    await tallyChain('shop');
    expect(records.read).toBe(45);
    const report = await retailerTransparency(as('Compliance'), { from: '2026-01', to: '2026-03' }, new Date('2026-03-20T00:00:00Z'));
    expect(report.items).toEqual([
      { month: '2026-01', agencyId: 'police', agencyName: 'NZ Police', legalBasis: 'investigation', lists: 0, reads: 31, downloads: 0, vehicleEnquiries: 0, caseReferences: 3 },
      { month: '2026-02', agencyId: 'police', agencyName: 'NZ Police', legalBasis: 'investigation', lists: 0, reads: 9, downloads: 0, vehicleEnquiries: 0, caseReferences: 3 },
      { month: '2026-03', agencyId: 'police', agencyName: 'NZ Police', legalBasis: 'investigation', lists: 0, reads: 5, downloads: 0, vehicleEnquiries: 0, caseReferences: 3 },
    ]);
    expect(records.audited).toEqual([{ from: '2026-01', to: '2026-03', rows: 3 }]);
  });

  it('folds a long chain in rounds of at most 5,000 entries, and a span of more than 90 months in rounds of at most 90, each with its bookmark', async () => {
    const { records, tallyChain } = world();
    records.policeReads('shop', 12_000, Date.parse('2026-01-01T00:00:00Z'), 3_600_000);
    await tallyChain('shop');
    // Hourly, within 17 months; each police read is followed by an ordinary entry: bookmarks at the 5,000th and 10,000th reads, then the head.
    expect(records.saves).toEqual([9_999, 19_999, 24_000]);
    const long = new Records();
    long.policeReads('shop', 100, Date.parse('2010-01-01T00:00:00Z'));
    // One read a month for 100 months: rewrite each entry's time to its own month.
    long.chains.get('shop')!.forEach((e, i) => (e.at = new Date(Date.UTC(2010, Math.floor(i / 2), 1)).toISOString()));
    await transparencyUseCases(long).tallyChain('shop');
    expect(long.saves).toEqual([180, 200]);
    expect([...long.months.keys()]).toHaveLength(100);
  });

  it('another tally writing first makes a round start again; one that keeps losing answers 503 (the tally stays where it was)', async () => {
    const { records, tallyChain } = world();
    records.policeReads('shop', 10);
    records.losses = 2;
    await tallyChain('shop');
    expect(records.tallies.get('shop')!.seq).toBe(20);
    expect(records.months.get('shop/2026-01')![0]!.reads).toBe(10);
    const busy = new Records();
    busy.policeReads('shop', 10);
    busy.losses = 5;
    await expect(transparencyUseCases(busy).tallyChain('shop')).rejects.toBeInstanceOf(ServiceUnavailableError);
    expect(busy.tallies.get('shop')).toBeUndefined();
  });

  it('the timer tallies every stale chain, leaving one that fails marked for the next run', async () => {
    const { records, tallyStale } = world();
    records.policeReads('shop', 3);
    records.policeReads('other', 3);
    records.stale = new Map([
      ['shop', { etag: '"a"', at: '2026-01-01T00:00:00Z' }],
      ['other', { etag: '"b"', at: '2026-01-01T00:00:00Z' }],
    ]);
    records.losses = 5; // the first chain tallied keeps losing
    expect(await tallyStale()).toEqual({ tallied: 1, failed: 1 });
    expect([...records.stale.keys()]).toEqual(['shop']);
  });

  it('keeps a mark made in the last seconds after tallying its chain: a request just after it marked nothing, and is tallied by the next run', async () => {
    const { records, tallyStale } = world();
    const now = new Date('2026-01-10T00:00:00Z');
    records.policeReads('shop', 1);
    records.policeReads('other', 1);
    records.stale = new Map([
      ['shop', { etag: '"a"', at: new Date(now.getTime() - 300).toISOString() }],
      ['other', { etag: '"b"', at: new Date(now.getTime() - 60_000).toISOString() }],
    ]);
    await tallyStale(now);
    expect([...records.stale.keys()]).toEqual(['shop']);
    // The read 0.6 s after the mark (none made for it) is counted by the next run, which clears the mark once it is old.
    records.policeReads('shop', 1, Date.parse('2026-01-09T00:00:00Z'));
    await tallyStale(new Date(now.getTime() + 10_000));
    expect(records.stale.size).toBe(0);
    expect(records.read).toBe(3);
  });

  it('the public report counts each request once, from the agencies’ own chains, with small counts as "<5"; a retailer role the table refuses meets 403', async () => {
    const { records, publicTransparency, retailerTransparency } = world();
    records.months.set('police/2026-01', [{ agencyId: 'police', legalBasis: 'investigation', lists: 2, reads: 12, downloads: 0, vehicleEnquiries: 0, cases: ['a', 'b'] }]);
    // A retailer's tally of the same requests is not counted again.
    records.months.set('shop/2026-01', [{ agencyId: 'police', legalBasis: 'investigation', lists: 2, reads: 12, downloads: 0, vehicleEnquiries: 0, cases: ['a', 'b'] }]);
    const report = await publicTransparency({ year: 2026 });
    expect(report.items).toEqual([expect.objectContaining({ month: '2026-01', agencyId: 'police', agencyName: 'NZ Police', lists: '<5', reads: 12, caseReferences: '<5' })]);
    await expect(retailerTransparency(as('Reporter'), {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});
