import { container } from '../../../shared/adapters/cosmos-containers';
import { closeFence, entryId, readChain } from '../../../shared/audit/audit-entry-repository';
import { migrateAuditChains } from '../../../shared/audit/audit-migration';
import { readChainLayout } from '../../../shared/audit/audit-registry-repository';
import { GENESIS_HASH, sealEntry, verifyChain, type AuditEntry } from '../../../shared/domain/audit-chain';
import { newOrg } from '../../../shared/domain/organisation';
import { call, tokenFor, uniqueId } from '../support/api';
import { ownStack } from '../support/own-stack';

/**
 * Issue 26 item 4: chains stored before segments (one partition per organisation in the old
 * `audit` container) are read where they are, keep growing there, and move into segments with a
 * resumable job. Each chain here is written as the version before segments wrote it: the org
 * record, its registry entry without a layout, and sealed entries in the old container.
 */
const silent = { warn: () => undefined };

// Its own stack: a migration run elsewhere (the contract test runs the job) must not move these chains mid-test.
ownStack();

async function legacyRetailer(entries: number): Promise<{ org: string; chain: AuditEntry[] }> {
  const org = uniqueId('old');
  const now = new Date();
  await container('orgs').items.create({ ...newOrg({ id: org, type: 'retailer', name: `Old ${org}` }, 'platform-admin', now), id: 'org', orgId: org, docType: 'org' });
  await container('orgs').items.create({ id: 'audit-chain', orgId: org, docType: 'audit-chain', createdAt: now.toISOString() });
  const chain: AuditEntry[] = [];
  let prev = GENESIS_HASH;
  const base = now.getTime() - entries;
  for (let seq = 1; seq <= entries; seq += 1) {
    const e = sealEntry(
      {
        actor: { sub: 'old-user', org, roles: ['Investigator'] },
        action: seq === 1 ? 'org.create' : 'event.list',
        target: { type: 'event', id: '*' },
        outcome: 'success',
        requestId: `old-${seq}`,
        details: {},
      },
      seq,
      prev,
      new Date(base + seq),
    );
    chain.push(e);
    prev = e.hash;
  }
  const old = container('audit-unsegmented');
  for (let i = 0; i < chain.length; i += 100) {
    const operations = chain.slice(i, i + 100).map((e) => ({ operationType: 'Create' as const, resourceBody: { ...e, id: entryId(e.seq), orgId: org, docType: 'audit-entry' } }));
    const { result } = await old.items.batch(operations, org);
    expect(result?.every((r) => r.statusCode === 201)).toBe(true);
  }
  await old.items.upsert({ id: 'head', orgId: org, seq: chain.at(-1)!.seq, hash: chain.at(-1)!.hash });
  return { org, chain };
}

const readAll = async (org: string): Promise<AuditEntry[]> => {
  const out: AuditEntry[] = [];
  for await (const e of readChain(org)) out.push(e);
  return out;
};

describe('moving chains begun before segments (POST /api/v1/admin/jobs/audit-migrate)', () => {
  jest.setTimeout(120_000);

  it('an unmigrated chain verifies, keeps growing where it is, moves whole, then grows in segments; a second run has nothing to do', async () => {
    const { org, chain } = await legacyRetailer(2_345);
    expect(await readChainLayout(org)).toBe('unsegmented');
    const compliance = await tokenFor({ org, roles: ['Compliance'], mfa: true });
    const investigator = await tokenFor({ org, roles: ['Investigator'] });
    expect((await call('GET', '/api/v1/audit/verify', { token: compliance })).body).toMatchObject({ ok: true, entries: 2_345 });
    // The verify's own entry, and a list: appended to the old chain.
    expect((await call('GET', '/api/v1/events', { token: investigator })).status).toBe(200);
    const { resource: oldTail } = await container('audit-unsegmented').item(entryId(2_347), org).read<AuditEntry>();
    expect(oldTail?.action).toBe('event.list');

    const admin = await tokenFor({ roles: ['PlatformAdmin'], sub: 'platform-admin', mfa: true });
    const refused = await call('POST', '/api/v1/admin/jobs/audit-migrate', { token: compliance });
    expect(refused.status).toBe(403);
    const run = await call('POST', '/api/v1/admin/jobs/audit-migrate', { token: admin });
    expect(run.status).toBe(200);
    // Also the refusal just now (2,348).
    expect(run.body.migrated).toContainEqual({ orgId: org, entries: 2_348 });
    expect(run.body.failed).toEqual([]);
    expect(await readChainLayout(org)).toBe('segmented');

    // The app now reads the segments (the old container is no longer read: emptying it changes nothing).
    for (let seq = 1; seq <= 2_348; seq += 1) if (seq % 500 === 0) await container('audit-unsegmented').item(entryId(seq), org).delete();
    await new Promise((r) => setTimeout(r, 2_500));
    expect((await call('GET', '/api/v1/events', { token: investigator })).status).toBe(200);
    const moved = await readAll(org);
    expect(moved.slice(0, chain.length)).toEqual(chain);
    expect(moved.map((e) => e.seq)).toEqual(moved.map((_, i) => i + 1));
    expect(moved.at(-1)).toMatchObject({ seq: 2_349, action: 'event.list' });
    expect(verifyChain(moved).ok).toBe(true);
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: true, entries: 2_349, firstBadSeq: null });

    const again = await call('POST', '/api/v1/admin/jobs/audit-migrate', { token: admin });
    expect(again.body.migrated.map((m: { orgId: string }) => m.orgId)).not.toContain(org);
  });

  it('a run that stops part-way (a crash) is resumed by the next, which copies only what is missing and never changes an entry', async () => {
    const { org, chain } = await legacyRetailer(1_500);
    // Pages of 99 from seq 1: the one from 793 never starts, as if the process died there.
    const stopped = await migrateAuditChains(silent, {
      beforePage: (o, first) => {
        if (o === org && first > 700) throw new Error('crash');
      },
    });
    expect(stopped.failed).toContainEqual({ orgId: org });
    expect(await readChainLayout(org)).toBe('unsegmented');
    const pagesSeen: number[] = [];
    const resumed = await migrateAuditChains(silent, { beforePage: (o, first) => void (o === org && pagesSeen.push(first)) });
    expect(resumed.migrated).toContainEqual({ orgId: org, entries: 1_500 - 792 });
    // Resumed where the copy ended: no page before it read again.
    expect(Math.min(...pagesSeen)).toBe(793);
    expect(await readChainLayout(org)).toBe('segmented');
    const moved = await readAll(org);
    expect(moved).toEqual(chain);
  });

  it('once its fence is closed, no write reaches the old place, however late: an audited request answers 503 with Retry-After and nothing is written', async () => {
    const { org } = await legacyRetailer(10);
    await closeFence(org);
    const investigator = await tokenFor({ org, roles: ['Investigator'] });
    const res = await call('GET', '/api/v1/events', { token: investigator });
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await readAll(org)).toHaveLength(10);
  });

  it('a process that still takes the chain for unsegmented after the switch meets the fence (503), and its retry lands in the segments: nothing lost, no fork', async () => {
    const { org } = await legacyRetailer(50);
    const investigator = await tokenFor({ org, roles: ['Investigator'] });
    // The app appends to the old place, and keeps that layout for up to 2 s.
    expect((await call('GET', '/api/v1/events', { token: investigator })).status).toBe(200);
    const run = await migrateAuditChains(silent);
    expect(run.migrated).toContainEqual({ orgId: org, entries: 51 });
    // At once, within those 2 s: the app's write goes to the old place and is refused.
    const late = await call('GET', '/api/v1/events', { token: investigator });
    expect(late.status).toBe(503);
    await new Promise((r) => setTimeout(r, 100));
    const retried = await call('GET', '/api/v1/events', { token: investigator });
    expect(retried.status).toBe(200);
    const chain = await readAll(org);
    expect(chain.map((e) => e.seq)).toEqual(chain.map((_, i) => i + 1));
    expect(chain.at(-1)).toMatchObject({ seq: 52, action: 'event.list' });
    expect(verifyChain(chain).ok).toBe(true);
    const { resources } = await container('audit-unsegmented')
      .items.query({ query: "SELECT VALUE c.seq FROM c WHERE c.orgId = @o AND c.docType = 'audit-entry' AND c.seq > 51", parameters: [{ name: '@o', value: org }] })
      .fetchAll();
    expect(resources).toEqual([]);
  });
});
