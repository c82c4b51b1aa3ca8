import { newEventWriting, type NewEventWriteStore } from '../../../shared/events/write-new-event';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { OperationInput, OperationResponse } from '../../../shared/adapters/cosmos-batch';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import { buildEvent, newProfileId } from '../../../shared/domain/events/event-rules';
import { EventInputSchema, type RetailEvent } from '../../../shared/domain/events/event-schema';
import { idInShard, shardOf } from '../../../shared/domain/shards';

/**
 * Writing new events at once over an events container in memory. Which operations an event
 * brings, their order, how waiting events are grouped into batches and what each event is answered
 * are the code's own (the operation builders are the real ones); the store is faked as Cosmos DB's
 * transactional batch behaves: at most 100 operations (more are not sent), one partition (a batch
 * across shards is the caller's mistake and throws), at most 2 MB (more is refused as a whole), and
 * all or nothing: a failing operation answers its status (409 on a taken id, 412 on a changed
 * version, 404 on a missing one), every other one 424, and nothing is applied. The local server's
 * way (applied up to the failing operation) can be switched on. The same writes run against the
 * emulator in test/integration/app/audit-outbox.test.ts and match-pending.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const MAX_BYTES = 2 * 1024 * 1024;

type Doc = Record<string, unknown> & { id: string };
type Op = { operationType: string; id?: string; ifMatch?: string; resourceBody?: Doc };

class EventsContainer implements NewEventWriteStore {
  /** "retailer|id" → the document and its version. */
  docs = new Map<string, { body: Doc; etag: string }>();
  /** What happened, in order: "join <profile>" for a profile joined on its own, "batch <ids…>" for each batch sent. */
  log: string[] = [];
  /** The operations' ids of each batch sent, in order. */
  batches: string[][] = [];
  /** Batches not sent (over 100 operations, or none), and batches the store refused as a whole (over 2 MB, or `refuseNext`). */
  refused = 0;
  /** The next batch call fails as the network does (not the store's answer): it throws this. */
  faultNext: Error | undefined;
  /** The store refuses the next batch as a whole (a 400 or 413 answer): batchOutcome answers undefined. */
  refuseNext = false;
  /** Apply operations up to the failing one, as the local server does (Azure applies none). */
  appliesUpTo = false;
  /** Runs as the next batch call starts, before it is answered (to hold a batch in flight). */
  duringNext: (() => Promise<void>) | undefined;
  /** Joins of a profile on its own fail with this. */
  joinFault: Error | undefined;
  /** The profile each join on its own was handed, as read. */
  joinsGiven: (ProfileDoc | undefined)[] = [];
  private version = 0;

  /** As profile-repository's joinProfile: the event added to the profile; false when it is gone (never created). */
  joinProfile = async (retailerId: string, profileId: string, eventId: string, now: Date, current: ProfileDoc | undefined) => {
    this.joinsGiven.push(current && structuredClone(current));
    // A round trip of its own.
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.joinFault) throw this.joinFault;
    this.log.push(`join ${profileId}`);
    const stored = this.docs.get(`${retailerId}|${profileId}`)?.body as ProfileDoc | undefined;
    if (!stored) return false;
    this.put(retailerId, { ...stored, eventIds: [...new Set([...stored.eventIds, eventId])], updatedAt: now.toISOString() });
    return true;
  };

  /** As cosmos-batch's batchOutcome over Cosmos DB's transactional batch. */
  batchOutcome = async (retailerId: string, operations: readonly OperationInput[]): Promise<OperationResponse[] | undefined> => {
    const ops = operations as readonly Op[];
    if (ops.length === 0 || ops.length > 100) {
      this.refused += 1;
      return undefined;
    }
    const ids = ops.map((op) => op.resourceBody?.id ?? op.id ?? '');
    if (ids.some((id) => shardOf(id) !== shardOf(ids[0]!))) throw new Error(`A transactional batch in events spans shards (${ids.join(', ')}).`);
    const hook = this.duringNext;
    this.duringNext = undefined;
    this.log.push(`batch ${ids.join(' ')}`);
    await hook?.();
    const fault = this.faultNext;
    this.faultNext = undefined;
    if (fault) throw fault;
    this.batches.push(ids);
    const bytes = ops.reduce((sum, op) => sum + Buffer.byteLength(JSON.stringify(op.resourceBody ?? null)), 0);
    if (this.refuseNext || bytes > MAX_BYTES) {
      this.refuseNext = false;
      this.refused += 1;
      return undefined;
    }
    const staged = new Map(this.docs);
    const results: OperationResponse[] = [];
    for (const [i, op] of ops.entries()) {
      const status = this.apply(staged, retailerId, op);
      if (status >= 300) {
        if (this.appliesUpTo) this.docs = staged;
        return ops.map((_, j) => (j === i ? { statusCode: status, requestCharge: 1 } : j < i && this.appliesUpTo ? results[j]! : { statusCode: 424, requestCharge: 1 }));
      }
      results.push({ statusCode: status, requestCharge: 1, eTag: staged.get(`${retailerId}|${ids[i]}`)!.etag });
    }
    this.docs = staged;
    return results;
  };

  /** As cosmos-batch's tryBatch: the results only when every operation succeeded. */
  tryBatch = async (retailerId: string, operations: readonly OperationInput[]) => {
    const results = await this.batchOutcome(retailerId, operations);
    return results?.every((r) => r.statusCode < 300) ? results : undefined;
  };

  put(retailerId: string, body: Doc): string {
    const etag = `"${++this.version}"`;
    this.docs.set(`${retailerId}|${body.id}`, { body: structuredClone(body), etag });
    return etag;
  }
  doc = (id: string, retailerId = 'shop') => this.docs.get(`${retailerId}|${id}`);
  /** An existing profile, as stored and as read (with its version). */
  profile(id: string, eventIds: string[]): ProfileDoc {
    const body = { id, orgId: 'shop', docType: 'profile' as const, eventIds, createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() };
    return { ...body, _etag: this.put('shop', body) };
  }

  private apply(docs: Map<string, { body: Doc; etag: string }>, retailerId: string, op: Op): number {
    const id = op.resourceBody?.id ?? op.id!;
    const key = `${retailerId}|${id}`;
    const write = () => docs.set(key, { body: structuredClone(op.resourceBody!), etag: `"${++this.version}"` });
    switch (op.operationType) {
      case 'Create':
        if (docs.has(key)) return 409;
        write();
        return 201;
      case 'Upsert': {
        const existed = docs.has(key);
        write();
        return existed ? 200 : 201;
      }
      case 'Replace':
        if (!docs.has(key)) return 404;
        if (op.ifMatch !== undefined && docs.get(key)!.etag !== op.ifMatch) return 412;
        write();
        return 200;
      default:
        throw new Error(`Not expected in a new event's batch: ${op.operationType}`);
    }
  }
}

const hex = (n: number) => `${n.toString(16).padStart(30, '0')}00`;
/** The n-th id of a shard. */
const inShard = (shard: string, n: number) => idInShard(hex(n), shard);

/** A new event with a new person (ref "a") and the people `also` names by profile. */
function newEvent(id: string, also: string[] = [], more: Record<string, unknown> = {}, retailerId = 'shop'): RetailEvent {
  const input = EventInputSchema.parse({
    storeId: 's1',
    occurredAt: '2026-11-01T10:00:00Z',
    type: 'shoplifting',
    prevented: false,
    people: [{ ref: 'a', role: 'offender', name: { given: 'Tane', family: 'Walker' } }, ...also.map((profileId, i) => ({ ref: `k${i}`, role: 'offender', profileId }))],
  });
  return { ...buildEvent(id, retailerId, input, 'reporter', NOW), ...more };
}

const entryOf = (event: RetailEvent): OutboxEntry => ({
  key: `event.create@${event.id}`,
  draft: { actor: { sub: 'reporter', org: event.retailerId, roles: ['Reporter'] }, action: 'event.create', target: { type: 'event', id: event.id }, outcome: 'success', requestId: `req-${event.id}` },
});

/** The n-th new event of shard 05, naming `also` too. */
const ev = (n: number, also: string[] = []) => newEvent(inShard('05', n), also);

/** The ids of an event's operations in its own shard, in the order the code sends them. */
const opsOf = (event: RetailEvent, inItsShard: string[]) => [...inItsShard, `match-pending@${event.id}`, event.id, `audit-outbox:event.create@${event.id}`];

function world() {
  const container = new EventsContainer();
  const { writeNewEventAtOnce } = newEventWriting(container);
  const write = (event: RetailEvent, given: ProfileDoc[] = []) => writeNewEventAtOnce(event, 'NZ-AUK', new Map(given.map((p) => [p.id, p])), NOW, entryOf(event));
  return { container, write };
}

describe('one event', () => {
  test('alone, it is one batch: its profiles in its shard, its matching request, the event, its outbox document; answered with the event’s version', async () => {
    const { container, write } = world();
    const id = inShard('05', 1);
    const known = container.profile(inShard('05', 2), ['older']);
    const event = newEvent(id, [known.id]);
    const etag = await write(event, [known]);
    const person = newProfileId(id, 'a');
    expect(container.batches).toEqual([opsOf(event, [person, known.id])]);
    expect(etag).toBe(container.doc(id)!.etag);
    expect(container.doc(id)!.body).toMatchObject({ docType: 'event', storeJurisdiction: 'NZ-AUK', profileIds: [person, known.id] });
    expect(container.doc(person)!.body).toMatchObject({ docType: 'profile', eventIds: [id] });
    expect(container.doc(known.id)!.body).toMatchObject({ eventIds: ['older', id] });
    expect(container.doc(`match-pending@${id}`)!.body).toMatchObject({ docType: 'match-pending', eventId: id });
    expect(container.doc(`audit-outbox:event.create@${id}`)!.body).toMatchObject({ docType: 'audit-outbox', draft: { action: 'event.create' } });
  });

  test('a profile it names in another shard is joined first, on its own, as read, and stays out of the batch', async () => {
    const { container, write } = world();
    const id = inShard('05', 1);
    const elsewhere = container.profile(inShard('1a', 2), ['older']);
    const event = newEvent(id, [elsewhere.id]);
    const etag = await write(event, [elsewhere]);
    expect(container.log).toEqual([`join ${elsewhere.id}`, `batch ${opsOf(event, [newProfileId(id, 'a')]).join(' ')}`]);
    expect(container.joinsGiven).toEqual([elsewhere]);
    expect(container.doc(elsewhere.id)!.body).toMatchObject({ eventIds: ['older', id] });
    expect(etag).toBe(container.doc(id)!.etag);
  });

  test('a profile it names in another shard that went since it was checked (merged away) is refused as unknown, not made again, before any batch', async () => {
    const { container, write } = world();
    const gone = { ...container.profile(inShard('1a', 2), ['older']) };
    container.docs.delete(`shop|${gone.id}`);
    const event = newEvent(inShard('05', 1), [gone.id]);
    await expect(write(event, [gone])).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE', errors: [{ path: 'people.1.profileId' }] });
    expect([container.doc(gone.id), container.batches]).toEqual([undefined, []]);
  });

  test('a join in another shard that fails fails the write before any batch', async () => {
    const { container, write } = world();
    container.joinFault = new Error('profile store down');
    const event = newEvent(inShard('05', 1), [inShard('1a', 2)]);
    await expect(write(event)).rejects.toThrow('profile store down');
    expect(container.batches).toEqual([]);
  });

  test('its own operation failing (a profile changed since read, or a retry finding its event) answers undefined, with nothing written, for the caller to write it one by one', async () => {
    const { container, write } = world();
    const known = container.profile(inShard('05', 2), ['older']);
    const stale = { ...known, _etag: '"stale"' };
    expect(await write(newEvent(inShard('05', 1), [known.id]), [stale])).toBeUndefined();
    expect(container.doc(inShard('05', 1))).toBeUndefined();

    const retried = newEvent(inShard('05', 3));
    container.put('shop', { id: retried.id, docType: 'event' });
    expect(await write(retried)).toBeUndefined();
    expect(container.doc(`audit-outbox:event.create@${retried.id}`)).toBeUndefined();
  });

  test('a batch the store refuses as a whole answers undefined; a failure that is not its answer reaches the caller', async () => {
    const { container, write } = world();
    container.refuseNext = true;
    expect(await write(newEvent(inShard('05', 1)))).toBeUndefined();
    container.faultNext = new Error('socket hang up');
    await expect(write(newEvent(inShard('05', 2)))).rejects.toThrow('socket hang up');
  });
});

describe('events arriving together', () => {
  test('concurrent events of one shard share one batch, in the order they came, each answered with its own version; other shards and retailers have their own', async () => {
    const { container, write } = world();
    const [a, b, c] = [ev(1), ev(2), ev(3)];
    const d = newEvent(inShard('06', 4));
    const e = newEvent(inShard('05', 5), [], {}, 'other');
    const answers = await Promise.all([a, b, d, c, e].map((x) => write(x)));
    expect(container.batches).toHaveLength(3);
    expect(container.batches).toContainEqual([a, b, c].flatMap((x) => opsOf(x, [newProfileId(x.id, 'a')])));
    expect(container.batches).toContainEqual(opsOf(d, [newProfileId(d.id, 'a')]));
    expect(container.batches).toContainEqual(opsOf(e, [newProfileId(e.id, 'a')]));
    expect(answers).toEqual([container.doc(a.id)!.etag, container.doc(b.id)!.etag, container.doc(d.id)!.etag, container.doc(c.id)!.etag, container.doc(e.id, 'other')!.etag]);
    expect(new Set(answers).size).toBe(5);
  });

  test('events arriving while their shard’s batch is in flight go together in the next one', async () => {
    const { container, write } = world();
    const [a, b, c] = [ev(1), ev(2), ev(3)];
    let later: Promise<unknown> | undefined;
    container.duringNext = async () => {
      later = Promise.all([write(b), write(c)]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    };
    await write(a);
    await later;
    expect(container.batches).toEqual([opsOf(a, [newProfileId(a.id, 'a')]), [b, c].flatMap((x) => opsOf(x, [newProfileId(x.id, 'a')]))]);
  });

  test('an event whose own operation fails answers undefined; the others of its batch (424) are written, each on its own', async () => {
    const { container, write } = world();
    const [a, c] = [ev(1), ev(3)];
    const known = container.profile(inShard('05', 9), ['older']);
    const b = newEvent(inShard('05', 2), [known.id]);
    const answers = await Promise.all([write(a), write(b, [{ ...known, _etag: '"stale"' }]), write(c)]);
    expect(container.batches).toEqual([
      [a, b, c].flatMap((x) => opsOf(x, x === b ? [newProfileId(x.id, 'a'), known.id] : [newProfileId(x.id, 'a')])),
      opsOf(a, [newProfileId(a.id, 'a')]),
      opsOf(c, [newProfileId(c.id, 'a')]),
    ]);
    expect(answers).toEqual([container.doc(a.id)!.etag, undefined, container.doc(c.id)!.etag]);
    expect(container.doc(b.id)).toBeUndefined();
    expect(container.doc(`match-pending@${b.id}`)).toBeUndefined();
    expect(container.doc(known.id)!.etag).toBe(known._etag);
  });

  test('where the store applies a batch up to its failing operation (the local server), an event before it is answered as written, not written again', async () => {
    const { container, write } = world();
    container.appliesUpTo = true;
    const [a, c] = [ev(1), ev(3)];
    const b = newEvent(inShard('05', 2));
    container.put('shop', { id: b.id, docType: 'event' });
    const answers = await Promise.all([write(a), write(b), write(c)]);
    expect(container.batches).toEqual([[a, b, c].flatMap((x) => opsOf(x, [newProfileId(x.id, 'a')])), opsOf(c, [newProfileId(c.id, 'a')])]);
    expect(answers).toEqual([container.doc(a.id)!.etag, undefined, container.doc(c.id)!.etag]);
  });

  test('a batch of several refused as a whole sends each event again on its own', async () => {
    const { container, write } = world();
    const [a, b] = [ev(1), ev(2)];
    container.refuseNext = true;
    const answers = await Promise.all([write(a), write(b)]);
    expect(container.batches).toEqual([[a, b].flatMap((x) => opsOf(x, [newProfileId(x.id, 'a')])), opsOf(a, [newProfileId(a.id, 'a')]), opsOf(b, [newProfileId(b.id, 'a')])]);
    expect(answers).toEqual([container.doc(a.id)!.etag, container.doc(b.id)!.etag]);
  });

  test('an error of the batch call itself reaches every event waiting on it, and nothing is written', async () => {
    const { container, write } = world();
    const events = [1, 2, 3].map((n) => newEvent(inShard('05', n)));
    const fault = new Error('socket hang up');
    container.faultNext = fault;
    const settled = await Promise.allSettled(events.map((x) => write(x)));
    expect(settled).toEqual(events.map(() => ({ status: 'rejected', reason: fault })));
    expect(container.docs.size).toBe(0);
  });

  test('an error while an event is written again on its own reaches that event alone', async () => {
    const { container, write } = world();
    const [a, c] = [ev(1), ev(3)];
    const b = newEvent(inShard('05', 2));
    container.put('shop', { id: b.id, docType: 'event' });
    // After the shared batch (its 424s), the first write on its own fails as the network does.
    container.duringNext = async () => {
      container.duringNext = async () => {
        container.faultNext = new Error('socket hang up');
      };
    };
    const settled = await Promise.allSettled([write(a), write(b), write(c)]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined))).toEqual([undefined, undefined, container.doc(c.id)!.etag]);
  });

  test('two events joining the same profile never share a batch: the second goes next, and fails on the first one’s version', async () => {
    const { container, write } = world();
    const known = container.profile(inShard('05', 9), ['older']);
    const [a, b] = [ev(1, [known.id]), ev(2, [known.id])];
    const answers = await Promise.all([write(a, [known]), write(b, [known])]);
    expect(container.batches).toEqual([opsOf(a, [newProfileId(a.id, 'a'), known.id]), opsOf(b, [newProfileId(b.id, 'a'), known.id])]);
    expect(answers).toEqual([container.doc(a.id)!.etag, undefined]);
    expect(container.doc(known.id)!.body).toMatchObject({ eventIds: ['older', a.id] });
  });
});

describe('the limits of a batch', () => {
  test('more operations than one batch takes (100) go in rounds, each within it, and every event is written in the first batch that takes it', async () => {
    const { container, write } = world();
    const events = Array.from({ length: 30 }, (_, n) => newEvent(inShard('05', n + 1)));
    const answers = await Promise.all(events.map((x) => write(x)));
    expect(container.batches.map((ids) => ids.length)).toEqual([100, 20]);
    expect(container.refused).toBe(0);
    expect(answers).toEqual(events.map((x) => container.doc(x.id)!.etag));
  });

  test('events too large together for one batch (2 MB) go in rounds small enough, each event in one', async () => {
    const { container, write } = world();
    const events = [1, 2, 3, 4, 5].map((n) => newEvent(inShard('05', n), [], { description: 'x'.repeat(600_000) }));
    const answers = await Promise.all(events.map((x) => write(x)));
    expect(container.batches).toEqual([events.slice(0, 2), events.slice(2, 4), events.slice(4)].map((round) => round.flatMap((x) => opsOf(x, [newProfileId(x.id, 'a')]))));
    expect(container.refused).toBe(0);
    expect(answers).toEqual(events.map((x) => container.doc(x.id)!.etag));
  });
});
