import { MAX_BATCH_OPERATIONS, readBatch } from '../shared/adapters/cosmos-batch';
import { entryId, entryLocation, readEntry } from '../shared/audit/audit-entry-repository';
import { removeSeeded, seedAuditEntries } from '../tools/audit/seed-entries';
import { localStackToken } from '../tools/dev-issuer/dev-issuer';
import { hostPid, peakTracker, processIdle, queuesIdle } from './host-process';
import { measure, row, type Row } from './measure';
import type { BenchContext } from './run';

const MB = 1024 * 1024;
/** Pages of consecutive ids in flight: the same read-ahead the exporter uses. */
const PAGES_IN_FLIGHT = 4;

/**
 * Audit export: entries/s of `GET /api/v1/audit/export` (JSONL, then CSV) over a chain of 200k
 * entries (20k with --quick), read by a client that keeps up, against a raw paged read of the
 * same entries straight from the Cosmos-protocol server in the same run (pages of 100 ids, one
 * transactional batch of reads each, 4 pages in flight; before and after the exports, averaged).
 * Also the growth of the host process's resident memory while it exports (sampled every 20 ms
 * from /proc, plus the kernel's peak after a reset), and, for the record, plain point reads.
 *
 * The entries are seeded straight into Cosmos DB in transactional batches of 100, as another
 * instance would append them, and removed again afterwards so later benchmarks see the stack
 * as it was.
 */
export async function benchAuditExport(ctx: BenchContext): Promise<Row[]> {
  const total = ctx.quick ? 20_000 : 200_000;
  const { org } = await ctx.retailer();
  const compliance = await token(org);

  const seedStarted = performance.now();
  const seeded = await seedAuditEntries(org, total);
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const entries = seeded + 1; // org.create, then the seeded ones

  try {
    // Earlier benchmarks leave queue work (matching) running in the host; measure it idle.
    const host = hostPid();
    await queuesIdle();
    if (host !== undefined) await processIdle(host);
    const raw1 = await rawPagedRead(org, entries);
    const both = host === undefined ? undefined : peakTracker(host, false);
    // Each format twice, alternating: the first export after the host started also pays for
    // compiling the export path (shown on its own); the throughput figures are the second runs.
    const jsonlCold = await exportOnce(compliance, 'jsonl', host);
    const csvCold = await exportOnce(compliance, 'csv', host);
    const jsonl = await exportOnce(compliance, 'jsonl', host);
    const csv = await exportOnce(compliance, 'csv', host);
    const runs = [jsonlCold, csvCold, jsonl, csv];
    const bothGrowthMb = both ? (Math.max(both.stop().peak, ...runs.map((r) => r.peakRss)) - both.before) / MB : Number.NaN;
    const raw2 = await rawPagedRead(org, entries);
    // Each export also holds the audit records of the exports before it.
    runs.forEach((r, i) => {
      if (r.entries !== entries + i) throw new Error(`export ${i + 1} held ${r.entries} entries; expected ${entries + i}`);
    });
    const raw = (raw1 + raw2) / 2;
    const sample = Math.min(2000, entries);
    const point = await measure(sample, 32, async (i) => {
      await readEntry(org, i + 1);
    });
    return [
      row(`audit export JSONL entries/s (${entries} entries, HTTP)`, jsonl.perSecond, 'entries/s', raw, '>= 0.5'),
      row(`audit export CSV entries/s (${entries} entries, HTTP)`, csv.perSecond, 'entries/s', raw, '>= 0.5'),
      row('audit export JSONL entries/s, first export after the host started', jsonlCold.perSecond, 'entries/s', raw),
      row('audit export first byte (JSONL)', jsonl.firstByteMs, 'ms'),
      row('exporter peak memory growth (host RSS, JSONL export)', Math.max(jsonlCold.peakGrowthMb, jsonl.peakGrowthMb), 'MB', null, '<= 100'),
      row('exporter peak memory growth (host RSS, CSV export)', Math.max(csvCold.peakGrowthMb, csv.peakGrowthMb), 'MB', null, '<= 100'),
      row('exporter peak memory growth (host RSS, all four, from before the first)', bothGrowthMb, 'MB', null, '<= 100'),
      row('raw paged read entries/s (batch reads of 100, 4 in flight)', raw, 'entries/s'),
      row(`raw point reads entries/s (c=32, ${sample} entries)`, point.perSecond, 'entries/s', raw),
      row('seed entries/s (batch creates of 100, 4 in flight)', seeded / seedSeconds, 'entries/s'),
    ];
  } finally {
    await removeSeeded(org, entries);
  }
}

const token = (org: string): Promise<string> => localStackToken({ org, roles: ['Compliance'], mfa: true, ttlSeconds: 3600 });

/** Entries/s reading seqs 1..n straight from Cosmos in pages of 100 ids, PAGES_IN_FLIGHT at a time, in order. */
async function rawPagedRead(org: string, n: number): Promise<number> {
  const started = performance.now();
  let read = 0;
  const pending: Promise<unknown[]>[] = [];
  let next = 1;
  const request = (): void => {
    if (next > n) return;
    const first = next;
    next = Math.min(n, first + MAX_BATCH_OPERATIONS - 1) + 1;
    // Pages of 100 from seq 1 never cross a segment (a multiple of 100 entries).
    pending.push(readBatch('audit', entryLocation(org, first).partitionKey, Array.from({ length: next - first }, (_, i) => entryId(first + i))));
  };
  for (let i = 0; i < PAGES_IN_FLIGHT; i += 1) request();
  while (pending.length > 0) {
    const page = await pending.shift()!;
    request();
    read += page.filter(Boolean).length;
  }
  if (read !== n) throw new Error(`raw read found ${read} of ${n} entries`);
  return n / ((performance.now() - started) / 1000);
}

interface ExportRun {
  perSecond: number;
  entries: number;
  firstByteMs: number;
  peakGrowthMb: number;
  /** Absolute peak RSS of the host during this export, bytes. */
  peakRss: number;
}

async function exportOnce(token: string, format: 'jsonl' | 'csv', pid: number | undefined): Promise<ExportRun> {
  const memory = pid === undefined ? undefined : peakTracker(pid);
  const started = performance.now();
  const res = await fetch(`${process.env.DAYBREAK_BASE_URL}/api/v1/audit/export?format=${format}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200 || !res.body) throw new Error(`export answered ${res.status}: ${await res.text()}`);
  const expected = Number(res.headers.get('x-audit-last-seq')) - Number(res.headers.get('x-audit-first-seq')) + 1;
  let firstByteMs = 0;
  let lines = 0;
  for await (const chunk of res.body) {
    if (firstByteMs === 0) firstByteMs = performance.now() - started;
    for (let i = 0; i < chunk.length; i += 1) if (chunk[i] === 10) lines += 1;
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = memory?.stop();
  const peakGrowthMb = peak ? (peak.peak - peak.before) / MB : Number.NaN;
  const entries = format === 'csv' ? lines - 1 : lines;
  if (entries !== expected) throw new Error(`the ${format} export held ${entries} lines for ${expected} entries`);
  return { perSecond: entries / seconds, entries, firstByteMs, peakGrowthMb, peakRss: peak?.peak ?? 0 };
}
