import { z } from 'zod';
import type { AuditEntry, ChainVerdict } from './audit-chain';

/**
 * A digest record: one chain's head at one moment, written to an append-only blob outside
 * the database, so a later rewrite of the chain in the database can be detected from outside
 * it. One JSON object per line (JSONL); `at` is the head entry's own time, `digestedAt` when
 * the record was written.
 */
export const DigestRecordSchema = z.object({
  v: z.literal(1),
  orgId: z.string().min(1).max(128),
  seq: z.number().int().min(1),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  digestedAt: z.string(),
});
export type DigestRecord = z.infer<typeof DigestRecordSchema>;

export function digestRecordFor(orgId: string, head: Pick<AuditEntry, 'seq' | 'hash' | 'at'>, digestedAt: Date): DigestRecord {
  return { v: 1, orgId, seq: head.seq, hash: head.hash, at: head.at, digestedAt: digestedAt.toISOString() };
}

export function digestLine(record: DigestRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/**
 * Parses a digest blob. A line that is not a record is counted, not thrown: the caller
 * decides (verification treats an unreadable digest as a failure to prove anything).
 */
export function parseDigestLines(text: string): { records: DigestRecord[]; unreadable: number } {
  const records: DigestRecord[] = [];
  let unreadable = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      unreadable += 1;
      continue;
    }
    const parsed = DigestRecordSchema.safeParse(value);
    if (parsed.success) records.push(parsed.data);
    else unreadable += 1;
  }
  return { records, unreadable };
}

export interface DigestVerdict {
  /** Distinct digested seqs that fell in the checked run. */
  checked: number;
  firstBadSeq: number | null;
}

/**
 * Checks a run of a chain against its digests as the entries stream past, in memory
 * proportional to the digests (one per chain per run), not the chain. Every digested seq in
 * the run must be present with the digested hash. With an open end (`lastSeq` null: the run
 * goes to the chain's head), a digest beyond the last entry seen means the tail was cut off.
 * A history rewritten and re-hashed consistently is caught at the first digested seq at or
 * after the change: that is the first seq where the difference is provable.
 */
export class DigestCheck {
  private readonly expected = new Map<number, Set<string>>();
  private readonly seen = new Set<number>();
  private firstBad: number | null = null;
  private lastSeen: number | null = null;

  constructor(
    records: Iterable<DigestRecord>,
    private readonly run: { orgId: string; firstSeq: number; lastSeq: number | null },
  ) {
    for (const r of records) {
      if (r.orgId !== run.orgId || r.seq < run.firstSeq || (run.lastSeq !== null && r.seq > run.lastSeq)) continue;
      const hashes = this.expected.get(r.seq) ?? new Set<string>();
      hashes.add(r.hash);
      this.expected.set(r.seq, hashes);
    }
  }

  see(entry: Pick<AuditEntry, 'seq' | 'hash'>): void {
    this.lastSeen = Math.max(this.lastSeen ?? entry.seq, entry.seq);
    const hashes = this.expected.get(entry.seq);
    if (!hashes) return;
    this.seen.add(entry.seq);
    if ([...hashes].some((h) => h !== entry.hash)) this.flag(entry.seq);
  }

  /** `endSeq`: where the run is known to end (a file that ends where its export did); digests past it are out of scope. */
  verdict(endSeq?: number): DigestVerdict {
    let checked = 0;
    for (const seq of this.expected.keys()) {
      if (endSeq !== undefined && seq > endSeq) continue;
      checked += 1;
      if (this.seen.has(seq)) continue;
      const beyond = this.lastSeen === null || seq > this.lastSeen;
      // Entries are gap-free: if a digested seq past the end is gone, so is everything after the end.
      this.flag(beyond ? (this.lastSeen ?? this.run.firstSeq - 1) + 1 : seq);
    }
    return { checked, firstBadSeq: this.firstBad };
  }

  private flag(seq: number): void {
    this.firstBad = this.firstBad === null ? seq : Math.min(this.firstBad, seq);
  }
}

/** The chain's own verdict and the digests' together: the earliest break wins. */
export function withDigests(chain: ChainVerdict, digests: DigestVerdict): ChainVerdict & { digestsChecked: number } {
  const bad = [chain.firstBadSeq, digests.firstBadSeq].filter((s): s is number => s !== null);
  const firstBadSeq = bad.length > 0 ? Math.min(...bad) : null;
  return { ok: firstBadSeq === null, entries: chain.entries, firstBadSeq, digestsChecked: digests.checked };
}
