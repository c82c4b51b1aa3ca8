import type { OperationInput, OperationResponse } from '@azure/cosmos';

export type { OperationInput, OperationResponse };
import type { PartitionKey } from '@azure/cosmos';
import { container, deleteIfExists, isSharded, keyOf, placed, readIfExists, type ContainerName } from './cosmos-containers';
import { isConflict, isPartitionFull, statusOf } from './cosmos-errors';
import { isTransientFault, retryPause, storeAnswers, STORE_RETRY, type StoreFailures } from './transient-faults';
import { GroupCommit, REQUEST_PATH_LINGER_MS } from '../batching/group-commit';
import { ReadTogether } from '../batching/read-together';

/** A create for a batch or bulk request (the SDK types bodies as JSON values, which interfaces are not). */
export function createOperation<T extends { id: string }>(doc: T): OperationInput {
  return { operationType: 'Create', resourceBody: doc as never };
}

/** An upsert for a batch or bulk request. */
export function upsertOperation<T extends { id: string }>(doc: T): OperationInput {
  return { operationType: 'Upsert', resourceBody: doc as never };
}

/** A replace of the version `etag` for a batch or bulk request: it fails (412) when the document changed since. */
export function replaceOperation<T extends { id: string; _etag?: string }>(doc: T, etag: string): OperationInput {
  const { _etag: _, ...body } = doc;
  return { operationType: 'Replace', id: doc.id, ifMatch: etag, resourceBody: body as never };
}

/** A delete for a batch or bulk request: it fails (404) when the document is gone. */
export function deleteOperation(id: string): OperationInput {
  return { operationType: 'Delete', id };
}

/** Cosmos DB allows at most 100 operations in one transactional batch. */
export const MAX_BATCH_OPERATIONS = 100;

/**
 * Reads up to 100 documents of one partition in a single round trip (a transactional batch
 * of Read operations), in the order of `ids`; a document that does not exist is undefined.
 * A batch fails as a whole when one read fails (404 in Azure; the local server fails the
 * reads after it), so any read that did not succeed is retried on its own: a missing
 * document costs a point read, every present one costs nothing extra.
 */
export async function readBatch<T>(name: ContainerName, orgId: string, ids: readonly string[]): Promise<(T | undefined)[]> {
  if (ids.length > MAX_BATCH_OPERATIONS) throw new RangeError(`At most ${MAX_BATCH_OPERATIONS} ids per batch.`);
  if (ids.length === 0) return [];
  // In a sharded container the ids lie in several partitions, which one batch cannot span: one bulk request reads them all.
  if (isSharded(name)) return readMany<T>(name, orgId, ids);
  const c = container(name);
  const partitionKey = batchKey(name, orgId, ids);
  // Each operation names the partition too: the local server reads it per operation.
  const operations: OperationInput[] = ids.map((id) => ({ operationType: 'Read', id, partitionKey }));
  let results: { statusCode: number; resourceBody?: unknown }[] | undefined;
  try {
    results = (await c.items.batch(operations, partitionKey)).result;
  } catch {
    results = undefined;
  }
  return Promise.all(
    ids.map(async (id, i) => {
      const r = results?.[i];
      if (r && r.statusCode === 200 && r.resourceBody) return r.resourceBody as T;
      return readIfExists<T & object>(name, orgId, id);
    }),
  );
}

/** The id an operation acts on: its body's, or its own (a read, a delete). */
const idOf = (op: OperationInput): string => (op as { resourceBody?: { id?: string } }).resourceBody?.id ?? (op as { id?: string }).id ?? '';

/**
 * The one partition key of a transactional batch on these ids. In a sharded container they must
 * fall in one shard (cosmos-shards.ts): a batch across shards is a mistake in the caller, caught here.
 */
function batchKey(name: ContainerName, orgId: string, ids: readonly string[]): PartitionKey {
  const key = keyOf(name, orgId, ids[0] ?? '');
  const shard = JSON.stringify(key);
  const stray = ids.find((id) => JSON.stringify(keyOf(name, orgId, id)) !== shard);
  if (stray !== undefined) throw new Error(`A transactional batch in ${name} spans shards (${ids[0]} and ${stray}).`);
  return key;
}

/** Operations as sent: each names its partition (the local server reads it per operation) and a body carries its shard. */
const addressed = (name: ContainerName, orgId: string, operations: readonly OperationInput[]): OperationInput[] =>
  operations.map((op) => {
    const body = (op as { resourceBody?: { id: string } }).resourceBody;
    return { ...op, partitionKey: keyOf(name, orgId, idOf(op)), ...(body ? { resourceBody: placed(name, body) as never } : {}) } as OperationInput;
  });

/**
 * Writes up to 100 operations on one partition as one transactional batch: the result of each
 * when all succeeded, undefined when one failed or the store refused the batch (in Azure then
 * none was applied; the local server applies those before the failing one). A caller falls
 * back to its one-by-one writes, which must therefore be idempotent. A failure that is not
 * the store's answer (the network) throws.
 */
export async function tryBatch(name: ContainerName, orgId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined> {
  const results = await batchOutcome(name, orgId, operations);
  return results?.every((r) => r.statusCode < 300) ? results : undefined;
}

/**
 * Sends up to 100 operations on one partition as one transactional batch and answers each
 * one's result, whether the batch succeeded or not: when one fails, Azure applies none and
 * answers 424 (failed dependency) for the others; the local server applies those before it.
 * Undefined when the store refused the batch as a whole; a failure that is not the store's
 * answer (the network, a transient fault that outlasted the retries) throws.
 */
export async function batchOutcome(name: ContainerName, orgId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined> {
  if (operations.length === 0 || operations.length > MAX_BATCH_OPERATIONS) return undefined;
  const partitionKey = batchKey(name, orgId, operations.map(idOf));
  try {
    const { result } = await retryingWrapped('Batch request error:', () => container(name).items.batch(addressed(name, orgId, operations), partitionKey));
    return result && result.length === operations.length ? result : undefined;
  } catch (error) {
    // A transient fault is not the store's answer to these operations: the caller's request fails (503) and is retried.
    // Nor is a full partition: no write one by one would fit either (507).
    if (statusOf(error) !== undefined && !isTransientFault(error) && !isPartitionFull(error)) return undefined;
    throw error;
  }
}

/** Deletes up to 100 documents of one partition in one round trip; missing ones are ignored. For cleaning up after benchmarks. */
export async function deleteBatch(name: ContainerName, orgId: string, ids: readonly string[]): Promise<void> {
  if (ids.length > MAX_BATCH_OPERATIONS) throw new RangeError(`At most ${MAX_BATCH_OPERATIONS} ids per batch.`);
  const operations = addressed(name, orgId, ids.map(deleteOperation));
  const { result } = await container(name).items.batch(operations, batchKey(name, orgId, ids));
  if (!result || result.some((r) => r.statusCode >= 300 && r.statusCode !== 404)) {
    await Promise.all(ids.map((id) => deleteIfExists(name, orgId, id)));
  }
}

/**
 * Reads any number of documents of one partition, mostly-missing ones included, in one round
 * trip per 100: a non-atomic bulk request, so a missing document is a 404 for that read alone
 * (a transactional batch fails as a whole, which costs a point read per miss). For look-ups
 * where most ids are expected absent (LPR plate reads). `executeBulkOperations` flushes on a
 * timer (about a second per call here), so the older `bulk` is the one that fits a request.
 */
export async function readMany<T>(name: ContainerName, orgId: string, ids: readonly string[]): Promise<(T | undefined)[]> {
  if (ids.length === 0) return [];
  const illegal = ids.find((id) => ILLEGAL_ID.test(id));
  if (illegal !== undefined) throw illegalId(illegal);
  return (await readEach<T>(name, orgId, ids)).map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

/**
 * Reads documents of one organisation in `name` together with the other reads of its documents
 * there that are asked for while some are in flight (ReadTogether): one bulk request for all of
 * them (per 100), each id once; a caller fails on its own ids, or with the request. For the matcher, whose events in flight
 * read the same profiles and keys (a common name's holders, the population) at the same moments.
 * Not for a request's path: a read there may wait behind the matcher's.
 */
export async function readTogether<T>(name: ContainerName, orgId: string, ids: readonly string[]): Promise<(T | undefined)[]> {
  return (await Promise.all(ids.map((id) => together.submit(`${name}|${orgId}`, id)))) as (T | undefined)[];
}

const together = new ReadTogether<unknown>((at, ids) => {
  const [name, orgId] = at.split('|') as [ContainerName, string];
  return readEach(name, orgId, ids);
});

/**
 * Reads documents of one partition in one round trip per 100 (a non-atomic bulk request), each
 * one's outcome on its own: absent (404) is undefined; a read the bulk did not answer is read on
 * its own; an id the store would refuse fails alone.
 */
async function readEach<T>(name: ContainerName, orgId: string, ids: readonly string[]): Promise<PromiseSettledResult<T | undefined>[]> {
  const legal = ids.filter((id) => !ILLEGAL_ID.test(id));
  const results = await bulkInChunks(name, addressed(name, orgId, legal.map((id) => ({ operationType: 'Read', id }))));
  const byId = new Map(legal.map((id, i) => [id, results[i]]));
  return Promise.allSettled(
    ids.map(async (id) => {
      if (ILLEGAL_ID.test(id)) throw illegalId(id);
      const r = byId.get(id);
      if (r && r.statusCode === 200 && r.resourceBody) return r.resourceBody as T;
      if (r && r.statusCode === 404) return undefined;
      // Throttled or otherwise not answered: read it on its own.
      return readIfExists<T & object>(name, orgId, id);
    }),
  );
}

/** As the SDK refuses such an id in a point read (a bulk request would answer it 404, as if absent). */
const ILLEGAL_ID = /[/\\#]/;
const illegalId = (id: string) => new Error(`Illegal characters ['/', '\\', '#'] cannot be used in Resource ID (${id}).`);

/** Creates documents of one partition in one round trip per 100, non-atomic; an id that exists already is left as it is. The ids of those that existed already. */
export async function createManyOnce(name: ContainerName, orgId: string, docs: readonly { id: string }[]): Promise<string[]> {
  if (docs.length === 0) return [];
  const results = await bulkInChunks(name, addressed(name, orgId, docs.map((doc) => createOperation(doc))));
  const existing = await Promise.all(
    docs.map(async (doc, i) => {
      const status = results[i]?.statusCode ?? 0;
      if (status < 300) return false;
      if (status === 409) return true;
      return container(name)
        .items.create(placed(name, doc))
        .then(
          () => false,
          (error: unknown) => {
            if (!isConflict(error)) throw error;
            return true;
          },
        );
    }),
  );
  return docs.filter((_, i) => existing[i]).map((doc) => doc.id);
}

/**
 * Applies write operations to documents of one partition, non-atomically, in one round trip per
 * 100: the status of each, in order (2xx done; 409, 412, 404 lost a race and may be retried).
 * For many small independent writes whose callers handle each outcome (match keys).
 */
export async function writeMany(name: ContainerName, orgId: string, operations: readonly OperationInput[]): Promise<number[]> {
  return (await writeManyResults(name, orgId, operations)).map((r) => r.statusCode);
}

/**
 * Deletes a document (one already gone is fine), together with the other deletes in the same
 * partition that arrive meanwhile: requests finishing together remove their notes in one round trip.
 */
export function deleteGrouped(name: ContainerName, orgId: string, id: string): Promise<void> {
  return deleting.submit(`${name}|${orgId}`, id);
}

const deleting = new GroupCommit<string, void>(
  async (at, ids) => {
    const [name, orgId] = at.split('|') as [ContainerName, string];
    const statuses = await writeMany(name, orgId, ids.map((id) => ({ operationType: 'Delete', id })));
    const failed = statuses.find((s) => s >= 300 && s !== 404);
    if (failed !== undefined) throw Object.assign(new Error(`Deleting from ${name} failed with ${failed}`), { code: failed });
    return ids.map(() => undefined);
  },
  MAX_BATCH_OPERATIONS,
  REQUEST_PATH_LINGER_MS,
);

/** writeMany with each operation's version where it succeeded. */
export async function writeManyResults(name: ContainerName, orgId: string, operations: readonly OperationInput[]): Promise<{ statusCode: number; eTag?: string }[]> {
  if (operations.length === 0) return [];
  const results = await bulkInChunks(name, addressed(name, orgId, operations));
  return operations.map((_, i) => ({ statusCode: results[i]?.statusCode ?? 0, eTag: (results[i] as { eTag?: string } | undefined)?.eTag }));
}

/** The SDK refuses more than 100 operations of one partition per bulk call: send them 100 at a time, concurrently. */
async function bulkInChunks(name: ContainerName, operations: OperationInput[]): Promise<({ statusCode: number; resourceBody?: unknown } | undefined)[]> {
  const chunks: OperationInput[][] = [];
  for (let i = 0; i < operations.length; i += MAX_BATCH_OPERATIONS) chunks.push(operations.slice(i, i + MAX_BATCH_OPERATIONS));
  const results = await Promise.all(chunks.map((chunk) => bulkChunk(name, chunk)));
  return results.flat();
}

function bulkChunk(name: ContainerName, chunk: OperationInput[]) {
  return retryingWrapped('Bulk request errored with:', () => container(name).items.bulk(chunk, { continueOnError: true }));
}

/**
 * The SDK's batch and bulk calls wrap a failed request in an Error that has lost its status
 * ("Batch request error: …", "Bulk request errored with: …"), so the edge cannot tell a
 * throttled store from a bug. The HTTP client has already retried the request itself; a few
 * more tries of the whole call here make a transient failure vanishingly rare (at a 30 % fault
 * rate, about 3 in 100 billion). Only a failure of the moment (`storeAnswers` saw a transient one
 * and no real answer) is retried; one that outlasts the retries (a failover, throttling that does not let up)
 * is surfaced as the store's 503, so the edge answers 503 with Retry-After. Any other (a 400, a
 * 413) stays what it is: a 500.
 */
async function retryingWrapped<T>(prefix: string, call: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const answers: StoreFailures = {};
    try {
      return await storeAnswers.run(answers, call);
    } catch (error) {
      const wrapped = error instanceof Error && error.message.startsWith(prefix) && statusOf(error) === undefined;
      // A full partition is not the moment's: give it back its status (403/1014), so it is answered as such and not retried.
      if (wrapped && PARTITION_FULL.test(error.message)) throw Object.assign(new Error(error.message), { code: 403, substatus: 1014 });
      // A real answer (400, 413) is not the moment's: no retry, and it stays a 500.
      if (!wrapped || !answers.transient || answers.permanent) throw error;
      if (attempt >= WRAPPED_RETRIES) throw Object.assign(new Error(error.message), { code: 503 });
      await new Promise((resolve) => setTimeout(resolve, retryPause(STORE_RETRY, attempt + 2)));
    }
  }
}
const WRAPPED_RETRIES = 3;
/** Cosmos DB's message for a logical partition at its limit, which the SDK's wrapper keeps when it drops the status. */
const PARTITION_FULL = /Partition key reached maximum size/;
