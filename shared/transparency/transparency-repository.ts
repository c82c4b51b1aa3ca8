import type { TransparencyRow } from '../domain/transparency';
import { batchOutcome, createOperation, replaceOperation, upsertOperation } from '../adapters/cosmos-batch';
import { container, readIfExists, queryAll } from '../adapters/cosmos-containers';
import { isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/*
 * A retailer's transparency tally lives in `aggregates`, in its partition: one document per
 * calendar month ("transparency:<YYYY-MM>", its rows) and a bookmark ("transparency:cursor", the
 * last audit seq tallied). Both change together, in one batch guarded by the bookmark's ETag, so
 * two instances tallying at once cannot count an entry twice.
 */
const CURSOR_ID = 'transparency:cursor';
const monthId = (month: string) => `transparency:${month}`;
const STALE_PARTITION = 'transparency-stale';

interface MonthDoc {
  id: string;
  orgId: string;
  docType: 'transparency-month';
  month: string;
  rows: TransparencyRow[];
}

export interface Tally {
  seq: number;
  etag: string | null;
}

export async function readTally(retailerId: string): Promise<Tally> {
  const doc = await readIfExists<{ seq: number }>('aggregates', retailerId, CURSOR_ID);
  return { seq: doc?.seq ?? 0, etag: doc?._etag ?? null };
}

export async function readMonth(retailerId: string, month: string): Promise<TransparencyRow[]> {
  return (await readIfExists<MonthDoc>('aggregates', retailerId, monthId(month)))?.rows ?? [];
}

/**
 * Writes the months' rows and moves the bookmark to `seq`, if the bookmark is still as read
 * (`from`): false when another instance tallied first (read again). At most 99 months at once.
 */
export async function saveTally(retailerId: string, from: Tally, seq: number, months: Map<string, TransparencyRow[]>): Promise<boolean> {
  const cursor = { id: CURSOR_ID, orgId: retailerId, docType: 'transparency-cursor', seq };
  // The bookmark first: where the batch is not atomic (the local server), a refused bookmark stops the rest.
  const operations = [
    from.etag ? replaceOperation(cursor, from.etag) : createOperation(cursor),
    ...[...months].map(([month, rows]) => upsertOperation<MonthDoc>({ id: monthId(month), orgId: retailerId, docType: 'transparency-month', month, rows })),
  ];
  const results = await batchOutcome('aggregates', retailerId, operations);
  if (!results) throw new Error(`The transparency tally of ${retailerId} could not be written.`);
  return results.every((r) => r.statusCode < 300);
}

/** A retailer's months from `from` to `to` (YYYY-MM, inclusive): a query within its partition. */
export async function readMonthRange(retailerId: string, from: string, to: string): Promise<Map<string, TransparencyRow[]>> {
  const resources = await queryAll<MonthDoc>('aggregates', retailerId, "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'transparency-month' AND c.month >= @from AND c.month <= @to", { orgId: retailerId, from, to });
  return new Map(resources.map((d) => [d.month, d.rows]));
}

/** Every organisation's months of one year, page by page (a query across partitions: for the public report). */
export async function* monthsOfYear(year: number): AsyncGenerator<{ orgId: string; month: string; rows: TransparencyRow[] }> {
  const iterator = container('aggregates').items.query<MonthDoc>(
    {
      query: "SELECT c.orgId, c.month, c.rows FROM c WHERE c.docType = 'transparency-month' AND c.month >= @from AND c.month <= @to",
      parameters: [
        { name: '@from', value: `${year}-01` },
        { name: '@to', value: `${year}-12` },
      ],
    },
    { maxItemCount: 500 },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const d of resources ?? []) yield d;
  }
}

/**
 * This process's last mark of each chain: when it was started (a monotonic clock) and whether it
 * was written. One mark a second is as good as one per request.
 */
const marks = new Map<string, { startedAt: number; written: Promise<boolean> }>();
/** How often at most one process marks one chain. */
export const MARK_INTERVAL_MS = 1_000;

/**
 * Notes that a chain has police requests not yet tallied (one blind write, a new version each
 * time), at most once a second per chain and process, so a burst of police reads does not make
 * one logical partition hot. A request within the second after a mark waits for that mark and
 * makes its own if it failed. Best effort: a mark that fails only delays the public report until
 * the next mark (the retailer's own report always tallies its chain first).
 */
export async function markStale(retailerId: string, at = new Date()): Promise<void> {
  const now = performance.now();
  const last = marks.get(retailerId);
  if (last && now - last.startedAt < MARK_INTERVAL_MS && (await last.written)) return;
  const written = container('aggregates')
    .items.upsert({ id: retailerId, orgId: STALE_PARTITION, docType: 'transparency-stale', at: at.toISOString() })
    .then(
      () => true,
      () => false,
    );
  if (marks.size > 10_000) marks.clear();
  marks.set(retailerId, { startedAt: now, written });
  await written;
}

/**
 * The retailers marked stale, with the version of each mark and when the store wrote it (its own
 * clock, `_ts`, to the end of its whole second: a mark held up on its way is as young as it lands).
 */
export async function staleRetailers(max = 1000): Promise<{ retailerId: string; etag: string; at: string }[]> {
  const resources = await queryAll<{ id: string; _etag: string; _ts: number }>('aggregates', STALE_PARTITION, `SELECT TOP ${max} c.id, c._etag, c._ts FROM c WHERE c.orgId = @p`, { p: STALE_PARTITION });
  return resources.map((r) => ({ retailerId: r.id, etag: r._etag, at: new Date(r._ts * 1000 + 999).toISOString() }));
}

/** Removes a mark if it is still the version read: a read marked again meanwhile keeps it. */
export async function clearStale(retailerId: string, etag: string): Promise<void> {
  try {
    await container('aggregates').item(retailerId, STALE_PARTITION).delete({ accessCondition: { type: 'IfMatch', condition: etag } });
  } catch (error) {
    if (!isNotFound(error) && !isPreconditionFailed(error)) throw error;
  }
}
