import type { RetailEvent } from '../domain/events/event-schema';
import { plateEntriesOf, plateIndexId, withEventEntries, type PlateEntry } from '../domain/lpr/plate-index';
import { container, deleteIfExists, itemOf, placed, replaceIfUnchanged, withoutSystemProperties } from '../adapters/cosmos-containers';
import { createOperation, MAX_BATCH_OPERATIONS, readMany, replaceOperation, writeManyResults, type OperationInput } from '../adapters/cosmos-batch';
import { GroupCommit } from '../batching/group-commit';
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
  // A new event's plates go with those of the events written at the same moment (newPlates).
  if (!before) await Promise.all([...canonicals].map((c) => newPlates.submit(retailerId, { id: plateIndexId(c), eventId, entries: next.get(c) ?? [] })));
  // A new event's plate is most often one the retailer has not seen: try creating its document first.
  else await Promise.all([...canonicals].map((c) => setEntries(retailerId, plateIndexId(c), eventId, next.get(c) ?? [], false)));
}

/**
 * Brings a stored event's plates into the index where a crash between the event's batch and its
 * plates (or a fault while writing them or its audit entry, which a new event's plates follow) left them out: the matcher, whose request is written in
 * the event's batch, calls it for every event it matches. One bulk read when they are there.
 */
export async function ensurePlateIndex(retailerId: string, event: RetailEvent): Promise<void> {
  const wanted = [...plateEntriesOf(event).keys()].map(plateIndexId);
  if (wanted.length === 0) return;
  const docs = await readPlateIndexes(retailerId, wanted);
  if (wanted.some((id) => !docs.get(id)?.entries.some((e) => e.eventId === event.id))) await syncPlateIndex(retailerId, event.id, undefined, event);
}

type NewPlate = { id: string; eventId: string; entries: PlateEntry[] };
/** A document of the retailer's records (the same container) whose work is done, removed in the same bulk request. */
type Removal = { remove: string };

/**
 * A new event's plate documents and, in the same bulk request, the removal of its audit entry's
 * outbox document once that entry is in the chain: one round trip where there were two. The
 * plates come after the entry then; a crash before them is what the matcher's ensurePlateIndex
 * repairs, as a crash between the event's batch and its plates always was.
 */
export async function writeNewEventPlates(retailerId: string, event: RetailEvent, outboxId: string): Promise<void> {
  const next = plateEntriesOf(event);
  await Promise.all([...[...next].map(([c, entries]) => newPlates.submit(retailerId, { id: plateIndexId(c), eventId: event.id, entries })), newPlates.submit(retailerId, { remove: outboxId })]);
}

/**
 * The plate documents of new events written at the same moment, in one bulk request (they lie in
 * several shards, which one batch cannot span): for each document, a replace of the version this
 * process wrote last, or a create, carrying every one of these events' entries. A document whose
 * write lost a race (412, 409, 404) or was not answered is written again on its own, read afresh.
 */
const newPlates = new GroupCommit<NewPlate | Removal, void>(async (retailerId, items) => {
  const plates = items.filter((p): p is NewPlate => !('remove' in p));
  const removals = items.filter((p): p is Removal => 'remove' in p).map((r) => r.remove);
  const byId = new Map<string, NewPlate[]>();
  for (const p of plates) byId.set(p.id, [...(byId.get(p.id) ?? []), p]);
  const docs = [...byId].map(([id, mine]) => {
    const known = lastWritten.get(`${retailerId}/${id}`);
    const merged = mine.reduce((acc, p) => {
      const next = withEventEntries(acc.entries, p.eventId, p.entries);
      return { entries: next.entries, truncated: acc.truncated || next.truncated };
    }, { entries: known?.entries ?? [], truncated: known?.truncated ?? false });
    const doc: PlateIndexDoc = { id, orgId: retailerId, docType: 'plate-index', ...merged };
    return { doc, mine, op: known ? replaceOperation(doc, known._etag ?? '') : createOperation(doc) };
  });
  const deletes: OperationInput[] = removals.map((id) => ({ operationType: 'Delete', id }));
  const results = await writeManyResults('plate-index', retailerId, [...docs.map((d) => d.op), ...deletes]);
  await Promise.all([
    ...docs.map(async ({ doc, mine }, i) => {
      const { statusCode, eTag } = results[i]!;
      if (statusCode >= 200 && statusCode < 300) return remember(retailerId, { ...doc, _etag: eTag }, doc.id);
      remember(retailerId, undefined, doc.id);
      for (const p of mine) await setEntries(retailerId, p.id, p.eventId, p.entries, false);
    }),
    // Already gone is done; anything else is tried again on its own.
    ...removals.map(async (id, i) => {
      const { statusCode } = results[docs.length + i]!;
      if ((statusCode < 200 || statusCode >= 300) && statusCode !== 404) await deleteIfExists('plate-index', retailerId, id);
    }),
  ]);
  return items.map(() => undefined);
}, MAX_BATCH_OPERATIONS);

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
        const { resource } = await plates.items.create<PlateIndexDoc>(placed('plate-index', { id, orgId: retailerId, docType: 'plate-index' as const, ...merged, truncated: merged.truncated }));
        remember(retailerId, resource, id);
      } else {
        const condition = { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } };
        const { _etag: _e, ...rest } = current;
        if (merged.entries.length === 0) {
          await itemOf('plate-index', retailerId, id).delete(condition);
          remember(retailerId, undefined, id);
        } else {
          const next = { ...rest, entries: merged.entries, truncated: current.truncated || merged.truncated };
          const { resource } = await itemOf('plate-index', retailerId, id).replace<PlateIndexDoc>(placed('plate-index', next), condition);
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

/**
 * A plate document from the container before shards, taken in by the shard migration job: its
 * events' entries are added to the document intake may have written under the same id since the
 * deployment (an event there keeps the entries it has). Taking it in twice changes nothing more.
 */
export async function adoptLegacyPlateDoc(legacy: PlateIndexDoc): Promise<void> {
  const old = withoutSystemProperties(legacy);
  await optimistically('A plate index document', async () => {
    const [current] = await readMany<PlateIndexDoc>('plate-index', old.orgId, [old.id]);
    let merged = { entries: current?.entries ?? [], truncated: (current?.truncated ?? false) || old.truncated };
    for (const eventId of new Set(old.entries.map((e) => e.eventId))) {
      if (merged.entries.some((e) => e.eventId === eventId)) continue;
      const next = withEventEntries(merged.entries, eventId, old.entries.filter((e) => e.eventId === eventId));
      merged = { entries: next.entries, truncated: merged.truncated || next.truncated };
    }
    if (current) return (await replaceIfUnchanged('plate-index', current, { ...current, ...merged })) ? true : RETRY;
    try {
      await container('plate-index').items.create(placed('plate-index', { ...old, ...merged }));
      return true;
    } catch (error) {
      if (isConflict(error)) return RETRY;
      throw error;
    }
  });
}
