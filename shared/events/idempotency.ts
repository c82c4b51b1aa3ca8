import { createHash, randomUUID } from 'node:crypto';
import { AppError, ConflictError } from '../domain/errors';
import { canonicalJson } from '../domain/canonical-json';
import { container, readIfExists, deleteIfExists } from '../adapters/cosmos-containers';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * How long an in-flight marker holds off a retry: a request still "in progress" after this long
 * is taken to have died (a crash leaves no chance to say it failed), and a retry takes over. A
 * takeover is safe even if the first is only slow: both write the same resource id, and the
 * second finds the first's work. A retry waits up to WAIT_FOR_FIRST_MS for a live first attempt.
 */
export const STALE_PENDING_MS = 10_000;
const WAIT_FOR_FIRST_MS = 12_000;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

interface IdempotencyDoc {
  id: string;
  orgId: string;
  docType: 'idempotency';
  requestHash: string;
  /** Chosen when the key is first seen, so every attempt of this request writes the same event. */
  resourceId: string;
  /** failed: the attempt ended in a server-side fault; a retry takes the key over, with the same resource id. */
  state: 'pending' | 'done' | 'failed';
  response?: StoredResponse;
  createdAt: string;
  expiresAt: string;
  _etag?: string;
}

export type Claim = { kind: 'proceed'; resourceId: string; docId: string } | { kind: 'replay'; response: StoredResponse };

export const requestHash = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

/**
 * Claims an Idempotency-Key for (organisation, caller). The first request proceeds with a
 * resource id fixed now; a retry with the same body gets the stored response (waiting for
 * the first to finish if it is still running); another body with the same key is a 409.
 * Two identical requests racing collide on the record's create, so only one proceeds.
 */
export async function claimKey(orgId: string, sub: string, key: string, hash: string, now = new Date(), scope = ''): Promise<Claim> {
  // Events' keys keep their first form; another kind of request names its scope, so one key on two routes never collides.
  const docId = createHash('sha256').update(scope ? `${sub}\n${scope}\n${key}` : `${sub}\n${key}`).digest('hex');
  const records = container('idempotency');
  const fresh = (): IdempotencyDoc => ({
    id: docId,
    orgId,
    docType: 'idempotency',
    requestHash: hash,
    resourceId: randomUUID(),
    state: 'pending',
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
  });
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  let created: IdempotencyDoc | undefined;
  for (;;) {
    const existing = await read(orgId, docId);
    if (existing && existing.resourceId === created?.resourceId) {
      // Our own create, applied although its answer was lost (a dropped connection, then the retry's 409).
      return { kind: 'proceed', resourceId: created.resourceId, docId };
    }
    if (!existing) {
      const doc = (created = fresh());
      try {
        await records.items.create(doc);
        return { kind: 'proceed', resourceId: doc.resourceId, docId };
      } catch (error) {
        if (isConflict(error)) continue;
        throw error;
      }
    }
    if (Date.parse(existing.expiresAt) <= now.getTime()) {
      const replaced = await takeOver(existing, fresh());
      if (replaced) return { kind: 'proceed', resourceId: replaced.resourceId, docId };
      continue;
    }
    if (existing.requestHash !== hash) {
      throw new ConflictError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used with a different request body.');
    }
    if (existing.state === 'done' && existing.response) return { kind: 'replay', response: existing.response };
    if (existing.state === 'failed' || Date.now() - Date.parse(existing.createdAt) > STALE_PENDING_MS) {
      // The same resource id: whatever the failed attempt wrote, this one finds and finishes.
      const replaced = await takeOver(existing, { ...existing, state: 'pending', createdAt: new Date().toISOString() });
      if (replaced) return { kind: 'proceed', resourceId: replaced.resourceId, docId };
      continue;
    }
    if (Date.now() > deadline) {
      throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.', 1);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function completeKey(orgId: string, docId: string, response: StoredResponse): Promise<void> {
  const existing = await read(orgId, docId);
  if (!existing) return;
  const { _etag: _, ...rest } = existing;
  await container('idempotency').items.upsert({ ...rest, state: 'done', response });
}

/**
 * The attempt failed on our side (a fault that outlasted the retries, a bug): a retry with the
 * same key may take over at once, and writes the same resource. Best effort: if this write fails
 * too, the marker holds off retries for STALE_PENDING_MS at most.
 */
export async function failKey(orgId: string, docId: string): Promise<void> {
  const existing = await read(orgId, docId).catch(() => undefined);
  if (existing?.state === 'pending') await takeOver(existing, { ...existing, state: 'failed' }).catch(() => undefined);
}

/** Gives the key back when the first attempt failed with a client error, so a corrected retry can use it. */
export async function releaseKey(orgId: string, docId: string): Promise<void> {
  await deleteIfExists('idempotency', orgId, docId);
}

async function read(orgId: string, docId: string): Promise<IdempotencyDoc | undefined> {
  return readIfExists<IdempotencyDoc>('idempotency', orgId, docId);
}

async function takeOver(existing: IdempotencyDoc, next: IdempotencyDoc): Promise<IdempotencyDoc | undefined> {
  try {
    const { _etag: _, ...doc } = next;
    await container('idempotency')
      .item(existing.id, existing.orgId)
      .replace(doc, { accessCondition: { type: 'IfMatch', condition: existing._etag ?? '' } });
    return next;
  } catch (error) {
    if (isPreconditionFailed(error) || isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Removes up to `max` of an organisation's records past their 24 h window (the retention
 * sweep): one query in the organisation's partition, then a delete of each only if it is
 * still the expired version (a retry may have just taken an expired key over). Returns
 * how many went; fewer than `max` means none are left.
 */
export async function deleteExpiredKeys(orgId: string, now: Date, max: number): Promise<number> {
  const { resources } = await container('idempotency')
    .items.query<{ id: string; _etag: string }>(
      {
        query: `SELECT TOP ${max} c.id, c._etag FROM c WHERE c.orgId = @orgId AND c.docType = 'idempotency' AND c.expiresAt <= @now`,
        parameters: [
          { name: '@orgId', value: orgId },
          { name: '@now', value: now.toISOString() },
        ],
      },
      { partitionKey: orgId, maxItemCount: max },
    )
    .fetchNext();
  let deleted = 0;
  for (const r of resources ?? []) {
    try {
      await container('idempotency').item(r.id, orgId).delete({ accessCondition: { type: 'IfMatch', condition: r._etag } });
      deleted += 1;
    } catch (error) {
      if (!isNotFound(error) && !isPreconditionFailed(error)) throw error;
    }
  }
  return deleted;
}

/**
 * Rewrites the stored responses (kept 24 h for retries) of requests that created these events,
 * so a retry after an erasure does not hand back the erased person. A query in the retailer's
 * partition over its few live records; each replaced only if unchanged, re-read otherwise.
 */
export async function rewriteStoredResponses(orgId: string, resourceIds: string[], rewrite: (body: unknown) => unknown): Promise<number> {
  if (resourceIds.length === 0) return 0;
  const { resources } = await container('idempotency')
    .items.query<IdempotencyDoc>(
      {
        query: "SELECT * FROM c WHERE c.orgId = @orgId AND c.docType = 'idempotency' AND ARRAY_CONTAINS(@ids, c.resourceId) AND IS_DEFINED(c.response)",
        parameters: [
          { name: '@orgId', value: orgId },
          { name: '@ids', value: resourceIds },
        ],
      },
      { partitionKey: orgId },
    )
    .fetchAll();
  let changed = 0;
  for (const found of resources) {
    for (let doc: IdempotencyDoc | undefined = found, attempt = 0; doc?.response && attempt < 5; attempt += 1) {
      const body = rewrite(doc.response.body);
      if (JSON.stringify(body) === JSON.stringify(doc.response.body)) break;
      if (await takeOver(doc, { ...doc, response: { ...doc.response, body } })) {
        changed += 1;
        break;
      }
      doc = await read(orgId, doc.id);
    }
  }
  return changed;
}

/**
 * A POST with an optional Idempotency-Key (PRODUCT §10b): without one, `work` runs as asked;
 * with one, the first request runs with a resource id fixed when the key was claimed, and a retry
 * with the same body gets the first successful response. A client error gives the key back (the
 * corrected request may reuse it); a server fault lets a retry take over at once, with the same id.
 */
export async function respondOnce<R extends StoredResponse>(
  request: { orgId: string | null; sub: string; key: string | null; rawBody: unknown; scope?: string },
  work: (resourceId: string | undefined) => Promise<R>,
): Promise<R> {
  const { orgId, key } = request;
  if (!key || !orgId) return work(undefined);
  const claim = await claimKey(orgId, request.sub, key, requestHash(request.rawBody), new Date(), request.scope);
  // The response stored by the first request of this very route and body.
  if (claim.kind === 'replay') return claim.response as R;
  try {
    const response = await work(claim.resourceId);
    await completeKey(orgId, claim.docId, response);
    return response;
  } catch (error) {
    if (error instanceof AppError && error.status < 500) await releaseKey(orgId, claim.docId);
    else await failKey(orgId, claim.docId);
    throw error;
  }
}
