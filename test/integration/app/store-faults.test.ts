import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startStackProcess } from '../../../tools/local/stack-process';
import type { FaultMix } from '../../../tools/local/fault-proxy';
import { testStackSettings } from '../support/stack-settings';
import { ownStack } from '../support/own-stack';
import { MATCH_OVERDUE_MS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';
import { drainAuditOutbox, OUTBOX_OVERDUE_MS } from '../../../shared/audit/audit-outbox';
import { PURPOSE, call, createOrg, tokenFor, type CallResult } from '../support/api';
import { eventBody, retailerWorld } from '../support/world';
import { blobBytes, declare, files, putBlob, settled, sha256, submit, uploadNameOf, uploadRemoved } from '../support/evidence';
import { aggregatedEvents, daysAgo, leftovers, matched, shortRetentionWorld } from '../support/retention';

/**
 * The store's bad days, on a stack of its own: a fault proxy between the app and each emulator
 * answers a share of requests the way Cosmos DB and Storage do under stress and failover (429
 * with x-ms-retry-after-ms, 503, 408, a connection dropped before or after the store acted, an
 * answer cut part-way through its body, slow answers). A well-behaved client retries each POST with the same Idempotency-Key. Nothing may be
 * lost, duplicated, stored without the client learning its id, or written without its audit entry.
 */
const MIX: FaultMix = { rate: 0.1, weights: { throttle: 3, unavailable: 2, timeout: 2, reset: 1, 'reset-after': 1, truncate: 1, slow: 1 }, slowMs: 200, retryAfterMs: 50 };
const EVENTS = 300;
const ATTEMPTS = 8;
const CONCURRENCY = 8;

const ownedStack = ownStack();

const setFaults = (mix: FaultMix) => {
  for (const proxy of Object.values(ownedStack().faults!)) proxy.set(mix);
};

interface Attempt {
  status: number | 'network';
  code?: string;
  retryAfter?: string | null;
}

/** A client that retries on 5xx, 409 in progress and network failure, honouring Retry-After (at most 1 s here). */
async function postWithRetries(token: string, body: unknown, key: string, path = '/api/v1/events'): Promise<{ attempts: Attempt[]; final?: CallResult }> {
  const attempts: Attempt[] = [];
  for (let i = 0; i < ATTEMPTS; i++) {
    let res: CallResult | undefined;
    try {
      res = await call('POST', path, { token, body, headers: { 'idempotency-key': key } });
    } catch {
      attempts.push({ status: 'network' });
    }
    if (res) {
      attempts.push({ status: res.status, code: res.body?.code, retryAfter: res.headers.get('retry-after') });
      if (res.status < 500 && !(res.status === 409 && res.body?.code === 'IDEMPOTENCY_IN_PROGRESS')) return { attempts, final: res };
    }
    const wait = Math.min(1, Number(res?.headers.get('retry-after') ?? 0.2) || 0.2);
    await new Promise((r) => setTimeout(r, wait * 1000 * (0.5 + Math.random())));
  }
  return { attempts };
}

async function listAll(token: string): Promise<{ id: string }[]> {
  const out: { id: string }[] = [];
  let continuation: string | null = null;
  do {
    const q: string = continuation ? `&continuationToken=${encodeURIComponent(continuation)}` : '';
    const res = await call('GET', `/api/v1/events?pageSize=100${q}`, { token });
    if (res.status !== 200) throw new Error(`list: ${res.status} ${res.text}`);
    out.push(...res.body.items);
    continuation = res.body.continuationToken;
  } while (continuation);
  return out;
}

describe.each([
  { rate: 0.1, events: EVENTS, minShare: 0.99 },
  // Three times the rate: many requests outlast the retries inside the service; the client's retries finish them.
  { rate: 0.3, events: 100, minShare: 0.97 },
  // A store failing most requests: many answers are 503, and every one of them is (no path turns a fault into a 500).
  { rate: 0.6, events: 30, minShare: 0.3 },
])('transient store faults ($rate of Cosmos DB and Storage requests)', ({ rate, events, minShare }) => {
  it(`${events} events posted by a retrying client: no 500, none lost or duplicated, every stored event acknowledged and audited once, the chain verifies`, async () => {
    const w = await retailerWorld();
    setFaults({ ...MIX, rate });
    const results: { key: string; body: unknown; attempts: Attempt[]; id?: string }[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < events) {
          const i = next++;
          const key = randomUUID();
          const body = eventBody({ description: `Fault run ${i}: concealed razor blades and left.`, people: [{ ref: 'p1', role: 'offender', name: { given: `Given${i}`, family: 'Faultless' } }] });
          const { attempts, final } = await postWithRetries(w.reporter, body, key);
          results.push({ key, body, attempts, ...(final?.status === 201 ? { id: final.body.id } : {}) });
        }
      }),
    );
    setFaults({ rate: 0 });
    const injected = Object.fromEntries(Object.entries(ownedStack().faults!).map(([name, p]) => [name, { ...p.counts }]));
    for (const p of Object.values(ownedStack().faults!)) for (const k of Object.keys(p.counts)) p.counts[k as keyof typeof p.counts] = 0;

    const all = results.flatMap((r) => r.attempts);
    const statuses = all.reduce<Record<string, number>>((m, a) => ({ ...m, [String(a.status)]: (m[String(a.status)] ?? 0) + 1 }), {});
    // The faults were real, and the answers the right ones.
    expect(injected.cosmos!.requests).toBeGreaterThan(events * 5);
    expect(Object.values(injected).reduce((n, c) => n + c.requests - c.passed, 0)).toBeGreaterThan(events * 5 * rate * 0.5);
    expect(statuses['500'] ?? 0).toBe(0);
    for (const a of all.filter((x) => x.status === 503)) expect(a.retryAfter).toMatch(/^\d+$/);

    const withinAttempts = results.filter((r) => r.id).length;
    expect(withinAttempts).toBeGreaterThanOrEqual(Math.ceil(events * minShare));
    // Once the store is healthy, a client that gave up retries once more with the same key and learns its event's id.
    for (const r of results.filter((x) => !x.id)) {
      const again = await call('POST', '/api/v1/events', { token: w.reporter, body: r.body, headers: { 'idempotency-key': r.key } });
      expect(again.status).toBe(201);
      r.id = again.body.id;
    }
    const acknowledged = results.map((r) => r.id!);
    expect(new Set(acknowledged).size).toBe(acknowledged.length);

    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
    const stored = (await listAll(w.investigator)).map((e) => e.id);
    // None duplicated, none stored without the client learning its id, none lost.
    expect(new Set(stored).size).toBe(stored.length);
    expect(stored.filter((id) => !acknowledged.includes(id))).toEqual([]);
    expect(acknowledged.filter((id) => !stored.includes(id))).toEqual([]);

    // Every stored event's creation is in the chain, once; the chain verifies.
    const exported = await call('GET', '/api/v1/audit/export', { token: compliance });
    expect(exported.status).toBe(200);
    const creates = exported.text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; target: { id: string } })
      .filter((e) => e.action === 'event.create')
      .map((e) => e.target.id);
    expect(creates.slice().sort()).toEqual(stored.slice().sort());
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: true, firstBadSeq: null });
    console.log(JSON.stringify({ statuses, injected, withinAttempts, stored: stored.length, maxAttempts: Math.max(...results.map((r) => r.attempts.length)) }));
  }, 300_000);
});

describe('start-up while the store is not ready', () => {
  it('a store answering 503 for its first seconds (as the emulator does after it starts) is waited for, with a clear line, and the stack starts', async () => {
    const slow = await startStackProcess(120_000, testStackSettings(), { faults: { initial: { rate: 1, weights: { unavailable: 1 } }, forMs: 5_000 } });
    try {
      const log = readFileSync(slow.env.DAYBREAK_STACK_LOG!, 'utf8');
      expect(log).toMatch(/Waiting for the data store \(attempt 1: .*\); trying again in 2 s/);
      expect(log).toContain('The data store is ready.');
      expect(slow.faults!.cosmos.counts.unavailable).toBeGreaterThan(0);
      expect((await fetch(`${slow.baseUrl}/api/v1/health`)).status).toBe(200);
    } finally {
      await slow.stop();
    }
  }, 150_000);
});

describe('background work under the same faults', () => {
  it('matching, evidence processing and the retention sweep run through 10 % faults; once the faults stop, nothing is left half done', async () => {
    const w = await shortRetentionWorld();
    setFaults(MIX);
    const post = async (body: unknown): Promise<{ id: string; people: { profileId: string }[] }> => {
      const { final } = await postWithRetries(w.investigator, body, randomUUID());
      expect(final?.status).toBe(201);
      return final!.body;
    };
    const person = (family: string, phone: string) => [{ ref: 'p1', role: 'offender', name: { given: 'Rhys', family }, phone }];
    // Twelve events past the retailer's 30 days (three people, four reports each), six recent ones of the same people.
    type Made = Awaited<ReturnType<typeof post>>;
    const old: Made[] = [];
    for (let i = 0; i < 12; i++) old.push(await post(eventBody({ occurredAt: daysAgo(40 + i), people: person(`Faultline${i % 3}`, `+6421555000${i % 3}`), vehicles: [] })));
    const recent: Made[] = [];
    for (let i = 0; i < 6; i++) recent.push(await post(eventBody({ occurredAt: daysAgo(2 + i), people: person(`Faultline${i % 3}`, `+6421555000${i % 3}`), vehicles: [] })));

    // Evidence on three recent events and one old one: declared through the API, uploaded through the URL it gave.
    const evidence: { id: string; upload: string }[] = [];
    for (const event of [...recent.slice(0, 3), old[0]!]) {
      const jpeg = await files.jpeg(64 + evidence.length, 48);
      let declared: Awaited<ReturnType<typeof declare>> | undefined;
      for (let i = 0; i < ATTEMPTS && !declared; i++) declared = await declare(w.investigator, event.id, { fileName: 'cam.jpg', contentType: 'image/jpeg', size: jpeg.length, sha256: sha256(jpeg), kind: 'image' }).catch(() => undefined);
      expect(declared).toBeDefined();
      let status = 0;
      // A retried create-only PUT whose first try was applied (its answer lost) is refused, 409 or
      // 403 (the URL may create, not overwrite): the blob is there, as the processing below shows.
      for (let i = 0; i < ATTEMPTS && ![201, 409, 403].includes(status); i++) status = await putBlob(declared!.uploadUrl, jpeg).catch(() => 0);
      expect([201, 409, 403]).toContain(status);
      evidence.push({ id: declared!.evidenceId, upload: uploadNameOf(declared!.uploadUrl) });
    }
    // Matching and processing run meanwhile, under faults; so does a retention sweep, retried on 503 by its caller.
    await new Promise((r) => setTimeout(r, 5_000));
    const admin = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin' });
    let swept: CallResult | undefined;
    for (let i = 0; i < ATTEMPTS && swept?.status !== 200; i++) {
      swept = await call('POST', `/api/v1/admin/jobs/retention-sweep?retailerId=${w.org}`, { token: admin }).catch(() => undefined);
      if (swept) expect(swept.status).not.toBe(500);
    }
    setFaults({ rate: 0 });

    // Nothing half done: every upload processed and removed, every recent profile matched with all its events.
    for (const e of evidence.slice(0, 3)) {
      expect((await settled(w.investigator, e.id, 60_000)).status).toBe('ready');
      await uploadRemoved(e.upload, 60_000);
    }
    // A matching request whose every try fell in the faults is sent again by the pending-request sweep (its timer, run here for this tenant).
    await resendOverdueMatching({ warn: () => undefined }, new Date(Date.now() + MATCH_OVERDUE_MS + 60_000), w.org);
    await matched(w.org, [...new Set(recent.map((e) => e.people[0]!.profileId))], 60_000);

    // The next sweep (healthy) completes the purge: nothing of the old events left, each counted once in the aggregates.
    const again = await call('POST', `/api/v1/admin/jobs/retention-sweep?retailerId=${w.org}`, { token: admin });
    expect(again.status).toBe(200);
    const oldProfiles = [...new Set(old.map((e) => e.people[0]!.profileId))].filter((p) => !recent.some((r) => r.people[0]!.profileId === p));
    const left = await leftovers(w.org, oldProfiles, old.map((e) => e.id));
    expect({ ...left, blobs: left.blobs.filter((b) => b.includes(evidence[3]!.id)) }).toEqual({ events: 0, profiles: 0, keys: 0, links: 0, evidence: 0, messages: 0, folded: [], blobs: [] });
    expect(await aggregatedEvents(w.org)).toBe(12);
    const recentLeft = await Promise.all(recent.map((e) => call('GET', `/api/v1/events/${e.id}`, { token: w.investigator })));
    expect(recentLeft.map((r) => r.status)).toEqual(Array(6).fill(200));
    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
    expect((await call('GET', '/api/v1/audit/verify', { token: compliance })).body).toMatchObject({ ok: true, firstBadSeq: null });
  }, 240_000);
});

describe('reads under the same faults', () => {
  it('event reads and lists, LPR reads, a vehicle enquiry, the audit export, police reads, transparency and subscriptions: never 500, each answered on a retry', async () => {
    const w = await retailerWorld();
    const plate = `FT${Math.floor(100000 + Math.random() * 900000)}`;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ vehicles: [{ plate }] }) });
      expect(res.status).toBe(201);
      ids.push(res.body.id);
    }
    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
    const officer = await tokenFor({ org: await createOrg('agency'), roles: ['PoliceOfficer'], sub: 'officer-faults' });
    const faulted = () => ownedStack().faults!.cosmos.counts.requests - ownedStack().faults!.cosmos.counts.passed;
    const faultsBefore = faulted();
    // Twice the intake rate: these few dozen requests must meet faults for the test to mean anything.
    setFaults({ ...MIX, rate: 0.2 });
    const statuses: number[] = [];
    /** Retries on 5xx and on a transfer cut short; the answer, once whole. */
    const ask = async (method: string, path: string, token: string, body?: unknown, whole: (r: CallResult) => boolean = () => true, headers: Record<string, string> = {}): Promise<CallResult> => {
      for (let i = 0; i < ATTEMPTS; i++) {
        const res = await call(method, path, { token, headers, ...(body === undefined ? {} : { body }) }).catch(() => undefined);
        if (res) statuses.push(res.status);
        if (res && res.status < 500 && whole(res)) return res;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
      throw new Error(`${method} ${path}: no answer in ${ATTEMPTS} attempts`);
    };
    for (const id of ids) expect((await ask('GET', `/api/v1/events/${id}`, w.investigator)).status).toBe(200);
    const page = await ask('GET', '/api/v1/events?pageSize=5', w.investigator);
    expect(page.body.items).toHaveLength(5);
    const lpr = await ask('POST', '/api/v1/lpr/reads', w.integration, { reads: [{ plate, storeId: 'akl-042', cameraId: 'cam-1', readAt: new Date(Date.now() - 5_000).toISOString(), confidence: 0.93 }] });
    expect([lpr.status, lpr.body.reads]).toEqual([200, 1]);
    const enquiry = await ask('POST', '/api/v1/vehicles/enquiries', w.investigator, { plate });
    expect(enquiry.status).toBe(200);
    const lines = (r: CallResult) => r.text.split('\n').filter(Boolean);
    const exported = await ask('GET', '/api/v1/audit/export', compliance, undefined, (r) => r.status !== 200 || lines(r).length === Number(r.headers.get('x-audit-last-seq')) - Number(r.headers.get('x-audit-first-seq')) + 1);
    expect(exported.status).toBe(200);
    expect(lines(exported).length).toBeGreaterThan(12);
    // PRODUCT §5b and §6b through the same faults: the agency's status read, the purpose recorded, the tallies, a subscription's outbox.
    for (const id of ids.slice(0, 4)) expect((await ask('GET', `/api/v1/events/${id}`, officer, undefined, undefined, PURPOSE)).status).toBe(200);
    const report = await ask('GET', '/api/v1/transparency', w.admin);
    expect(report.status).toBe(200);
    const sub = await ask('POST', '/api/v1/subscriptions', w.investigator, { name: 'faults', delivery: { mode: 'digest', url: 'http://127.0.0.1:9/never' } });
    expect(sub.status).toBe(201);
    expect((await ask('GET', '/api/v1/subscriptions', w.investigator)).status).toBe(200);
    setFaults({ rate: 0 });
    // Once the faults stop, the report counts every read that was answered (retries of a read that was answered too count as reads).
    const counted = (await call('GET', '/api/v1/transparency', { token: w.admin })).body.items.find((r: { legalBasis: string }) => r.legalBasis === 'investigation');
    expect(counted?.reads).toBeGreaterThanOrEqual(4);
    expect(statuses.filter((s) => s === 500)).toEqual([]);
    expect(faulted() - faultsBefore).toBeGreaterThan(3);
  }, 120_000);
});

describe('creates whose answer was lost (the store acted, the connection dropped or the answer was cut)', () => {
  it('stores and organisations are created once, answered as created, and audited as created once', async () => {
    const w = await retailerWorld();
    const platform = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
    setFaults({ rate: 0.4, weights: { 'reset-after': 1, truncate: 1 } });
    const retrying = async (method: string, path: string, token: string, body: unknown): Promise<CallResult> => {
      for (let i = 0; i < ATTEMPTS; i++) {
        const res = await call(method, path, { token, body }).catch(() => undefined);
        if (res && res.status < 500) return res;
        if (res) expect(res.status).toBe(503);
      }
      throw new Error(`${method} ${path}: no answer`);
    };
    const stores = Array.from({ length: 12 }, (_, i) => `amb-${i}`);
    const storeAnswers = [];
    for (const id of stores) storeAnswers.push((await retrying('PUT', `/api/v1/stores/${id}`, w.admin, { name: `Store ${id}`, jurisdiction: 'NZ-AKL' })).status);
    const orgs = Array.from({ length: 6 }, () => `ret-${randomUUID().slice(0, 8)}`);
    const orgAnswers = [];
    for (const id of orgs) orgAnswers.push((await retrying('POST', '/api/v1/orgs', platform, { id, type: 'retailer', name: `Ambiguous ${id}` })).status);
    setFaults({ rate: 0 });
    // A PUT retried by the client after a 503 (its first try's write had landed) is an update of the same store: 200.
    for (const status of storeAnswers) expect([200, 201]).toContain(status);
    // A POST /orgs retried by its creator gets the first response.
    expect(orgAnswers).toEqual(Array(orgs.length).fill(201));
    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
    const entries = (await call('GET', '/api/v1/audit/export', { token: compliance })).text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { action: string; target: { id: string } });
    // Created once, and the create is in the chain first (a retry's update after it).
    for (const [i, id] of stores.entries()) {
      const actions = entries.filter((e) => e.target.id === id).map((e) => e.action);
      expect(actions).toEqual(storeAnswers[i] === 201 ? ['store.create'] : ['store.create', ...actions.slice(1).map(() => 'store.update')]);
      expect(actions.length).toBeGreaterThan(0);
    }
    for (const id of orgs) {
      const own = await tokenFor({ org: id, roles: ['Compliance'], sub: 'comp-1', mfa: true });
      const chain = (await call('GET', '/api/v1/audit/export', { token: own })).text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { action: string });
      expect(chain.filter((e) => e.action === 'org.create')).toHaveLength(1);
    }
  }, 120_000);
});

/**
 * Twelve POSTs by a client retrying each with its own Idempotency-Key, through lost answers and
 * transient faults: never a 500; at least ten answered 201, each the same 201 when asked again;
 * what was stored is each answered item once; and, after the outbox sweep, one `action` entry per item.
 */
async function expectKeyedPostsUnderFaults(o: {
  org: string;
  token: string;
  path: string;
  body: (i: number) => unknown;
  idOf: (reply: { id?: string; evidenceId?: string }) => string;
  stored: () => Promise<string[]>;
  entry: { action: string; idOf: (e: { target: { id: string }; details: Record<string, unknown> }) => unknown };
}): Promise<void> {
  setFaults({ rate: 0.4, weights: { 'reset-after': 2, truncate: 1, unavailable: 1, throttle: 1 }, retryAfterMs: 50 });
  const posted: { key: string; body: unknown; attempts: Attempt[]; final?: CallResult }[] = [];
  for (let i = 0; i < 12; i++) {
    const key = randomUUID();
    const body = o.body(i);
    posted.push({ key, body, ...(await postWithRetries(o.token, body, key, o.path)) });
  }
  setFaults({ rate: 0 });
  for (const p of posted) for (const a of p.attempts) expect(a.status === 'network' || a.status < 500 || a.status === 503).toBe(true);
  const answered = posted.filter((p) => p.final?.status === 201);
  expect(answered.length).toBeGreaterThanOrEqual(10);
  for (const p of answered) {
    const again = await call('POST', o.path, { token: o.token, body: p.body, headers: { 'idempotency-key': p.key } });
    expect({ status: again.status, id: o.idOf(again.body) }).toEqual({ status: 201, id: o.idOf(p.final!.body) });
  }
  const ids = await o.stored();
  expect(new Set(ids).size).toBe(ids.length);
  for (const p of answered) expect(ids).toContain(o.idOf(p.final!.body));
  expect(ids.length).toBeLessThanOrEqual(posted.length);
  // An entry a taken-over attempt left is appended by the sweep once overdue: then exactly one per item.
  await drainAuditOutbox(new Date(Date.now() + 2 * OUTBOX_OVERDUE_MS), o.org);
  const compliance = await tokenFor({ org: o.org, roles: ['Compliance'], sub: `comp-${o.entry.action}`, mfa: true });
  const entries = (await call('GET', '/api/v1/audit/export', { token: compliance })).text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { action: string; target: { id: string }; details: Record<string, unknown> })
    .filter((e) => e.action === o.entry.action)
    .map(o.entry.idOf)
    .sort();
  expect(entries).toEqual([...ids].sort());
}

describe('evidence declared by a retrying client under lost answers and transient faults', () => {
  it('each Idempotency-Key gives one item, its answer the same 201 when asked again, never a 500, and one evidence.create entry per item', async () => {
    const w = await retailerWorld();
    const eventId = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body.id as string;
    await expectKeyedPostsUnderFaults({
      org: w.org,
      token: w.reporter,
      path: `/api/v1/events/${eventId}/evidence`,
      body: (i) => ({ fileName: `cam-${i}.jpg`, contentType: 'image/jpeg', size: 1000 + i, kind: 'image' }),
      idOf: (reply) => reply.evidenceId!,
      stored: async () => ((await call('GET', `/api/v1/events/${eventId}`, { token: w.investigator })).body.evidence as { id: string }[]).map((e) => e.id),
      entry: { action: 'evidence.create', idOf: (e) => e.target.id },
    });
  }, 120_000);
});

describe('messages under lost answers, and a store down for good', () => {
  it('each Idempotency-Key gives one message, its answer the same 201 when asked again, never a 500, one entry per message', async () => {
    const w = await retailerWorld();
    const eventId = (await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() })).body.id as string;
    const path = `/api/v1/events/${eventId}/messages`;
    await expectKeyedPostsUnderFaults({
      org: w.org,
      token: w.investigator,
      path,
      body: (i) => ({ body: `Note ${i} on the carpark camera.` }),
      idOf: (reply) => reply.id!,
      stored: async () => ((await call('GET', `${path}?pageSize=100`, { token: w.investigator })).body.items as { id: string }[]).map((m) => m.id),
      entry: { action: 'event.message.post', idOf: (e) => e.details.messageId },
    });
  }, 120_000);

  it('Storage down: health answers 503 with Retry-After and says which dependency', async () => {
    ownedStack().faults!.blob.set({ rate: 1, weights: { unavailable: 1 }, retryAfterMs: 50 });
    try {
      const res = await call('GET', '/api/v1/health');
      expect({ status: res.status, retryAfter: res.headers.get('retry-after'), storage: res.body.checks.storage.ok, cosmos: res.body.checks.cosmos.ok }).toEqual({ status: 503, retryAfter: '5', storage: false, cosmos: true });
    } finally {
      setFaults({ rate: 0 });
    }
  }, 60_000);

  it('every store request failing: a new event without a key answers 503 with Retry-After, not 500', async () => {
    const w = await retailerWorld();
    setFaults({ rate: 1, weights: { unavailable: 1 }, retryAfterMs: 50 });
    try {
      const res = await call('POST', '/api/v1/events', { token: w.reporter, body: eventBody() });
      expect({ status: res.status, retryAfter: res.headers.get('retry-after') !== null }).toEqual({ status: 503, retryAfter: true });
    } finally {
      setFaults({ rate: 0 });
    }
  }, 120_000);
});

describe('a case file built under the same faults', () => {
  it("its record's writes land with their answer lost (every one at first, then half; a retry refused as stale or not answered at all): it is ready, the ZIP it names is there and matches, and the chain verifies", async () => {
    const w = await retailerWorld();
    // The events and their evidence are made on a healthy store: the faults are the build's.
    const eventIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', '/api/v1/events', { token: w.investigator, body: eventBody({ description: `Took power tools, report ${i}.` }) });
      expect(res.status).toBe(201);
      eventIds.push(res.body.id);
    }
    for (const [i, eventId] of eventIds.slice(0, 2).entries()) expect((await submit(w.investigator, eventId, await files.jpeg(40 + i, 30), { fileName: `cam-${i}.jpg` })).evidence.status).toBe('ready');

    // Writes of case-file records (its claim, its renewals, its ready write) land with their answer lost:
    // the store client retries each, and the repeat is refused (412) as another's would be.
    // Every one of them, first: the build's claim is the first such write, so each run meets at least one lost answer.
    const lostBefore = ownedStack().faults!.cosmos.counts['reset-after'];
    setFaults({ rate: 1, weights: { 'reset-after': 1 }, only: { method: 'PUT', path: '/colls/case-files/docs/' } });
    const { final } = await postWithRetries(w.investigator, { title: 'Tools, three reports', eventIds }, randomUUID(), '/api/v1/case-files');
    expect(final?.status).toBe(202);
    const id = final!.body.id as string;
    // The first lost answer in, half of them from then on.
    // Generous: the build comes off a queue, and the whole suite shares two cores with it.
    const firstLost = Date.now() + 30_000;
    while (ownedStack().faults!.cosmos.counts['reset-after'] === lostBefore && Date.now() < firstLost) await new Promise((r) => setTimeout(r, 20));
    expect(ownedStack().faults!.cosmos.counts['reset-after']).toBeGreaterThan(lostBefore);
    setFaults({ rate: 0.5, weights: { 'reset-after': 1 }, only: { method: 'PUT', path: '/colls/case-files/docs/' } });
    // The build runs through the faults (its queue message delivered again after a transient failure).
    const deadline = Date.now() + 20_000;
    let seen: CallResult | undefined;
    while (Date.now() < deadline && seen?.body?.status !== 'ready' && seen?.body?.status !== 'failed') {
      seen = await call('GET', `/api/v1/case-files/${id}`, { token: w.investigator }).catch(() => undefined);
      if (seen) expect(seen.status).not.toBe(500);
      await new Promise((r) => setTimeout(r, 250));
    }
    setFaults({ rate: 0 });

    let done: CallResult;
    const settle = Date.now() + 60_000;
    do {
      done = await call('GET', `/api/v1/case-files/${id}`, { token: w.investigator });
      if (done.body.status === 'building') await new Promise((r) => setTimeout(r, 250));
    } while (done.body.status === 'building' && Date.now() < settle);
    expect(done.body).toMatchObject({ status: 'ready', eventIds, failure: null });
    // The record names its ZIP; the ZIP is there and is the one the record describes.
    const { readCaseFile } = await import('../../../shared/case-files/case-file-repository');
    const doc = (await readCaseFile(w.org, id))!;
    const zip = await blobBytes('case-files', doc.blobName!);
    expect(zip).toBeDefined();
    expect({ size: zip!.length, sha256: sha256(zip!) }).toEqual({ size: done.body.size, sha256: done.body.sha256 });
    const compliance = await tokenFor({ org: w.org, roles: ['Compliance'], sub: 'comp-1', mfa: true });
    expect((await call('GET', '/api/v1/audit/verify', { token: compliance })).body).toMatchObject({ ok: true, firstBadSeq: null });
  }, 150_000);
});
