import { addRows, type AggregateRow } from '../domain/analytics/aggregates';
import { container, readIfExists } from '../adapters/cosmos-containers';
import { optimistically, RETRY } from '../adapters/optimistic';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/**
 * One document per retailer and UTC day in `aggregates`, partitioned by the retailer.
 * `folded` lists the events whose contribution is already in `rows` but whose document still
 * exists: that list is what makes folding exactly-once without an atomic batch (the local
 * server's batches are not atomic). An id joins it in the same write that adds the
 * contribution, and leaves it only after the event document is gone, so "is the id in
 * folded?" answers "was this event counted?" for as long as the event can be seen again.
 * Event ids are not personal data, and they stay only while the purge is under way.
 */
export interface AggregateDoc {
  id: string;
  orgId: string;
  docType: 'aggregate';
  day: string;
  rows: AggregateRow[];
  folded: string[];
  updatedAt: string;
  _etag?: string;
}

const aggregates = () => container('aggregates');
export const aggregateId = (day: string) => `day:${day}`;

export async function readAggregate(retailerId: string, day: string): Promise<AggregateDoc | undefined> {
  const resource = await readIfExists<AggregateDoc>('aggregates', retailerId, aggregateId(day));
  return resource?.docType === 'aggregate' ? resource : undefined;
}

/** Writes `next` only over the version read (`current`), or creates it when there was none; false when someone wrote first. */
async function writeOver(current: AggregateDoc | undefined, next: AggregateDoc): Promise<boolean> {
  const { _etag: _, ...doc } = next;
  try {
    if (current) {
      await aggregates()
        .item(doc.id, doc.orgId)
        .replace(doc, { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
    } else await aggregates().items.create(doc);
    return true;
  } catch (error) {
    if (isPreconditionFailed(error) || isConflict(error) || isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Adds each event's row to the day's aggregate unless that event is already in `folded`;
 * one conditional write for the lot. Returns how many were added now.
 */
export async function foldIntoDay(
  retailerId: string,
  day: string,
  contributions: readonly { eventId: string; row: AggregateRow }[],
  now: Date,
): Promise<number> {
  return optimistically(`Aggregate ${day} of ${retailerId}`, async () => {
    const current = await readAggregate(retailerId, day);
    const folded = new Set(current?.folded ?? []);
    const fresh = contributions.filter((c) => !folded.has(c.eventId));
    if (fresh.length === 0) return 0;
    const next: AggregateDoc = {
      id: aggregateId(day),
      orgId: retailerId,
      docType: 'aggregate',
      day,
      rows: addRows(current?.rows ?? [], fresh.map((c) => c.row)),
      folded: [...folded, ...fresh.map((c) => c.eventId)],
      updatedAt: now.toISOString(),
    };
    return (await writeOver(current, next)) ? fresh.length : RETRY;
  });
}

/** Takes events whose documents are gone off the day's `folded` list. */
export async function releaseFolded(retailerId: string, day: string, eventIds: readonly string[], now: Date): Promise<void> {
  const gone = new Set(eventIds);
  await optimistically(`Aggregate ${day} of ${retailerId}`, async () => {
    const current = await readAggregate(retailerId, day);
    if (!current || !current.folded.some((id) => gone.has(id))) return undefined;
    const next = { ...current, folded: current.folded.filter((id) => !gone.has(id)), updatedAt: now.toISOString() };
    return (await writeOver(current, next)) ? undefined : RETRY;
  });
}

/** Days whose `folded` list is not empty: normally none; after a crash, what the next run must check. */
export async function daysWithFolded(retailerId: string, max = 100): Promise<{ day: string; folded: string[] }[]> {
  const { resources } = await aggregates()
    .items.query<{ day: string; folded: string[] }>(
      {
        query: `SELECT TOP ${max} c.day, c.folded FROM c WHERE c.orgId = @orgId AND c.docType = 'aggregate' AND ARRAY_LENGTH(c.folded) > 0`,
        parameters: [{ name: '@orgId', value: retailerId }],
      },
      { partitionKey: retailerId, maxItemCount: max },
    )
    .fetchNext();
  return resources ?? [];
}

/** The retailer's aggregate documents for days in [fromDay, toDay], a page at a time. */
export async function* aggregatesBetween(retailerId: string, fromDay: string, toDay: string, pageSize = 50): AsyncGenerator<AggregateDoc> {
  const iterator = aggregates().items.query<AggregateDoc>(
    {
      query: "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'aggregate' AND c.day >= @from AND c.day <= @to",
      parameters: [
        { name: '@orgId', value: retailerId },
        { name: '@from', value: fromDay },
        { name: '@to', value: toDay },
      ],
    },
    { partitionKey: retailerId, maxItemCount: pageSize },
  );
  while (iterator.hasMoreResults()) {
    const { resources } = await iterator.fetchNext();
    for (const doc of resources ?? []) yield doc;
  }
}

/** The sweep's bookmark for a retailer: where the orphan-blob scan of each container stopped. */
export interface SweepStateDoc {
  id: 'sweep-state';
  orgId: string;
  docType: 'sweep-state';
  orphanScan: Record<string, string | null>;
}

export async function readSweepState(retailerId: string): Promise<SweepStateDoc> {
  return (await readIfExists<SweepStateDoc>('aggregates', retailerId, 'sweep-state')) ?? { id: 'sweep-state', orgId: retailerId, docType: 'sweep-state', orphanScan: {} };
}

export async function saveSweepState(state: SweepStateDoc): Promise<void> {
  const { id, orgId, docType, orphanScan } = state;
  await aggregates().items.upsert({ id, orgId, docType, orphanScan });
}
