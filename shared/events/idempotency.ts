import { createHash, randomUUID } from 'node:crypto';
import { AppError, ConflictError, GoneError, isClientError } from '../domain/errors';
import { canonicalJson } from '../domain/canonical-json';
import { idempotencyRecords, type IdempotencyDoc } from './idempotency-repository';
import { newEventId } from './event-repository';
import { optimistically, RETRY } from '../adapters/optimistic';

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * How long an in-flight marker holds off a retry: a request still "in progress" after this long
 * is taken to have died (a crash leaves no chance to say it failed), and a retry takes over. A
 * takeover is safe even if the first is only slow: both write the same resource id, and the
 * second finds the first's work. A retry waits up to WAIT_FOR_FIRST_MS for a live first attempt.
 */
export const STALE_PENDING_MS = 10_000;
const WAIT_FOR_FIRST_MS = 12_000;
/** What a claim answers while another request with the key is still running: wait, then read again. */
const WAIT: unique symbol = Symbol('wait');

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** `takenOver`: this request proceeds in place of an earlier one with the key that failed or died, which may have written its resource. */
export type Claim = { kind: 'proceed'; resourceId: string; docId: string; takenOver?: true } | { kind: 'replay'; response: StoredResponse };

/** What a stored response becomes once what it created is deleted (retireStoredResponses): nothing of what it held. */
const RETIRED_STATUS = 410;
const isRetired = (response: StoredResponse | undefined): boolean => response?.status === RETIRED_STATUS;

export const requestHash = (body: unknown) => createHash('sha256').update(canonicalJson(body)).digest('hex');

/** Where the records live: the repository in the app, an in-memory store in unit tests of this logic. */
export interface IdempotencyStore {
  read(orgId: string, docId: string): Promise<IdempotencyDoc | undefined>;
  /** False when a record with its id exists. */
  create(doc: IdempotencyDoc): Promise<boolean>;
  /** The new record, or undefined when `existing` changed or went since it was read. */
  replaceIfUnchanged(existing: IdempotencyDoc, next: IdempotencyDoc): Promise<IdempotencyDoc | undefined>;
  upsert(doc: IdempotencyDoc): Promise<void>;
  delete(orgId: string, docId: string): Promise<void>;
  /** Records of requests that created these resources; `aboutEvents`: and of requests that added to these events (their messages, their evidence). */
  ofResources(orgId: string, resourceIds: string[], withPending?: boolean, aboutEvents?: boolean): Promise<IdempotencyDoc[]>;
  /** Whether the event is gone (or being purged), whoever owns it. */
  eventGone(eventId: string): Promise<boolean>;
}

/** The Idempotency-Key logic over a store of records; `mintId` makes the id of the resource a first request creates. */
export function idempotency(store: IdempotencyStore, mintId: () => string = randomUUID) {
  /**
   * Claims an Idempotency-Key for (organisation, caller). The first request proceeds with a
   * resource id fixed now; a retry with the same body gets the stored response (waiting for
   * the first to finish if it is still running); another body with the same key is a 409.
   * Two identical requests racing collide on the record's create, so only one proceeds.
   */
  async function claimKey(orgId: string, sub: string, key: string, hash: string, now = new Date(), scope = '', eventId?: string): Promise<Claim> {
    // Events' keys keep their first form; another kind of request names its scope, so one key on two routes never collides.
    const docId = createHash('sha256').update(scope ? `${sub}\n${scope}\n${key}` : `${sub}\n${key}`).digest('hex');
    const fresh = (): IdempotencyDoc => ({
      id: docId,
      orgId,
      docType: 'idempotency',
      requestHash: hash,
      resourceId: mintId(),
      ...(eventId === undefined ? {} : { eventId }),
      state: 'pending',
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + IDEMPOTENCY_WINDOW_MS).toISOString(),
    });
    const deadline = Date.now() + WAIT_FOR_FIRST_MS;
    /** This request's last write of the record: a write applied with its answer lost is recognised on the next read. */
    let written: IdempotencyDoc | undefined;
    let writtenToTakeOver = false;
    const proceed = (resourceId: string): Claim => (writtenToTakeOver ? { kind: 'proceed', resourceId, docId, takenOver: true } : { kind: 'proceed', resourceId, docId });
    const take = async (write: (doc: IdempotencyDoc) => Promise<boolean | IdempotencyDoc | undefined>, change: IdempotencyDoc, takenOver = false): Promise<Claim | typeof RETRY> => {
      const doc = (written = { ...change, claimId: randomUUID() });
      writtenToTakeOver = takenOver;
      return (await write(doc)) ? proceed(doc.resourceId) : RETRY;
    };
    for (;;) {
      // One read-decide-write, retried as every optimistic write is when the record changed under it (a racing request).
      const claim = await optimistically<Claim | typeof WAIT>('An Idempotency-Key', async () => {
        const existing = await store.read(orgId, docId);
        // Our own write, applied although its answer was lost (a dropped connection, then the retry's 409 or 412).
        if (existing && written && existing.claimId === written.claimId) return proceed(existing.resourceId);
        if (!existing) {
          return take((doc) => store.create(doc), fresh());
        }
        if (Date.parse(existing.expiresAt) <= now.getTime()) {
          return take((doc) => store.replaceIfUnchanged(existing, doc), fresh());
        }
        if (existing.requestHash !== hash) throw new ConflictError('IDEMPOTENCY_CONFLICT', 'This Idempotency-Key was used with a different request body.');
        if (existing.state === 'done' && existing.response) {
          // What it made is gone since: 410, with its id and nothing of what it held.
          if (isRetired(existing.response)) throw new GoneError(`What the first request with this Idempotency-Key created (${existing.resourceId}) has since been deleted.`, 'RESOURCE_DELETED');
          return { kind: 'replay', response: existing.response };
        }
        if (existing.state === 'failed' || Date.now() - Date.parse(existing.createdAt) > STALE_PENDING_MS) {
          // The same resource id: whatever the failed attempt wrote, this one finds and finishes.
          return take((doc) => store.replaceIfUnchanged(existing, doc), { ...existing, state: 'pending', createdAt: new Date().toISOString() }, true);
        }
        return WAIT;
      });
      if (claim !== WAIT) return claim;
      if (Date.now() > deadline) {
        throw new ConflictError('IDEMPOTENCY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly.', 1);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async function completeKey(orgId: string, docId: string, response: StoredResponse): Promise<void> {
    await optimistically('An Idempotency-Key', async () => {
      const existing = await store.read(orgId, docId);
      // Gone, or retired meanwhile (what it made was deleted while it finished): left as it is.
      if (!existing || isRetired(existing.response)) return undefined;
      return (await store.replaceIfUnchanged(existing, { ...existing, state: 'done', response })) ? undefined : RETRY;
    });
  }

  /**
   * The attempt failed on our side (a fault that outlasted the retries, a bug): a retry with the
   * same key may take over at once, and writes the same resource. Best effort: if this write fails
   * too, the marker holds off retries for STALE_PENDING_MS at most.
   */
  async function failKey(orgId: string, docId: string): Promise<void> {
    const existing = await store.read(orgId, docId).catch(() => undefined);
    if (existing?.state === 'pending') await store.replaceIfUnchanged(existing, { ...existing, state: 'failed' }).catch(() => undefined);
  }

  /** Gives the key back when the first attempt failed with a client error, so a corrected retry can use it. */
  async function releaseKey(orgId: string, docId: string): Promise<void> {
    await store.delete(orgId, docId);
  }

  /**
   * Rewrites the stored responses (kept 24 h for retries) of requests that created these events,
   * so a retry after an erasure does not hand back the erased person. A query in the retailer's
   * partition over its few live records; each replaced only if unchanged, re-read otherwise.
   */
  async function rewriteStoredResponses(orgId: string, resourceIds: string[], rewrite: (body: unknown) => unknown): Promise<number> {
    return replaceResponses(orgId, resourceIds, (response) => ({ ...response!, body: rewrite(response!.body) }));
  }

  /**
   * The stored responses of requests that created these events (being purged), or added a message
   * or evidence to them, are replaced by a note that they are gone: a retry after the deletion
   * answers 410 and hands back none of what was deleted (a message's text, an evidence file's
   * name), and stores nothing new (the key stays taken until it expires).
   */
  async function retireStoredResponses(orgId: string, eventIds: readonly string[]): Promise<number> {
    // Every record of the event, a pending or failed one too: a retry taking it over would write the deleted event again.
    return replaceResponses(orgId, eventIds, () => ({ status: RETIRED_STATUS, headers: {}, body: null }), true, true);
  }

  async function replaceResponses(
    orgId: string,
    resourceIds: readonly string[],
    change: (response: StoredResponse | undefined) => StoredResponse,
    withPending = false,
    aboutEvents = false,
  ): Promise<number> {
    if (resourceIds.length === 0) return 0;
    let changed = 0;
    for (const found of await store.ofResources(orgId, [...resourceIds], withPending, aboutEvents)) {
      await optimistically('A stored response', async (attempt) => {
        const doc = attempt === 0 ? found : await store.read(orgId, found.id);
        if (!doc || (!doc.response && !withPending) || isRetired(doc.response)) return undefined;
        const response = change(doc.response);
        if (JSON.stringify(response) === JSON.stringify(doc.response)) return undefined;
        if (!(await store.replaceIfUnchanged(doc, { ...doc, state: 'done', response }))) return RETRY;
        changed += 1;
        return undefined;
      });
    }
    return changed;
  }

  /**
   * A POST with an optional Idempotency-Key (PRODUCT §10b): without one, `work` runs as asked;
   * with one, the first request runs with a resource id fixed when the key was claimed, and a retry
   * with the same body gets the first successful response. A client error gives the key back (the
   * corrected request may reuse it); a server fault lets a retry take over at once, with the same id.
   */
  async function respondOnce<R extends StoredResponse>(
    /** `eventId`: the event the request adds to (a message, evidence), whose purge retires its stored response too. */
    request: { orgId: string | null; sub: string; key: string | null; rawBody: unknown; scope?: string; eventId?: string },
    work: (resourceId: string | undefined, takenOver: boolean) => Promise<R>,
  ): Promise<R> {
    const { orgId, key } = request;
    if (!key || !orgId) return work(undefined, false);
    const claim = await claimKey(orgId, request.sub, key, requestHash(request.rawBody), new Date(), request.scope, request.eventId);
    // The response stored by the first request of this very route and body; of a message or evidence,
    // only while its event is there. The purge retires the owner's records, but a police officer's
    // message is recorded under the agency, and a purge may stop before it retires (the sweep finishes it).
    if (claim.kind === 'replay') {
      if (request.eventId !== undefined && (await store.eventGone(request.eventId))) {
        throw new GoneError(`The event this request added to (${request.eventId}) has since been deleted.`, 'RESOURCE_DELETED');
      }
      return claim.response as R;
    }
    try {
      const response = await work(claim.resourceId, claim.takenOver === true);
      await completeKey(orgId, claim.docId, response);
      return response;
    } catch (error) {
      if (error instanceof AppError && isClientError(error)) await releaseKey(orgId, claim.docId);
      else await failKey(orgId, claim.docId);
      throw error;
    }
  }

  return { claimKey, completeKey, failKey, releaseKey, rewriteStoredResponses, retireStoredResponses, respondOnce };
}

export const { claimKey, completeKey, failKey, releaseKey, rewriteStoredResponses, retireStoredResponses, respondOnce } = idempotency(idempotencyRecords, newEventId);
