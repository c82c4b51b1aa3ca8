/**
 * A logical partition that fills up, as Cosmos DB's does at 20 GB, scaled down to a count of
 * documents so that a test can reach it: a write that would add a document to a logical
 * partition already holding `limit` is answered 403 with sub-status 1014, as Cosmos DB answers
 * when a partition key has reached its maximum size. Replacing or deleting a document is never
 * refused (a full partition can still shrink).
 *
 * It sits at the HTTP edge (the fault proxy in front of the Cosmos-protocol server) and learns
 * what each partition holds from the requests that passed and the answers the store gave, so it
 * sees only what was written through it: start it with the store.
 */
export interface CosmosRequest {
  method: string;
  /** The request path, e.g. /dbs/daybreak/colls/events/docs or …/docs/<id>. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

interface DocWrite {
  /** The logical partition: the container and the partition key value as sent. */
  partition: string;
  id: string;
  /** Whether the write may add a document (create, upsert); a delete removes one. */
  kind: 'add' | 'delete' | 'keep';
}

const DOCS = /^\/dbs\/[^/]+\/colls\/([^/]+)\/docs(?:\/([^/?]+))?\/?(?:\?.*)?$/;

const header = (h: CosmosRequest['headers'], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v[0] : v;
};
const isTrue = (value: string | undefined): boolean => value?.toLowerCase() === 'true';

/** The document writes a request asks for, in order (a batch or bulk request has several); none for reads and queries. */
export function writesOf(req: CosmosRequest): DocWrite[] {
  const match = DOCS.exec(req.path);
  if (!match) return [];
  const [, collection, docId] = match;
  const key = header(req.headers, 'x-ms-documentdb-partitionkey') ?? '';
  const partition = (pk: string): string => `${collection}|${pk}`;
  if (req.method === 'DELETE' && docId) return [{ partition: partition(key), id: decodeURIComponent(docId), kind: 'delete' }];
  if (req.method !== 'POST' || docId) return [];
  if (isTrue(header(req.headers, 'x-ms-documentdb-isquery')) || header(req.headers, 'content-type')?.includes('query+json')) return [];
  let body: unknown;
  try {
    body = JSON.parse(req.body.toString('utf8'));
  } catch {
    return [];
  }
  if (isTrue(header(req.headers, 'x-ms-cosmos-is-batch-request'))) {
    if (!Array.isArray(body)) return [];
    return body.map((op: { operationType?: string; id?: string; partitionKey?: string; resourceBody?: { id?: string } }) => ({
      partition: partition(op.partitionKey ?? key),
      id: op.resourceBody?.id ?? op.id ?? '',
      kind: op.operationType === 'Create' || op.operationType === 'Upsert' ? 'add' : op.operationType === 'Delete' ? 'delete' : 'keep',
    }));
  }
  const id = (body as { id?: unknown }).id;
  return typeof id === 'string' ? [{ partition: partition(key), id, kind: 'add' }] : [];
}

export class PartitionLimit {
  private readonly held = new Map<string, Set<string>>();
  /** Documents that requests in flight may add, per partition (id → requests), so concurrent writes cannot pass the limit together. */
  private readonly pending = new Map<string, Map<string, number>>();
  private readonly reservations = new WeakMap<DocWrite[], { partition: string; id: string }[]>();

  constructor(public readonly limit: number) {}

  /**
   * Whether the store would refuse this request because a partition it adds to is full, counting
   * what requests in flight may add. When it would not, the request's additions are reserved
   * until `settle` (the store answered) or `release` (it never reached the store).
   */
  refuses(writes: DocWrite[]): boolean {
    const adding = new Map<string, Set<string>>();
    for (const w of writes) {
      if (w.kind !== 'add' || this.held.get(w.partition)?.has(w.id)) continue;
      const ids = adding.get(w.partition) ?? new Set<string>();
      ids.add(w.id);
      adding.set(w.partition, ids);
    }
    for (const [partition, ids] of adding) {
      const inFlight = this.pending.get(partition);
      const added = [...ids].filter((id) => !inFlight?.has(id)).length;
      if ((this.held.get(partition)?.size ?? 0) + (inFlight?.size ?? 0) + added > this.limit) return true;
    }
    const reserved = [...adding].flatMap(([partition, ids]) => [...ids].map((id) => ({ partition, id })));
    for (const { partition, id } of reserved) {
      const inFlight = this.pending.get(partition) ?? new Map<string, number>();
      inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
      this.pending.set(partition, inFlight);
    }
    this.reservations.set(writes, reserved);
    return false;
  }

  /** Gives back what a request reserved (it was answered without reaching the store, or the store has answered). */
  release(writes: DocWrite[]): void {
    for (const { partition, id } of this.reservations.get(writes) ?? []) {
      const inFlight = this.pending.get(partition);
      const n = (inFlight?.get(id) ?? 1) - 1;
      if (n > 0) inFlight!.set(id, n);
      else inFlight?.delete(id);
    }
    this.reservations.delete(writes);
  }

  /** Learns from the store's answer what the request changed: each write's own status (a batch or bulk answer lists them). */
  settle(writes: DocWrite[], status: number, body: Buffer): void {
    this.release(writes);
    if (writes.length === 0 || status >= 300) return;
    let statuses: number[] = writes.map(() => status);
    if (writes.length > 1 || body.length > 0) {
      try {
        const parsed = JSON.parse(body.toString('utf8')) as unknown;
        if (Array.isArray(parsed)) statuses = parsed.map((r: { statusCode?: number }) => r.statusCode ?? 0);
      } catch {
        // a single document's answer, or none
      }
    }
    for (const [i, w] of writes.entries()) {
      const s = statuses[i] ?? 0;
      if (s < 200 || s >= 300) continue;
      const ids = this.held.get(w.partition) ?? new Set<string>();
      if (w.kind === 'add') ids.add(w.id);
      else if (w.kind === 'delete') ids.delete(w.id);
      this.held.set(w.partition, ids);
    }
  }

  /** The fullest logical partitions, most documents first (for a test's report). */
  fullest(n = 5): { partition: string; documents: number }[] {
    return [...this.held].map(([partition, ids]) => ({ partition, documents: ids.size })).sort((a, b) => b.documents - a.documents).slice(0, n);
  }
}

/** What Cosmos DB answers a write into a full logical partition. */
export const PARTITION_FULL = {
  status: 403,
  code: 'Forbidden',
  headers: { 'x-ms-substatus': '1014' },
  message: 'Partition key reached maximum size of 20 GB. Learn more: https://aka.ms/CosmosDB/sql/errors/full-pk',
} as const;
