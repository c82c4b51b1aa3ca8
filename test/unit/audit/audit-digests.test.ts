import { auditDigests, digestBlobName, type AuditDigestStore } from '../../../shared/audit/audit-digests';
import { GENESIS_HASH, sealEntry, type AuditEntry } from '../../../shared/domain/audit-chain';
import { digestLine, parseDigestLines } from '../../../shared/domain/audit-digest';

/**
 * The digests over chains, a registry and append blobs in memory. Which heads are written where,
 * what a failure does and how digests are read back are their own; records and lines are the
 * domain's. Storage is faked as it behaves: the registry lists its chains a page at a time (one
 * iterator shared by the workers), an append creates its blob if missing and adds a block, a
 * listing is in name order under the prefix. The same run against the emulators is in
 * test/integration/app/audit-export.test.ts.
 */
const NOW = new Date('2026-11-02T03:00:00Z');
const CONTENT_TYPE = 'application/x-ndjson';

const entry = (orgId: string, seq: number): AuditEntry =>
  sealEntry({ actor: { sub: 'user-1', org: orgId, roles: ['staff'] }, action: 'event.create', target: { type: 'event', id: `event-${seq}` }, outcome: 'success', requestId: `req-${seq}` }, seq, GENESIS_HASH, new Date('2026-11-01T10:00:00Z'));

class Stores implements AuditDigestStore {
  /** Registered chains, in registry order. */
  registry: string[] = [];
  /** Organisation → its chain's head (none: no entries yet). */
  heads = new Map<string, AuditEntry>();
  /** "container/name" → the blob's text and content type. */
  blobs = new Map<string, { text: string; contentType: string }>();
  /** Organisations whose head read fails; blob names whose append fails. */
  headFails = new Set<string>();
  appendFails = new Set<string>();
  registryFault?: Error;
  headReads: string[] = [];

  listChains = () => this.listing();
  private async *listing(): AsyncGenerator<string> {
    for (const orgId of this.registry) {
      if (this.registryFault) throw this.registryFault;
      await Promise.resolve();
      yield orgId;
    }
  }
  chainHead = async (orgId: string) => {
    this.headReads.push(orgId);
    if (this.headFails.has(orgId)) throw new Error(`head of ${orgId} unreadable`);
    return this.heads.get(orgId);
  };
  appendText = async (containerName: string, blobName: string, text: string, contentType: string) => {
    if (this.appendFails.has(blobName)) throw new Error(`append to ${blobName} refused`);
    const key = `${containerName}/${blobName}`;
    const blob = this.blobs.get(key) ?? { text: '', contentType };
    this.blobs.set(key, { ...blob, text: blob.text + text });
  };
  listBlobNames = async (containerName: string, prefix: string) =>
    [...this.blobs.keys()]
      .filter((k) => k.startsWith(`${containerName}/${prefix}`))
      .map((k) => k.slice(containerName.length + 1))
      .sort();
  downloadText = async (containerName: string, blobName: string) => {
    const blob = this.blobs.get(`${containerName}/${blobName}`);
    if (!blob) throw new Error('BlobNotFound');
    return blob.text;
  };

  chain(orgId: string, seq?: number): void {
    this.registry.push(orgId);
    if (seq !== undefined) this.heads.set(orgId, entry(orgId, seq));
  }
  lines = (orgId: string, at = NOW) => parseDigestLines(this.blobs.get(`audit-digests/${digestBlobName(orgId, at)}`)?.text ?? '').records;
}

function world() {
  const stores = new Stores();
  const warnings: { message: string; props: unknown }[] = [];
  const log = { warn: (message: string, props?: unknown) => void warnings.push({ message, props }) };
  const { runAuditDigest, readDigests } = auditDigests(stores);
  return { stores, warnings, run: (at = NOW, concurrency?: number) => runAuditDigest(log, at, concurrency), readDigests };
}

test('each chain with entries gets its head appended to its own blob of the year; a chain without entries gets nothing', async () => {
  const { stores, warnings, run } = world();
  stores.chain('zeta', 7);
  stores.chain('alpha', 3);
  stores.chain('empty');
  const result = await run();
  const record = (orgId: string, seq: number) => ({ v: 1 as const, orgId, seq, hash: stores.heads.get(orgId)!.hash, at: '2026-11-01T10:00:00.000Z', digestedAt: NOW.toISOString() });
  expect(result).toEqual({
    digestedAt: NOW.toISOString(),
    written: [
      { ...record('alpha', 3), blob: 'alpha/2026.jsonl' },
      { ...record('zeta', 7), blob: 'zeta/2026.jsonl' },
    ],
    failed: [],
  });
  expect([...stores.blobs.keys()].sort()).toEqual(['audit-digests/alpha/2026.jsonl', 'audit-digests/zeta/2026.jsonl']);
  expect(stores.blobs.get('audit-digests/alpha/2026.jsonl')).toEqual({ text: digestLine(record('alpha', 3)), contentType: CONTENT_TYPE });
  expect(stores.headReads.sort()).toEqual(['alpha', 'empty', 'zeta']);
  expect(warnings).toEqual([]);
});

test('a re-run adds one more record of an unchanged head (one more anchor) and nothing for a chain still empty; a new year starts a new blob', async () => {
  const { stores, run, readDigests } = world();
  stores.chain('shop', 3);
  stores.chain('empty');
  await run();
  const again = await run(new Date(NOW.getTime() + 1000));
  expect(again.written.map((w) => [w.orgId, w.seq, w.blob])).toEqual([['shop', 3, 'shop/2026.jsonl']]);
  expect(stores.lines('shop').map((r) => r.seq)).toEqual([3, 3]);
  expect(stores.blobs.size).toBe(1);
  stores.heads.set('shop', entry('shop', 9));
  const nextYear = new Date('2027-01-01T03:00:00Z');
  expect((await run(nextYear)).written.map((w) => w.blob)).toEqual(['shop/2027.jsonl']);
  const { records, unreadable } = await readDigests('shop');
  expect(records.map((r) => [r.seq, r.digestedAt.slice(0, 4)])).toEqual([
    [3, '2026'],
    [3, '2026'],
    [9, '2027'],
  ]);
  expect(unreadable).toBe(0);
});

test('a chain whose head cannot be read, or whose blob refuses the append, is logged and reported; the others are written; the next run retries them', async () => {
  const { stores, warnings, run } = world();
  stores.chain('alpha', 1);
  stores.chain('broken', 2);
  stores.chain('refused', 3);
  stores.chain('zeta', 4);
  stores.headFails.add('broken');
  stores.appendFails.add('refused/2026.jsonl');
  const result = await run();
  expect(result.written.map((w) => w.orgId)).toEqual(['alpha', 'zeta']);
  expect(result.failed.map((f) => f.orgId).sort()).toEqual(['broken', 'refused']);
  expect(warnings.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([
    { message: 'Audit digest failed for a chain', props: { orgId: 'broken', error: 'head of broken unreadable' } },
    { message: 'Audit digest failed for a chain', props: { orgId: 'refused', error: 'append to refused/2026.jsonl refused' } },
  ]);
  expect(stores.lines('refused')).toEqual([]);
  stores.headFails.clear();
  stores.appendFails.clear();
  const retry = await run();
  expect(retry.failed).toEqual([]);
  expect(stores.lines('broken').map((r) => r.seq)).toEqual([2]);
  expect(stores.lines('refused').map((r) => r.seq)).toEqual([3]);
});

test('a registry that cannot be listed fails the run', async () => {
  const { stores, run } = world();
  stores.chain('alpha', 1);
  stores.registryFault = new Error('registry unavailable');
  await expect(run()).rejects.toThrow('registry unavailable');
  expect(stores.blobs.size).toBe(0);
});

test('workers share one listing: with more chains than workers, each chain is digested exactly once', async () => {
  const { stores, run } = world();
  const orgs = Array.from({ length: 25 }, (_, i) => `org-${String(i).padStart(2, '0')}`);
  for (const [i, orgId] of orgs.entries()) stores.chain(orgId, i + 1);
  const result = await run(NOW, 3);
  expect(result.written.map((w) => w.orgId)).toEqual(orgs);
  expect(stores.headReads.sort()).toEqual(orgs);
  for (const orgId of orgs) expect(stores.lines(orgId)).toHaveLength(1);
});

test('reading digests: only the chain\'s own blobs and records; lines that are not records are counted', async () => {
  const { stores, run, readDigests } = world();
  stores.chain('shop', 3);
  stores.chain('shop2', 5);
  await run();
  const foreign = digestLine({ v: 1, orgId: 'other', seq: 1, hash: 'a'.repeat(64), at: NOW.toISOString(), digestedAt: NOW.toISOString() });
  await stores.appendText('audit-digests', 'shop/2026.jsonl', `${foreign}not json\n{"v":2}\n`, CONTENT_TYPE);
  const { records, unreadable } = await readDigests('shop');
  expect(records.map((r) => [r.orgId, r.seq])).toEqual([['shop', 3]]);
  expect(unreadable).toBe(2);
  expect(await readDigests('nobody')).toEqual({ records: [], unreadable: 0 });
});
