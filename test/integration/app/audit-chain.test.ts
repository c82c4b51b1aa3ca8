import { appendAudit } from '../../../shared/audit/audit-log';
import { headLocation } from '../../../shared/audit/audit-entry-repository';
import { entryItem } from '../support/audit';
import { readChain } from '../../../shared/audit/audit-entry-repository';
import { verifyChain, type AuditEntry } from '../../../shared/domain/audit-chain';
import { container } from '../../../shared/adapters/cosmos-containers';
import { call, createOrg, tokenFor, uniqueId } from '../support/api';

async function collect(orgId: string): Promise<AuditEntry[]> {
  const entries: AuditEntry[] = [];
  for await (const e of readChain(orgId)) entries.push(e);
  return entries;
}

describe('the audit chain on the real Cosmos-protocol server', () => {
  it('50 concurrent appends make one gap-free chain that verifies', async () => {
    const orgId = uniqueId('chain');
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        appendAudit(orgId, {
          actor: { sub: `writer-${i}`, org: orgId, roles: ['Investigator'] },
          action: 'test.append',
          target: { type: 'test', id: String(i) },
          outcome: 'success',
          requestId: `req-${i}`,
        }),
      ),
    );
    const entries = await collect(orgId);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.target.id)).size).toBe(50);
    expect(verifyChain(entries)).toEqual({ ok: true, entries: 50, firstBadSeq: null });
  });

  it('the head hint follows the chain every 16th entry, grouped or one at a time', async () => {
    const orgId = uniqueId('head');
    const append = (i: number) =>
      appendAudit(orgId, {
        actor: { sub: 'writer', org: orgId, roles: ['Investigator'] },
        action: 'test.append',
        target: { type: 'test', id: String(i) },
        outcome: 'success',
        requestId: `req-${i}`,
      });
    const hintAt = headLocation(orgId, 1);
    const head = async () => (await container('audit').item(hintAt.id, hintAt.partitionKey).read<{ seq: number; hash: string }>()).resource;
    await append(0);
    expect((await head())?.seq).toBe(1);
    await Promise.all(Array.from({ length: 20 }, (_, i) => append(i + 1))); // up to 21: crosses 16
    const afterGroup = await head();
    expect(afterGroup!.seq).toBeGreaterThanOrEqual(16);
    for (let i = 0; i < 12; i += 1) await append(100 + i); // 22 to 33: crosses 32 one at a time
    const entries = await collect(orgId);
    const hint = await head();
    expect(hint!.seq).toBe(32);
    expect(hint!.hash).toBe(entries[31]!.hash);
  });

  it('two processes appending at once (the host through HTTP, this test directly) race on seq and still make one chain', async () => {
    const org = await createOrg('retailer');
    const admin = await tokenFor({ org, roles: ['RetailerAdmin'] });
    const [responses] = await Promise.all([
      Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          call('PUT', `/api/v1/stores/s-${i}`, { token: admin, body: { name: `Store ${i}`, jurisdiction: 'NZ-AKL' } }),
        ),
      ),
      Promise.all(
        Array.from({ length: 25 }, (_, i) =>
          appendAudit(org, {
            actor: { sub: 'other-instance', org, roles: ['Investigator'] },
            action: 'test.append',
            target: { type: 'test', id: String(i) },
            outcome: 'success',
            requestId: `req-${i}`,
          }),
        ),
      ),
    ]);
    expect(responses.map((r) => r.status)).toEqual(Array(25).fill(201));
    const compliance = await tokenFor({ org, roles: ['Compliance'] });
    const verdict = await call('GET', '/api/v1/audit/verify', { token: compliance });
    expect(verdict.body).toMatchObject({ ok: true, entries: 51, firstBadSeq: null });
    const entries = await collect(org);
    // 1 org.create + 25 store.create + 25 direct + the verification itself, recorded after it ran.
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect(entries.at(-1)).toMatchObject({ action: 'audit.verify', outcome: 'success', details: { ok: true, entries: 51 } });
    const stores = entries.filter((e) => e.action === 'store.create');
    expect(stores).toHaveLength(25);
    expect(stores.every((e) => e.actor.org === org && !JSON.stringify(e).includes('Store '))).toBe(true);
  });

  it('a tampered entry is found by the verify endpoint', async () => {
    const org = await createOrg('retailer');
    const admin = await tokenFor({ org, roles: ['RetailerAdmin'] });
    for (const s of ['a', 'b', 'c']) await call('PUT', `/api/v1/stores/${s}`, { token: admin, body: { name: s, jurisdiction: 'NZ' } });
    const item = entryItem(org, 3);
    const { resource } = await item.read();
    await item.replace({ ...resource, outcome: 'denied' });
    const verdict = await call('GET', '/api/v1/audit/verify', { token: await tokenFor({ org, roles: ['Compliance'] }) });
    expect(verdict.body).toMatchObject({ ok: false, firstBadSeq: 3 });
  });
});
