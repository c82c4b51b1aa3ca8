import { idempotency, STALE_PENDING_MS, type IdempotencyStore } from '../../../shared/events/idempotency';
import type { IdempotencyDoc } from '../../../shared/events/idempotency-repository';
import { AppError, ValidationError } from '../../../shared/domain/errors';

/**
 * The Idempotency-Key logic on its own (PRODUCT §10b), over an in-memory store that answers as the
 * repository does: versions (ETags) on every write, a create refused when the id is taken, a
 * replace refused when the record changed since it was read. The same paths run against the
 * emulator in test/integration/app/idempotency.test.ts.
 */
class MemoryStore implements IdempotencyStore {
  readonly docs = new Map<string, IdempotencyDoc>();
  #version = 0;
  /** Applies the next create but answers as if its answer was lost (a dropped connection, then the retry's 409). */
  loseNextCreateAnswer = false;
  /** Runs once before the next conditional replace: another writer getting there first. */
  beforeNextReplace?: () => void;
  /** Applies the next conditional replace but answers as if its answer was lost (then the retry's 412). */
  loseNextReplaceAnswer = false;

  private key(orgId: string, id: string) {
    return `${orgId}/${id}`;
  }
  private stamp(doc: IdempotencyDoc): IdempotencyDoc {
    return { ...structuredClone(doc), _etag: `v${++this.#version}` };
  }
  read(orgId: string, docId: string) {
    const doc = this.docs.get(this.key(orgId, docId));
    return Promise.resolve(doc && structuredClone(doc));
  }
  create(doc: IdempotencyDoc) {
    const k = this.key(doc.orgId, doc.id);
    if (this.docs.has(k)) return Promise.resolve(false);
    this.docs.set(k, this.stamp(doc));
    if (this.loseNextCreateAnswer) {
      this.loseNextCreateAnswer = false;
      return Promise.resolve(false);
    }
    return Promise.resolve(true);
  }
  replaceIfUnchanged(existing: IdempotencyDoc, next: IdempotencyDoc) {
    const interloper = this.beforeNextReplace;
    this.beforeNextReplace = undefined;
    interloper?.();
    const k = this.key(existing.orgId, existing.id);
    const current = this.docs.get(k);
    if (!current || current._etag !== existing._etag) return Promise.resolve(undefined);
    const { _etag: _, ...rest } = next;
    this.docs.set(k, this.stamp(rest));
    if (this.loseNextReplaceAnswer) {
      this.loseNextReplaceAnswer = false;
      return Promise.resolve(undefined);
    }
    return Promise.resolve(rest);
  }
  upsert(doc: IdempotencyDoc) {
    const { _etag: _, ...rest } = doc;
    this.docs.set(this.key(doc.orgId, doc.id), this.stamp(rest));
    return Promise.resolve();
  }
  delete(orgId: string, docId: string) {
    this.docs.delete(this.key(orgId, docId));
    return Promise.resolve();
  }
  /** Events deleted (or being purged). */
  readonly goneEvents = new Set<string>();
  eventGone(eventId: string) {
    return Promise.resolve(this.goneEvents.has(eventId));
  }
  ofResources(orgId: string, resourceIds: string[], withPending = false, aboutEvents = false) {
    const about = (d: IdempotencyDoc) => resourceIds.includes(d.resourceId) || (aboutEvents && d.eventId !== undefined && resourceIds.includes(d.eventId));
    return Promise.resolve([...this.docs.values()].filter((d) => d.orgId === orgId && (withPending || d.response) && about(d)).map((d) => structuredClone(d)));
  }
}

const ok = (body: unknown) => ({ status: 201, headers: {}, body });

describe('Idempotency-Key logic', () => {
  let store: MemoryStore;
  let logic: ReturnType<typeof idempotency>;
  beforeEach(() => {
    store = new MemoryStore();
    logic = idempotency(store);
  });

  it('lets the first request proceed and answers a retry with the first response, whatever the retry would have done', async () => {
    const first = await logic.claimKey('org', 'rep', 'k', 'h1');
    expect(first.kind).toBe('proceed');
    const { docId, resourceId } = first as { docId: string; resourceId: string };
    await logic.completeKey('org', docId, ok({ id: resourceId }));
    expect(await logic.claimKey('org', 'rep', 'k', 'h1')).toEqual({ kind: 'replay', response: ok({ id: resourceId }) });
  });

  it('refuses the same key with another body (409 IDEMPOTENCY_CONFLICT), and keeps keys apart per caller and per scope', async () => {
    await logic.claimKey('org', 'rep', 'k', 'h1');
    await expect(logic.claimKey('org', 'rep', 'k', 'h2')).rejects.toMatchObject({ kind: 'conflict', code: 'IDEMPOTENCY_CONFLICT' });
    expect((await logic.claimKey('org', 'other-rep', 'k', 'h2')).kind).toBe('proceed');
    expect((await logic.claimKey('org', 'rep', 'k', 'h2', new Date(), 'case-files')).kind).toBe('proceed');
  });

  it('lets a retry take over at once, with the same resource id, after an attempt failed on our side', async () => {
    const first = (await logic.claimKey('org', 'rep', 'k', 'h1')) as { docId: string; resourceId: string };
    // The first is no takeover: a use case may tell a retry that finds its own write from a new request.
    expect(first).not.toHaveProperty('takenOver');
    await logic.failKey('org', first.docId);
    expect(await logic.claimKey('org', 'rep', 'k', 'h1')).toEqual({ kind: 'proceed', docId: first.docId, resourceId: first.resourceId, takenOver: true });
  });

  it('takes over an attempt that crashed (still pending after STALE_PENDING_MS), with the same resource id', async () => {
    const first = (await logic.claimKey('org', 'rep', 'k', 'h1', new Date(Date.now() - STALE_PENDING_MS - 1000))) as { docId: string; resourceId: string };
    expect(await logic.claimKey('org', 'rep', 'k', 'h1')).toEqual({ kind: 'proceed', docId: first.docId, resourceId: first.resourceId, takenOver: true });
  });

  it('treats a key past its 24 hours as new: a new resource id', async () => {
    const first = (await logic.claimKey('org', 'rep', 'k', 'h1', new Date(Date.now() - 25 * 3600_000))) as { docId: string; resourceId: string };
    await logic.completeKey('org', first.docId, ok({}));
    const again = (await logic.claimKey('org', 'rep', 'k', 'h2')) as { kind: string; resourceId: string };
    expect(again.kind).toBe('proceed');
    expect(again.resourceId).not.toBe(first.resourceId);
  });

  it('proceeds when its own create was applied but its answer lost', async () => {
    store.loseNextCreateAnswer = true;
    const claim = (await logic.claimKey('org', 'rep', 'k', 'h1')) as { kind: string; resourceId: string };
    expect(claim.kind).toBe('proceed');
    expect([...store.docs.values()][0]!.resourceId).toBe(claim.resourceId);
  });

  it('proceeds when its own takeover of a failed attempt was applied but its answer lost (not waiting on itself as on another)', async () => {
    const first = (await logic.claimKey('org', 'rep', 'k', 'h1')) as { docId: string; resourceId: string };
    await logic.failKey('org', first.docId);
    store.loseNextReplaceAnswer = true;
    const started = Date.now();
    expect(await logic.claimKey('org', 'rep', 'k', 'h1')).toEqual({ kind: 'proceed', resourceId: first.resourceId, docId: first.docId, takenOver: true });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('lets one of two racing requests proceed; the other waits for its answer and replays it', async () => {
    const first = (await logic.claimKey('org', 'rep', 'k', 'h1')) as { docId: string };
    setTimeout(() => void logic.completeKey('org', first.docId, ok('first')), 150);
    expect(await logic.claimKey('org', 'rep', 'k', 'h1')).toEqual({ kind: 'replay', response: ok('first') });
  });

  it('does not take over a failed attempt that another retry took over first', async () => {
    const first = (await logic.claimKey('org', 'rep', 'k', 'h1')) as { docId: string };
    await logic.failKey('org', first.docId);
    // Another retry takes the key over and completes between this one's read and its replace.
    store.beforeNextReplace = () => {
      const doc = store.docs.get(`org/${first.docId}`)!;
      store.docs.set(`org/${first.docId}`, { ...doc, state: 'done', response: ok('other retry'), _etag: 'v-other' });
    };
    expect(await logic.claimKey('org', 'rep', 'k', 'h1')).toEqual({ kind: 'replay', response: ok('other retry') });
  });

  describe('respondOnce', () => {
    const request = { orgId: 'org', sub: 'rep', key: 'k', rawBody: { a: 1 } };

    it('runs the work once and replays its answer for the same body', async () => {
      const work = jest.fn((id: string | undefined) => Promise.resolve(ok({ id })));
      const first = await logic.respondOnce(request, work);
      expect(await logic.respondOnce(request, work)).toEqual(first);
      expect(work).toHaveBeenCalledTimes(1);
    });

    it('gives the key back after a client error, so the corrected request may use it', async () => {
      await expect(logic.respondOnce(request, () => Promise.reject(new ValidationError([])))).rejects.toBeInstanceOf(ValidationError);
      expect(store.docs.size).toBe(0);
      const corrected = await logic.respondOnce({ ...request, rawBody: { a: 2 } }, (id) => Promise.resolve(ok({ id })));
      expect(corrected.status).toBe(201);
    });

    it('marks the key failed after a server fault, so a retry takes over with the same resource id', async () => {
      let firstId: string | undefined;
      await expect(
        logic.respondOnce(request, (id) => {
          firstId = id;
          return Promise.reject(new AppError('unavailable', 'SERVICE_UNAVAILABLE', 'The store is busy.'));
        }),
      ).rejects.toMatchObject({ kind: 'unavailable' });
      expect([...store.docs.values()][0]!.state).toBe('failed');
      const retry = await logic.respondOnce(request, (id) => Promise.resolve(ok({ id })));
      expect(retry.body).toEqual({ id: firstId });
    });

    it('runs the work without a key, and stores nothing', async () => {
      expect(await logic.respondOnce({ ...request, key: null }, (id) => Promise.resolve(ok({ id })))).toEqual(ok({ id: undefined }));
      expect(store.docs.size).toBe(0);
    });
  });

  it('once what a key made is deleted, a retry answers 410 with its id, whether the first attempt answered, failed or is still running', async () => {
    const done = (await logic.claimKey('org', 'rep', 'done', 'h1')) as { docId: string; resourceId: string };
    await logic.completeKey('org', done.docId, ok({ id: done.resourceId, name: 'Rangi' }));
    const failed = (await logic.claimKey('org', 'rep', 'failed', 'h1')) as { docId: string; resourceId: string };
    await logic.failKey('org', failed.docId);
    const running = (await logic.claimKey('org', 'rep', 'running', 'h1')) as { docId: string; resourceId: string };
    expect(await logic.retireStoredResponses('org', [done.resourceId, failed.resourceId, running.resourceId])).toBe(3);
    // The running attempt finishes after the deletion: it does not put the deleted event back.
    await logic.completeKey('org', running.docId, ok({ id: running.resourceId, name: 'Rangi' }));
    for (const [key, { resourceId }] of [['done', done], ['failed', failed], ['running', running]] as const) {
      const error = await logic.claimKey('org', 'rep', key, 'h1').catch((e: unknown) => e);
      expect(error).toMatchObject({ kind: 'gone', code: 'RESOURCE_DELETED' });
      expect((error as Error).message).toContain(resourceId);
      expect((error as Error).message).not.toContain('Rangi');
    }
  });

  it("retiring an event's responses retires those of messages and evidence added to it, not another event's, and an erasure's rewrite leaves them alone", async () => {
    const about = (key: string, eventId: string) => logic.respondOnce({ orgId: 'org', sub: 'rep', key, rawBody: { key }, scope: `message:${eventId}`, eventId }, (id) => Promise.resolve(ok({ id, body: 'Rangi came back' })));
    await about('on-e1', 'e1');
    await about('on-e2', 'e2');
    expect(await logic.rewriteStoredResponses('org', ['e1'], () => ({ erased: true }))).toBe(0);
    expect(await logic.retireStoredResponses('org', ['e1'])).toBe(1);
    await expect(about('on-e1', 'e1')).rejects.toMatchObject({ kind: 'gone', code: 'RESOURCE_DELETED' });
    expect((await about('on-e2', 'e2')).body).toMatchObject({ body: 'Rangi came back' });
  });

  it("a stored answer about an event is replayed only while the event is there (a police officer's record lies under the agency, which the purge does not search)", async () => {
    const about = () => logic.respondOnce({ orgId: 'agency', sub: 'officer', key: 'k', rawBody: { b: 1 }, scope: 'message:e9', eventId: 'e9' }, (id) => Promise.resolve(ok({ id, body: 'Seen with Rangi' })));
    const first = await about();
    expect(await about()).toEqual(first);
    store.goneEvents.add('e9');
    const error = await about().catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'gone', code: 'RESOURCE_DELETED' });
    expect((error as Error).message).not.toContain('Rangi');
  });

  it('rewrites the stored answers of the resources named (an erasure), reading again when one changed meanwhile', async () => {
    const a = (await logic.claimKey('org', 'rep', 'a', 'h')) as { docId: string; resourceId: string };
    await logic.completeKey('org', a.docId, ok({ person: 'Ann', id: a.resourceId }));
    const b = (await logic.claimKey('org', 'rep', 'b', 'h')) as { docId: string; resourceId: string };
    await logic.completeKey('org', b.docId, ok({ person: 'Bo', id: b.resourceId }));
    store.beforeNextReplace = () => {
      const doc = store.docs.get(`org/${a.docId}`)!;
      store.docs.set(`org/${a.docId}`, { ...doc, _etag: 'v-touched' });
    };
    const changed = await logic.rewriteStoredResponses('org', [a.resourceId], (body) => ({ ...(body as object), person: null }));
    expect(changed).toBe(1);
    expect(store.docs.get(`org/${a.docId}`)!.response!.body).toEqual({ person: null, id: a.resourceId });
    expect(store.docs.get(`org/${b.docId}`)!.response!.body).toEqual({ person: 'Bo', id: b.resourceId });
  });
});
