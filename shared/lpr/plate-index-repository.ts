import type { RetailEvent } from '../domain/events/event-schema';
import { plateEntriesOf, plateIndexId, withEventEntries, type PlateEntry } from '../domain/lpr/plate-index';
import { container } from '../adapters/cosmos-containers';
import { createOperation, readMany, replaceOperation, type OperationInput, type OperationResponse } from '../adapters/cosmos-batch';
import { optimistically, RETRY } from '../adapters/optimistic';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

export interface PlateIndexDoc {
  id: string;
  orgId: string;
  docType: 'plate-index';
  entries: PlateEntry[];
  /** Older events were dropped to keep the document bounded (MAX_PLATE_ENTRIES). */
  truncated: boolean;
  _etag?: string;
}

/** Plate documents of one retailer by id, in one round trip per 100 ids whatever share of them exists. */
export async function readPlateIndexes(retailerId: string, ids: readonly string[]): Promise<Map<string, PlateIndexDoc>> {
  const docs = await readMany<PlateIndexDoc>('plate-index', retailerId, ids);
  const out = new Map<string, PlateIndexDoc>();
  docs.forEach((d) => d && d.docType === 'plate-index' && out.set(d.id, d));
  return out;
}

/** The plate document with this id in every retailer's partition: for police, who do not know the owners. An id query. */
export async function findPlateIndexesAnywhere(id: string): Promise<PlateIndexDoc[]> {
  const { resources } = await container('plate-index')
    .items.query<PlateIndexDoc>({ query: "SELECT * FROM c WHERE c.id = @id AND c.docType = 'plate-index'", parameters: [{ name: '@id', value: id }] })
    .fetchAll();
  return resources;
}

/**
 * Brings the index in line with an event's new state (`after`; undefined when it goes) from
 * its previous one (`before`; undefined when new). Called by every writer of an event's
 * vehicles, people, violence, products or sensitivity: create, correction, profile merge and
 * the one purge routine. Idempotent, so a retried write or a resumed purge just repeats it.
 */
export async function syncPlateIndex(retailerId: string, eventId: string, before: RetailEvent | undefined, after: RetailEvent | undefined): Promise<void> {
  const old = plateEntriesOf(before);
  const next = plateEntriesOf(after);
  const canonicals = new Set([...old.keys(), ...next.keys()]);
  // A new event's plate is most often one the retailer has not seen: try creating its document first.
  await Promise.all([...canonicals].map((c) => setEntries(retailerId, plateIndexId(c), eventId, next.get(c) ?? [], !before)));
}

/**
 * The plate documents this process wrote last, with their versions: a vehicle seen again is
 * updated with one conditional replace instead of a create that fails, a read and a replace. Only
 * a starting point for an optimistic write, never an answer to a reader: a document changed
 * elsewhere fails the condition and is read afresh.
 */
const lastWritten = new Map<string, PlateIndexDoc>();
const LAST_WRITTEN_MAX = 2_000;

function remember(retailerId: string, doc: PlateIndexDoc | undefined, id: string): void {
  const key = `${retailerId}/${id}`;
  lastWritten.delete(key);
  if (!doc) return;
  if (lastWritten.size >= LAST_WRITTEN_MAX) lastWritten.delete(lastWritten.keys().next().value!);
  lastWritten.set(key, doc);
}

/**
 * The plate-index writes of a new event, for the transactional batch that writes the event: for
 * each of its plates, a replace of the version this process wrote last, or a create. `settled`
 * takes the batch's results for these operations, in order, and remembers the new versions, or
 * undefined when the batch failed: then `syncPlateIndex` (reading afresh) is the one-by-one
 * equivalent.
 */
export function newEventPlateWrites(
  retailerId: string,
  event: RetailEvent,
): { operations: OperationInput[]; settled(results: OperationResponse[] | undefined): void } {
  const docs: PlateIndexDoc[] = [];
  const operations: OperationInput[] = [];
  for (const [canonical, entries] of plateEntriesOf(event)) {
    const id = plateIndexId(canonical);
    const known = lastWritten.get(`${retailerId}/${id}`);
    const merged = withEventEntries(known?.entries ?? [], event.id, entries);
    if (merged.entries.length === 0) continue;
    const doc: PlateIndexDoc = { id, orgId: retailerId, docType: 'plate-index', entries: merged.entries, truncated: (known?.truncated ?? false) || merged.truncated };
    docs.push(doc);
    operations.push(known ? replaceOperation(doc, known._etag ?? '') : createOperation(doc));
  }
  return {
    operations,
    settled: (results) =>
      docs.forEach((doc, i) => {
        const etag = results?.[i]?.eTag;
        remember(retailerId, etag ? { ...doc, _etag: etag } : undefined, doc.id);
      }),
  };
}

async function setEntries(retailerId: string, id: string, eventId: string, entries: PlateEntry[], probablyNew: boolean): Promise<void> {
  const plates = container('plate-index');
  const known = lastWritten.get(`${retailerId}/${id}`);
  await optimistically('A plate index document', async (attempt) => {
    // A create that finds the document (409) falls through to the read and replace.
    const current =
      attempt === 0 && known
        ? known
        : attempt === 0 && probablyNew && entries.length > 0
          ? undefined
          : (await readMany<PlateIndexDoc>('plate-index', retailerId, [id]))[0];
    const merged = withEventEntries(current?.entries ?? [], eventId, entries);
    try {
      if (!current) {
        if (merged.entries.length === 0) return undefined;
        const { resource } = await plates.items.create<PlateIndexDoc>({ id, orgId: retailerId, docType: 'plate-index', ...merged, truncated: merged.truncated });
        remember(retailerId, resource, id);
      } else {
        const condition = { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } };
        const { _etag: _e, ...rest } = current;
        if (merged.entries.length === 0) {
          await plates.item(id, retailerId).delete(condition);
          remember(retailerId, undefined, id);
        } else {
          const next = { ...rest, entries: merged.entries, truncated: current.truncated || merged.truncated };
          const { resource } = await plates.item(id, retailerId).replace<PlateIndexDoc>(next, condition);
          remember(retailerId, resource, id);
        }
      }
      return undefined;
    } catch (error) {
      if (!isConflict(error) && !isPreconditionFailed(error) && !isNotFound(error)) throw error;
      remember(retailerId, undefined, id);
      return RETRY;
    }
  });
}
