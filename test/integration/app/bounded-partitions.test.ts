import { container } from '../../../shared/adapters/cosmos-containers';
import { statusOf } from '../../../shared/adapters/cosmos-errors';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { verifyChain, type AuditEntry } from '../../../shared/domain/audit-chain';
import { changeKey, population, readKey } from '../../../shared/matching/matchkey-repository';
import { createRecord, readRecord, type IdempotencyDoc } from '../../../shared/events/idempotency-repository';
import { SHARDS, shardOf } from '../../../shared/domain/shards';
import { createManyOnce } from '../../../shared/adapters/cosmos-batch';
import { call, createOrg, tokenFor, uniqueId } from '../support/api';
import { auditVerifyCli } from '../support/audit';
import { ownStack } from '../support/own-stack';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Issue 26 at 1/10,000 scale: every logical partition of this stack holds at most LIMIT documents
 * (the edge answers 403 with sub-status 1014 beyond it, as a full 20 GB partition does), and the
 * audit chain is stored in segments of SEGMENT entries. One retailer's chain grows to ten times
 * the limit through ordinary audited requests, and still verifies and exports whole.
 */
const LIMIT = 300;
const SEGMENT = 200;
const ENTRIES = 3_000;

const stack = ownStack({ partitionDocLimit: LIMIT }, { AUDIT_SEGMENT_ENTRIES: String(SEGMENT) });

describe('bounded partitions (a partition limit of 300 documents, audit segments of 200 entries)', () => {
  jest.setTimeout(180_000);

  it('the edge refuses a write into a full logical partition with 403/1014, and a full partition can still be replaced into and shrink', async () => {
    const partition = uniqueId('full');
    const docs = container('aggregates');
    for (let i = 0; i < LIMIT; i += 50) {
      const batch = Array.from({ length: 50 }, (_, j) => ({ operationType: 'Create' as const, resourceBody: { id: `d${i + j}`, orgId: partition } }));
      const { result } = await docs.items.batch(batch, partition);
      expect(result?.every((r) => r.statusCode === 201)).toBe(true);
    }
    const refused = await docs.items.create({ id: 'one-more', orgId: partition }).catch((e: unknown) => e);
    expect(statusOf(refused)).toBe(403);
    expect((refused as { substatus?: number }).substatus).toBe(1014);
    // Replacing a document it holds is not growth; removing one makes room.
    await docs.items.upsert({ id: 'd0', orgId: partition, changed: true });
    await docs.item('d1', partition).delete();
    await docs.items.create({ id: 'one-more', orgId: partition });
    expect(statusOf(await docs.items.create({ id: 'two-more', orgId: partition }).catch((e: unknown) => e))).toBe(403);
    // Another partition of the same container is not affected.
    await docs.items.create({ id: 'd0', orgId: uniqueId('other') });
    expect(stack().faults!.cosmos.counts.partitionFull).toBe(2);
  });

  it(`a retailer's chain of ${ENTRIES} entries (ten times the limit) is written through the app without a failure, verifies across its segments and exports whole`, async () => {
    const before = stack().faults!.cosmos.counts.partitionFull;
    const org = await createOrg('retailer');
    const reader = await tokenFor({ org, roles: ['Investigator'] });
    // Audited lists of events, eight at a time: appends arrive together and are written
    // in batches, some of which cross from one segment into the next.
    let sent = 0;
    const failures: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (sent < ENTRIES) {
          sent += 1;
          const res = await call('GET', '/api/v1/events', { token: reader });
          if (res.status !== 200) failures.push(res.status);
        }
      }),
    );
    expect(failures).toEqual([]);
    expect(stack().faults!.cosmos.counts.partitionFull).toBe(before);
    const fullest = stack().faults!.cosmos.partitions!.fullest(1)[0]!;
    expect(fullest.documents).toBeLessThanOrEqual(LIMIT);

    const entries: AuditEntry[] = [];
    for await (const e of readChain(org)) entries.push(e);
    // org.create and the reads (sent may overshoot by the number of workers).
    expect(entries.length).toBe(sent + 1);
    expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
    expect(verifyChain(entries).ok).toBe(true);
    const segments = new Set(entries.map((e) => Math.floor((e.seq - 1) / SEGMENT)));
    expect(segments.size).toBe(Math.ceil(entries.length / SEGMENT));

    const compliance = await tokenFor({ org, roles: ['Compliance'], mfa: true });
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: true, entries: entries.length, firstBadSeq: null });
    const exported = await call('GET', '/api/v1/audit/export?format=jsonl', { token: compliance });
    expect(exported.status).toBe(200);
    const lines = exported.text.trim().split('\n');
    // The chain as it was when the export started: every entry before it, and the verify's own.
    expect(lines.length).toBe(entries.length + 1);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'daybreak-segments-')), 'chain.jsonl');
    writeFileSync(file, exported.text);
    expect((await auditVerifyCli([file])).code).toBe(0);
  });

  it("a retailer whose records' shards are all full gets 507 STORAGE_FULL on a new event, and nothing of it is stored (not one event's people or audit entry)", async () => {
    const org = await createOrg('retailer');
    const admin = await tokenFor({ org, roles: ['RetailerAdmin'] });
    expect((await call('PUT', '/api/v1/stores/s1', { token: admin, body: { name: 'S1', jurisdiction: 'NZ-AKL' } })).status).toBe(201);
    // Fill every one of the retailer's shards of the records container to the limit, as decades of records would.
    const perShard = new Map<string, number>();
    const fillers: { id: string; orgId: string; docType: string }[] = [];
    for (let n = 0; fillers.length < LIMIT * SHARDS; n += 1) {
      const id = `filler-${n}`;
      const shard = shardOf(id);
      if ((perShard.get(shard) ?? 0) >= LIMIT) continue;
      perShard.set(shard, (perShard.get(shard) ?? 0) + 1);
      fillers.push({ id, orgId: org, docType: 'filler' });
    }
    await createManyOnce('events', org, fillers);
    expect(stack().faults!.cosmos.partitions!.fullest(10_000).filter((p) => p.partition.includes(`"${org}"`) && p.documents === LIMIT)).toHaveLength(SHARDS);
    const records = container('events');
    const reporter = await tokenFor({ org, roles: ['Reporter'] });
    const chainBefore: AuditEntry[] = [];
    for await (const e of readChain(org)) chainBefore.push(e);
    const res = await call('POST', '/api/v1/events', {
      token: reporter,
      body: { storeId: 's1', occurredAt: new Date().toISOString(), type: 'shoplifting', prevented: false, people: [{ ref: 'p1', role: 'offender', name: { given: 'Sam', family: 'Full' } }], vehicles: [{ plate: 'FULL1' }] },
    });
    expect([res.status, res.body.code]).toEqual([507, 'STORAGE_FULL']);
    expect(res.headers.get('retry-after')).toBeNull();
    const { resources } = await records.items
      .query({ query: "SELECT VALUE c.docType FROM c WHERE c.orgId = @o AND c.docType != 'filler'", parameters: [{ name: '@o', value: org }] })
      .fetchAll();
    expect(resources).toEqual([]);
    const chainAfter: AuditEntry[] = [];
    for await (const e of readChain(org)) chainAfter.push(e);
    expect(chainAfter.map((e) => e.action)).toEqual(chainBefore.map((e) => e.action));
  });

  it(`a retailer's match keys and Idempotency-Key records, each four times the limit, spread over its ${SHARDS} shards without a refusal`, async () => {
    const before = stack().faults!.cosmos.counts.partitionFull;
    const org = uniqueId('sharded');
    const n = LIMIT * 4;
    const keys = Array.from({ length: n }, (_, i) => `ph:0210000${String(i).padStart(4, '0')}`);
    await Promise.all(keys.map((key, i) => changeKey(org, key, `profile-${i}`, true)));
    const at = new Date();
    const record = (i: number): IdempotencyDoc => ({
      id: `key-${i}`,
      orgId: org,
      docType: 'idempotency',
      requestHash: 'h',
      resourceId: `r-${i}`,
      state: 'pending',
      createdAt: at.toISOString(),
      expiresAt: new Date(at.getTime() + 86_400_000).toISOString(),
    });
    for (let i = 0; i < n; i += 50) expect(await Promise.all(Array.from({ length: 50 }, (_, j) => createRecord(record(i + j))))).not.toContain(false);
    expect(stack().faults!.cosmos.counts.partitionFull).toBe(before);
    // Each is read back by id alone: its shard follows from it.
    expect((await readKey(org, keys[n - 1]!))?.members).toEqual([`profile-${n - 1}`]);
    expect((await readRecord(org, `key-${n - 1}`))?.resourceId).toBe(`r-${n - 1}`);
    expect(await population(org)).toBe(0);
    // Every one of the retailer's partitions holds a fraction of the limit.
    const mine = stack().faults!.cosmos.partitions!.fullest(10_000).filter((p) => p.partition.includes(`"${org}"`));
    expect(mine.length).toBe(SHARDS * 2);
    expect(Math.max(...mine.map((p) => p.documents))).toBeLessThan(LIMIT / 2);
  });

  it('a time range that starts and ends inside different segments exports a contiguous run that verifies', async () => {
    const org = await createOrg('retailer');
    const reader = await tokenFor({ org, roles: ['Investigator'] });
    for (let i = 0; i < SEGMENT * 2; i += 1) await call('GET', '/api/v1/events', { token: reader });
    const entries: AuditEntry[] = [];
    for await (const e of readChain(org)) entries.push(e);
    const from = entries[SEGMENT - 20]!.at;
    const to = entries[SEGMENT + 30]!.at;
    const compliance = await tokenFor({ org, roles: ['Compliance'], mfa: true });
    const res = await call('GET', `/api/v1/audit/export?format=jsonl&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token: compliance });
    const seqs = res.text
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as AuditEntry).seq);
    expect(seqs[0]).toBeLessThanOrEqual(SEGMENT - 19);
    expect(seqs.at(-1)).toBeGreaterThanOrEqual(SEGMENT + 31);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    const verdict = await call('GET', `/api/v1/audit/verify?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, { token: compliance });
    expect(verdict.body).toMatchObject({ ok: true, firstBadSeq: null });
  });
});
