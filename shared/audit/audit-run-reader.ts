import type { AuditEntry } from '../domain/audit-chain';
import { MAX_BATCH_OPERATIONS } from '../adapters/cosmos-batch';
import { chainHead } from './audit-log';
import { readEntry, readStoredEntries } from './audit-entry-repository';
import type { ChainRange } from './audit-entry-repository';

/** A contiguous run of seqs of one chain; empty when lastSeq < firstSeq. */
export interface SeqRun {
  firstSeq: number;
  lastSeq: number;
}

/** One seq of a run: its entry, or nothing when the store has no entry there (removed). */
export interface RunItem {
  seq: number;
  entry: AuditEntry | undefined;
}

/**
 * The run of seqs a time range selects: from the first entry at or after `from` to the last
 * at or before `to` (no `from`: seq 1; no `to`: the chain's head as it is now). Entries are
 * appended in time order, so the bounds are found by binary search over point reads (about
 * 2·log₂(n) reads). A run is always contiguous, even where clocks of two instances disagree
 * by a few milliseconds at the boundary, so an exported range always verifies as a chain.
 */
export async function resolveRun(orgId: string, range: ChainRange): Promise<SeqRun> {
  const head = await chainHead(orgId);
  if (!head) return { firstSeq: 1, lastSeq: 0 };
  const firstSeq = range.from ? await firstSeqAtOrAfter(orgId, Date.parse(range.from), head.seq) : 1;
  const lastSeq = range.to ? await lastSeqAtOrBefore(orgId, Date.parse(range.to), head.seq) : head.seq;
  return { firstSeq, lastSeq };
}

/** Smallest seq in [1, headSeq] whose time is ≥ t; headSeq + 1 when none. */
async function firstSeqAtOrAfter(orgId: string, t: number, headSeq: number): Promise<number> {
  let lo = 1;
  let hi = headSeq;
  let answer = headSeq + 1;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await timeAt(orgId, mid, headSeq)) >= t) {
      answer = mid;
      hi = mid - 1;
    } else {
      lo = mid + 1;
    }
  }
  return answer;
}

/** Largest seq in [1, headSeq] whose time is ≤ t; 0 when none. */
async function lastSeqAtOrBefore(orgId: string, t: number, headSeq: number): Promise<number> {
  let lo = 1;
  let hi = headSeq;
  let answer = 0;
  while (lo <= hi) {
    const mid = Math.floor((lo + hi) / 2);
    if ((await timeAt(orgId, mid, headSeq)) <= t) {
      answer = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return answer;
}

/** The time of entry `seq`; a removed entry takes the time of the next one that is there. */
async function timeAt(orgId: string, seq: number, headSeq: number): Promise<number> {
  for (let s = seq; s <= headSeq; s += 1) {
    const entry = await readEntry(orgId, s);
    if (entry) return Date.parse(entry.at);
  }
  return Number.POSITIVE_INFINITY;
}

export interface ReadRunOptions {
  /** Entries per round trip (one transactional batch of reads); at most 100. */
  pageSize?: number;
  /** Pages read ahead of the consumer. Memory is pageSize × (pagesAhead + 1) entries, whatever the run's length. */
  pagesAhead?: number;
}

/**
 * Streams a run in seq order with a bounded read-ahead: pages of consecutive ids read in one
 * round trip each (two where a page crosses into the next segment), a few pages in flight, the
 * next page requested only as the consumer takes one. A consumer that stops pulling stops the reads (back-pressure); one that stops early
 * leaves at most `pagesAhead` pages in flight. Every seq of the run is yielded once, in pages,
 * with `entry` undefined where the store has none.
 */
export async function* readRunPages(orgId: string, run: SeqRun, options: ReadRunOptions = {}): AsyncGenerator<RunItem[]> {
  const pageSize = Math.min(options.pageSize ?? MAX_BATCH_OPERATIONS, MAX_BATCH_OPERATIONS);
  const pagesAhead = Math.max(1, options.pagesAhead ?? 4);
  const pending: Promise<RunItem[]>[] = [];
  let nextFirst = run.firstSeq;
  const request = (): void => {
    if (nextFirst > run.lastSeq) return;
    const first = nextFirst;
    const last = Math.min(run.lastSeq, first + pageSize - 1);
    nextFirst = last + 1;
    const seqs = Array.from({ length: last - first + 1 }, (_, i) => first + i);
    const page = readStoredEntries(orgId, seqs).then((entries) => entries.map((entry, i) => ({ seq: first + i, entry })));
    // Marked handled now; the rejection still reaches the consumer when it awaits this page.
    page.catch(() => undefined);
    pending.push(page);
  };
  for (let i = 0; i < pagesAhead; i += 1) request();
  while (pending.length > 0) {
    const page = pending.shift()!;
    request();
    yield await page;
  }
}

/** The same, one seq at a time. */
export async function* readRun(orgId: string, run: SeqRun, options: ReadRunOptions = {}): AsyncGenerator<RunItem> {
  for await (const page of readRunPages(orgId, run, options)) yield* page;
}
