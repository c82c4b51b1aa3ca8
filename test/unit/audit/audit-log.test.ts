import { auditLog, type AuditChainStore } from '../../../shared/audit/audit-log';
import { GENESIS_HASH, verifyChain, type AuditDraft, type AuditEntry } from '../../../shared/domain/audit-chain';

/**
 * The audit chain's append logic on its own, over an in-memory chain that answers as the store
 * does: an entry's seq is its id (a second create of a seq is refused), a batch is all or
 * nothing, the head hint is a blind write. Several `auditLog` instances over one store are
 * several processes. The same paths run against the emulator in test/integration/app/audit-chain.test.ts.
 */
class MemoryChains implements AuditChainStore {
  readonly entries = new Map<string, Map<number, AuditEntry>>();
  readonly heads = new Map<string, { seq: number; hash: string }>();
  readonly registered = new Set<string>();
  batches = 0;
  /** The next single create is applied but answered as refused (a dropped connection, then the retry's 409). */
  loseNextCreateAnswer = false;

  private chain(orgId: string) {
    return this.entries.get(orgId) ?? this.entries.set(orgId, new Map()).get(orgId)!;
  }
  createEntries(orgId: string, entries: AuditEntry[], moveHead: boolean) {
    this.batches++;
    const chain = this.chain(orgId);
    if (entries.some((e) => chain.has(e.seq))) return Promise.resolve(false);
    for (const e of entries) chain.set(e.seq, e);
    if (moveHead) this.heads.set(orgId, { seq: entries.at(-1)!.seq, hash: entries.at(-1)!.hash });
    return Promise.resolve(true);
  }
  createEntry(orgId: string, entry: AuditEntry) {
    const chain = this.chain(orgId);
    if (chain.has(entry.seq)) return Promise.resolve(false);
    chain.set(entry.seq, entry);
    if (this.loseNextCreateAnswer) {
      this.loseNextCreateAnswer = false;
      return Promise.resolve(false);
    }
    return Promise.resolve(true);
  }
  readEntry(orgId: string, seq: number) {
    return Promise.resolve(this.chain(orgId).get(seq));
  }
  readStoredEntries(orgId: string, seqs: number[]) {
    return Promise.resolve(seqs.map((s) => this.chain(orgId).get(s)));
  }
  readHead(orgId: string) {
    return Promise.resolve(this.heads.get(orgId));
  }
  advanceHead(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>) {
    this.heads.set(orgId, { seq: entry.seq, hash: entry.hash });
    return Promise.resolve();
  }
  registerChain(orgId: string) {
    this.registered.add(orgId);
    return Promise.resolve();
  }
  sorted(orgId: string): AuditEntry[] {
    return [...this.chain(orgId).values()].sort((a, b) => a.seq - b.seq);
  }
}

const draft = (n: number): AuditDraft => ({
  actor: { sub: `user-${n}`, org: 'ret-a', roles: [] },
  action: 'event.read',
  target: { type: 'event', id: `evt-${n}` },
  outcome: 'success',
  requestId: `req-${n}`,
});

describe('appending to an audit chain', () => {
  it('registers a new chain before its first entry and builds one verifiable chain from genesis', async () => {
    const store = new MemoryChains();
    const log = auditLog(store, 0);
    for (let n = 1; n <= 20; n++) await log.appendAudit('org', draft(n));
    const entries = store.sorted('org');
    expect(store.registered.has('org')).toBe(true);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(verifyChain(entries).ok).toBe(true);
    // The head hint moves at the first entry and every 16th.
    expect(store.heads.get('org')?.seq).toBe(16);
    expect((await log.chainHead('org'))?.seq).toBe(20);
  });

  it('writes appends that arrive together as one batch', async () => {
    const store = new MemoryChains();
    const log = auditLog(store, 5);
    await log.appendAudit('org', draft(0));
    const before = store.batches;
    const written = await Promise.all(Array.from({ length: 30 }, (_, n) => log.appendAudit('org', draft(n + 1))));
    expect(written.map((e) => e.seq)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    expect(store.batches - before).toBeLessThanOrEqual(2);
    expect(verifyChain(store.sorted('org')).ok).toBe(true);
  });

  it('keeps one gap-free chain when several processes append at once', async () => {
    const store = new MemoryChains();
    const processes = [auditLog(store, 0), auditLog(store, 2), auditLog(store, 0)];
    await Promise.all(Array.from({ length: 90 }, (_, n) => processes[n % 3]!.appendAudit('org', draft(n))));
    const entries = store.sorted('org');
    expect(entries).toHaveLength(90);
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
    expect(verifyChain(entries).ok).toBe(true);
    expect(new Set(entries.map((e) => e.requestId)).size).toBe(90);
  });

  it('takes its own entry, applied although its answer was lost, for written (never a second copy)', async () => {
    const store = new MemoryChains();
    const log = auditLog(store, 0);
    await log.appendAudit('org', draft(1));
    await log.appendAudit('org', draft(2));
    store.loseNextCreateAnswer = true;
    const third = await log.appendAudit('org', draft(3));
    expect(third.seq).toBe(3);
    expect(store.sorted('org').map((e) => e.requestId)).toEqual(['req-1', 'req-2', 'req-3']);
  });

  it('jumps to the head hint when another process has written far ahead since this one last appended', async () => {
    const store = new MemoryChains();
    const slow = auditLog(store, 0);
    const busy = auditLog(store, 0);
    await slow.appendAudit('org', draft(1));
    for (let n = 2; n <= 40; n++) await busy.appendAudit('org', draft(n));
    const reads: number[] = [];
    const readEntry = store.readEntry.bind(store);
    store.readEntry = (orgId, seq) => {
      reads.push(seq);
      return readEntry(orgId, seq);
    };
    const entry = await slow.appendAudit('org', draft(41));
    expect(entry.seq).toBe(41);
    // It did not walk the 39 entries the other process wrote.
    expect(reads.length).toBeLessThan(10);
    expect(verifyChain(store.sorted('org')).ok).toBe(true);
  });
});
