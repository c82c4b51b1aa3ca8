import { auditMigration, type AuditMigrationStore, type MigrationOptions } from '../../../shared/audit/audit-migration';
import type { ChainPlace } from '../../../shared/audit/audit-entry-repository';
import type { ChainLayout } from '../../../shared/audit/audit-registry-repository';
import { GENESIS_HASH, sealEntry, verifyChain, type AuditEntry } from '../../../shared/domain/audit-chain';
import { bySegment, firstSeqOf, segmentOf } from '../../../shared/domain/audit-segments';
import { ServiceUnavailableError } from '../../../shared/domain/errors';

/**
 * The audit chain migration over chains in memory, both places of each: the old one (one
 * partition, a fence, head hints that lag) and the segments (of ten entries here, so that pages
 * cross them). Entries are sealed and verified with the real hashing (shared/domain/audit-chain).
 * The store behaves as the repository: a batch per segment, all or nothing, refused where a seq
 * is taken; a write to the old place after its fence refused (503). The migration against the
 * emulators, with the app appending meanwhile, is test/integration/app/audit-migration.test.ts.
 */
const SIZE = 10;
const T0 = Date.UTC(2026, 0, 1);

class Chains implements AuditMigrationStore {
  /** The registry: each chain's layout as stored (absent: registered before segments, so unsegmented). */
  registry = new Map<string, ChainLayout | undefined>();
  /** "container|org" → seq → entry. */
  stored = new Map<string, Map<number, AuditEntry>>();
  /** "container|org" → the head hint (one per place: the latest segment's). */
  heads = new Map<string, { seq: number; hash: string }>();
  pointers = new Map<string, number>();
  fences = new Set<string>();
  /** Each entry written at a place, "container|org|seq", in order (the originals' appends too). */
  writes: string[] = [];
  /** Faults, each once: "torn <org> <first seq>" (a batch written in part, then the process dies), "lost <org> <seq>" (a write acknowledged and not kept). */
  faults = new Set<string>();

  listChains = async function* (this: Chains) {
    yield* await Promise.resolve([...this.registry.keys()]);
  }.bind(this);
  readChainLayout = async (orgId: string): Promise<ChainLayout> => (this.registry.has(orgId) ? (this.registry.get(orgId) ?? 'unsegmented') : 'segmented');
  unsegmentedPlace = (orgId: string): ChainPlace => ({ orgId, container: 'audit-unsegmented', segmented: false, keyPath: 'orgId', segmentOf: () => 0, firstSeq: () => 1, partition: () => orgId });
  segmentedPlace = (orgId: string): ChainPlace => ({
    orgId,
    container: 'audit',
    segmented: true,
    keyPath: 'partition',
    segmentOf: (seq) => segmentOf(seq, SIZE),
    firstSeq: (segment) => firstSeqOf(segment, SIZE),
    partition: (segment) => `${orgId}/${segment}`,
  });
  closeFence = async (orgId: string) => void this.fences.add(orgId);
  readHeadAt = async (place: ChainPlace) => this.heads.get(key(place)) ?? this.at(place).get(1);
  readEntryAt = async (place: ChainPlace, seq: number) => structuredClone(this.at(place).get(seq));
  readStoredEntriesAt = async (place: ChainPlace, seqs: number[]) => seqs.map((s) => structuredClone(this.at(place).get(s)));
  createEntriesAt = async (place: ChainPlace, entries: AuditEntry[], moveHead: boolean) => {
    if (!place.segmented && this.fences.has(place.orgId)) throw new ServiceUnavailableError('The audit chain is being moved.', 2);
    const runs = bySegment(entries, (e) => place.segmentOf(e.seq));
    for (const [i, run] of runs.entries()) {
      if (run.items.some((e) => this.at(place).has(e.seq))) return false;
      for (const [j, e] of run.items.entries()) {
        if (j === 3 && this.faults.delete(`torn ${place.orgId} ${run.items[0]!.seq}`)) throw new Error('crash mid-batch');
        if (!this.faults.delete(`lost ${place.orgId} ${e.seq}`)) this.at(place).set(e.seq, structuredClone(e));
        this.writes.push(`${key(place)}|${e.seq}`);
      }
      if (moveHead && i === runs.length - 1) this.heads.set(key(place), { seq: run.items.at(-1)!.seq, hash: run.items.at(-1)!.hash });
    }
    return true;
  };
  pointAt = async (place: ChainPlace, segment: number) => void (place.segmented && this.pointers.set(place.orgId, segment));
  markSegmented = async (orgId: string) => {
    if (!this.registry.has(orgId)) throw new Error(`Audit chain ${orgId} is not registered.`);
    this.registry.set(orgId, 'segmented');
  };

  /** A chain begun before segments, with `n` entries in the old place. */
  legacy(orgId: string, n: number): void {
    this.registry.set(orgId, undefined);
    this.append(orgId, n);
  }
  /** Appends `n` entries where the app would (the old place until the switch), its head hint moved every fifth entry only; false when refused. */
  append(orgId: string, n: number): boolean {
    for (let i = 0; i < n; i++) {
      const chain = this.chain(orgId);
      const last = chain.at(-1);
      const seq = (last?.seq ?? 0) + 1;
      const place = this.registry.get(orgId) === 'segmented' ? this.segmentedPlace(orgId) : this.unsegmentedPlace(orgId);
      const entry = sealEntry({ actor: { sub: 'u1', org: orgId, roles: ['Investigator'] }, action: 'event.list', target: { type: 'event', id: '*' }, outcome: 'success', requestId: `r${seq}` }, seq, last?.hash ?? GENESIS_HASH, new Date(T0 + seq * 1000));
      if (!place.segmented && this.fences.has(orgId)) return false;
      this.at(place).set(seq, entry);
      this.writes.push(`${key(place)}|${seq}`);
      if (seq % 5 === 0) this.heads.set(key(place), { seq, hash: entry.hash });
    }
    return true;
  }
  /** The chain where its layout says it is, in seq order. */
  chain(orgId: string): AuditEntry[] {
    const place = this.registry.get(orgId) === 'segmented' ? this.segmentedPlace(orgId) : this.unsegmentedPlace(orgId);
    return [...this.at(place).values()].sort((a, b) => a.seq - b.seq);
  }
  original(orgId: string): AuditEntry[] {
    return [...this.at(this.unsegmentedPlace(orgId)).values()].sort((a, b) => a.seq - b.seq);
  }
  /** Writes of entries to the segments of a chain, by seq. */
  copiesWritten(orgId: string): number[] {
    return this.writes.filter((w) => w.startsWith(`audit|${orgId}|`)).map((w) => Number(w.split('|')[2]));
  }
  at(place: ChainPlace): Map<number, AuditEntry> {
    if (!this.stored.has(key(place))) this.stored.set(key(place), new Map());
    return this.stored.get(key(place))!;
  }
}

const key = (place: ChainPlace) => `${place.container}|${place.orgId}`;
const quiet = () => ({ warn: jest.fn() });
const migrate = (chains: Chains, options: MigrationOptions = {}, log = quiet()) => auditMigration(chains).migrateAuditChains(log, { pageSize: 7, ...options });

describe('the audit chain migration in memory', () => {
  it('moves a chain whole (same seqs, same hashes), switches it, points at its last segment, and a second run has nothing to do', async () => {
    const chains = new Chains();
    chains.legacy('shop', 37);
    chains.registry.set('new', 'segmented');
    const original = chains.original('shop');
    expect(verifyChain(original).ok).toBe(true);

    expect(await migrate(chains)).toEqual({ migrated: [{ orgId: 'shop', entries: 37 }], alreadySegmented: 1, failed: [] });
    expect(chains.registry.get('shop')).toBe('segmented');
    expect(chains.chain('shop')).toEqual(original);
    expect(verifyChain(chains.chain('shop'))).toEqual({ ok: true, entries: 37, firstBadSeq: null });
    expect(chains.pointers.get('shop')).toBe(3);
    expect(chains.heads.get('audit|shop')).toEqual({ seq: 37, hash: original.at(-1)!.hash });
    expect(chains.copiesWritten('shop')).toEqual(original.map((e) => e.seq));
    expect(chains.fences.has('shop')).toBe(true);

    expect(await migrate(chains)).toEqual({ migrated: [], alreadySegmented: 2, failed: [] });
    expect(chains.copiesWritten('shop')).toHaveLength(37);
  });

  it('copies what the chain gained while it was copied; once the fence is closed nothing lands in the old place; after the switch the chain grows in segments and verifies', async () => {
    const chains = new Chains();
    chains.legacy('shop', 20);
    const refusedAfterFence: boolean[] = [];
    const run = await migrate(chains, {
      beforePage: (_org, first) => {
        if (chains.fences.has('shop')) refusedAfterFence.push(!chains.append('shop', 1));
        else if (first === 1) chains.append('shop', 4);
      },
    });
    expect(run.migrated).toEqual([{ orgId: 'shop', entries: 24 }]);
    // The copy after the fence had a page to write, and the app's append then was refused.
    expect(refusedAfterFence).toEqual([true]);
    expect(chains.original('shop')).toHaveLength(24);
    expect(chains.append('shop', 3)).toBe(true);
    const moved = chains.chain('shop');
    expect(moved.map((e) => e.seq)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
    expect(moved.slice(0, 24)).toEqual(chains.original('shop'));
    expect(verifyChain(moved)).toEqual({ ok: true, entries: 27, firstBadSeq: null });
  });

  it('a run that stops part-way (a crash) is resumed by the next where the copy ended, copying only what is missing', async () => {
    const chains = new Chains();
    chains.legacy('shop', 40);
    const log = quiet();
    const stopped = await migrate(chains, { beforePage: (_org, first) => { if (first > 20) throw new Error('crash'); } }, log);
    expect(stopped).toEqual({ migrated: [], alreadySegmented: 0, failed: [{ orgId: 'shop' }] });
    expect(log.warn).toHaveBeenCalledWith(expect.stringContaining('next run resumes'), { orgId: 'shop', error: 'crash' });
    expect(chains.registry.get('shop')).toBeUndefined();
    expect(chains.fences.has('shop')).toBe(false);
    expect(chains.copiesWritten('shop')).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));

    const pages: number[] = [];
    const resumed = await migrate(chains, { beforePage: (_org, first) => void pages.push(first) });
    expect(resumed.migrated).toEqual([{ orgId: 'shop', entries: 19 }]);
    expect(pages).toEqual([22, 29, 36]);
    expect(chains.copiesWritten('shop')).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(chains.chain('shop')).toEqual(chains.original('shop'));
    expect(verifyChain(chains.chain('shop')).ok).toBe(true);
  });

  it('a page written in part when the process died is completed by the next run, no entry written twice', async () => {
    const chains = new Chains();
    chains.legacy('shop', 25);
    // The page from 8 is in two segments (8–10, 11–14): the first batch written, the second cut after three entries.
    chains.faults.add('torn shop 11');
    expect((await migrate(chains)).failed).toEqual([{ orgId: 'shop' }]);
    expect(chains.copiesWritten('shop')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);

    expect((await migrate(chains)).migrated).toEqual([{ orgId: 'shop', entries: 25 - 13 }]);
    expect(chains.copiesWritten('shop')).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(chains.chain('shop')).toEqual(chains.original('shop'));
    expect(verifyChain(chains.chain('shop')).ok).toBe(true);
  });

  it('an entry in the copy that differs from its original stops that chain unswitched and unchanged, and the run goes on to the next', async () => {
    const chains = new Chains();
    chains.legacy('shop', 12);
    chains.legacy('other', 12);
    const real = chains.original('shop')[4]!;
    const forged = sealEntry({ ...real, details: { note: 'forged' } }, real.seq, real.prevHash, new Date(real.at));
    chains.at(chains.segmentedPlace('shop')).set(5, forged);
    const log = quiet();
    const run = await migrate(chains, {}, log);
    expect(run).toEqual({ migrated: [{ orgId: 'other', entries: 12 }], alreadySegmented: 0, failed: [{ orgId: 'shop' }] });
    expect(log.warn).toHaveBeenCalledWith(expect.any(String), { orgId: 'shop', error: 'Entry 5 of shop differs from its original; the copy stops there.' });
    expect(chains.registry.get('shop')).toBeUndefined();
    expect(chains.at(chains.segmentedPlace('shop')).get(5)).toEqual(forged);
    expect(chains.copiesWritten('shop')).toEqual([]);
    expect(verifyChain(chains.chain('other')).ok).toBe(true);
  });

  it('a copy that kept the original’s hash over other content stops the chain too (the stored hash alone is not the entry)', async () => {
    const chains = new Chains();
    chains.legacy('shop', 12);
    const real = chains.original('shop')[4]!;
    chains.at(chains.segmentedPlace('shop')).set(5, { ...real, details: { note: 'forged' } });
    const run = await migrate(chains, {}, quiet());
    expect(run).toEqual({ migrated: [], alreadySegmented: 0, failed: [{ orgId: 'shop' }] });
    expect(chains.registry.get('shop')).toBeUndefined();
  });

  it('does not switch a chain whose copy lacks the original’s last entry', async () => {
    const chains = new Chains();
    chains.legacy('shop', 14);
    chains.faults.add('lost shop 14');
    const log = quiet();
    expect((await migrate(chains, {}, log)).failed).toEqual([{ orgId: 'shop' }]);
    expect(log.warn).toHaveBeenCalledWith(expect.any(String), { orgId: 'shop', error: "The copy of shop's chain does not hold its last entry (14)." });
    expect(chains.registry.get('shop')).toBeUndefined();
  });

  it('a seq the original no longer has stays a gap, which the verifier reports as it did before', async () => {
    const chains = new Chains();
    chains.legacy('shop', 16);
    chains.at(chains.unsegmentedPlace('shop')).delete(8);
    expect(verifyChain(chains.original('shop'))).toMatchObject({ ok: false, firstBadSeq: 8 });
    expect((await migrate(chains)).migrated).toEqual([{ orgId: 'shop', entries: 15 }]);
    expect(chains.chain('shop')).toEqual(chains.original('shop'));
    expect(verifyChain(chains.chain('shop'))).toMatchObject({ ok: false, firstBadSeq: 8 });
  });

  it('two runs at once leave one copy: the second finds its seqs taken and stops, each entry written once, the chain switched and verifying', async () => {
    const chains = new Chains();
    chains.legacy('shop', 30);
    const [a, b] = await Promise.all([migrate(chains), migrate(chains)]);
    expect([...a.migrated, ...b.migrated]).toEqual([{ orgId: 'shop', entries: 30 }]);
    expect([...a.failed, ...b.failed]).toEqual([{ orgId: 'shop' }]);
    expect(chains.registry.get('shop')).toBe('segmented');
    expect(chains.copiesWritten('shop')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(chains.chain('shop')).toEqual(chains.original('shop'));
    expect(verifyChain(chains.chain('shop')).ok).toBe(true);
  });
});
