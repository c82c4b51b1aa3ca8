import {
  GENESIS_HASH,
  sealEntry,
  type AuditDraft,
  type AuditEntry,
} from '../domain/audit-chain';
import { MAX_BATCH_OPERATIONS } from '../adapters/cosmos-batch';
import { advanceHead, createEntries, createEntry, readEntry, readHead, readStoredEntries } from './audit-entry-repository';
import { registerChain } from './audit-registry-repository';
import { GroupCommit, REQUEST_PATH_LINGER_MS } from '../batching/group-commit';

/** The head hint is written every this many entries: a reader without it walks at most this far. */
const HEAD_EVERY = 16;

/** Where a chain's entries live: the repositories in the app, an in-memory chain in unit tests of this logic. */
export interface AuditChainStore {
  /** Consecutive entries in one batch (with the head hint when `moveHead`); false when a seq was taken, and then nothing was written. */
  createEntries(orgId: string, entries: AuditEntry[], moveHead: boolean): Promise<boolean>;
  /** One entry; false when its seq was taken. */
  createEntry(orgId: string, entry: AuditEntry): Promise<boolean>;
  readEntry(orgId: string, seq: number): Promise<AuditEntry | undefined>;
  readStoredEntries(orgId: string, seqs: number[]): Promise<(AuditEntry | undefined)[]>;
  readHead(orgId: string): Promise<{ seq: number; hash: string } | undefined>;
  advanceHead(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): Promise<void>;
  registerChain(orgId: string): Promise<void>;
}

const cosmosChains: AuditChainStore = { createEntries, createEntry, readEntry, readStoredEntries, readHead, advanceHead, registerChain: (orgId) => registerChain(orgId) };

interface Pending {
  draft: AuditDraft;
  now: () => Date;
}

/** The audit chain's append and head logic over a store. */
export function auditLog(store: AuditChainStore, linger = REQUEST_PATH_LINGER_MS) {
  /** The last entry this process wrote or saw per chain: saves reading the head on every append. */
  const knownTails = new Map<string, { seq: number; hash: string }>();

  /**
   * Appends one entry to an organisation's chain.
   *
   * Group commit (one writer per chain in this process): appends that arrive while a write is in
   * flight, or within a few milliseconds of each other on a busy chain, go together in the next
   * one, as one transactional batch (up to 100 entries, one round trip), so a chain's throughput
   * follows the number of concurrent requests.
   *
   * Safe under concurrent appends from other processes without relying on transactions: an
   * entry's id is derived from its seq, so two writers racing for the same seq collide on create
   * (409) and the loser moves on to the next seq, linking to the winner's hash. The chain itself
   * is the truth; the "head" document and the in-process tail are only hints that save walking
   * it, and may lag.
   */
  function appendAudit(orgId: string, draft: AuditDraft, now = () => new Date()): Promise<AuditEntry> {
    return chains.submit(orgId, { draft, now });
  }

  // One operation of a batch is kept for the head hint.
  const chains = new GroupCommit<Pending, AuditEntry>((orgId, group) => appendGroup(orgId, group), MAX_BATCH_OPERATIONS - 1, linger);

  async function appendGroup(orgId: string, group: Pending[]): Promise<AuditEntry[]> {
    const head = knownTails.get(orgId) ?? (await store.readHead(orgId));
    let tail = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
    // A new chain is registered before its first entry, so the digest job can never miss it.
    if (tail.seq === 0) await store.registerChain(orgId);
    const sealed: AuditEntry[] = [];
    for (const p of group) {
      const entry = sealEntry(p.draft, tail.seq + 1, tail.hash, p.now());
      sealed.push(entry);
      tail = { seq: entry.seq, hash: entry.hash };
    }
    // A batch for several entries, or for one that moves the head hint (which rides in it).
    const batched = group.length > 1 || headDue(sealed);
    if (batched && (await store.createEntries(orgId, sealed, headDue(sealed)))) {
      knownTails.set(orgId, { seq: tail.seq, hash: tail.hash });
      return sealed;
    }
    // One entry, or a batch that lost a race: entry by entry, keeping what the batch did write.
    const written: AuditEntry[] = [];
    if (batched) {
      const stored = await store.readStoredEntries(orgId, sealed.map((e) => e.seq));
      for (const [i, e] of sealed.entries()) {
        if (stored[i]?.hash !== e.hash) break;
        written.push(e);
      }
      if (written.length) await wrote(orgId, written);
    }
    for (const p of group.slice(written.length)) written.push(await appendOne(orgId, p));
    return written;
  }

  /** Whether writing these consecutive entries moves the head hint: the first entry, and every HEAD_EVERY-th. */
  function headDue(entries: AuditEntry[]): boolean {
    const first = entries[0]!;
    const last = entries.at(-1)!;
    return first.seq === 1 || Math.floor(last.seq / HEAD_EVERY) > Math.floor((first.seq - 1) / HEAD_EVERY);
  }

  /** Remembers the new tail, and moves the head hint when the entries reached a multiple of HEAD_EVERY. */
  async function wrote(orgId: string, entries: AuditEntry[]): Promise<void> {
    const last = entries.at(-1)!;
    knownTails.set(orgId, { seq: last.seq, hash: last.hash });
    if (headDue(entries)) await store.advanceHead(orgId, last);
  }

  async function appendOne(orgId: string, p: Pending): Promise<AuditEntry> {
    const head = knownTails.get(orgId) ?? (await store.readHead(orgId));
    let seq = (head?.seq ?? 0) + 1;
    let prevHash = head?.hash ?? GENESIS_HASH;
    for (;;) {
      if (seq === 1) await store.registerChain(orgId);
      const entry = sealEntry(p.draft, seq, prevHash, p.now());
      if (await store.createEntry(orgId, entry)) {
        await wrote(orgId, [entry]);
        return entry;
      }
      // The seq is taken.
      const holder = await store.readEntry(orgId, seq);
      if (holder?.hash === entry.hash) {
        // Our own create, applied although its answer was lost (a dropped connection, then the retry's 409).
        await wrote(orgId, [entry]);
        return entry;
      }
      // Someone else holds this seq. When the head hint is further on (another instance wrote
      // many entries since this process last appended), jump there instead of walking.
      const hint = await store.readHead(orgId);
      if (hint && hint.seq > seq) {
        seq = hint.seq + 1;
        prevHash = hint.hash;
        continue;
      }
      if (!holder) throw new Error(`Audit entry ${seq} of ${orgId} was taken and then could not be read.`);
      prevHash = holder.hash;
      seq += 1;
    }
  }

  /** The last entry of the chain: the head hint, checked by walking forward past it. */
  async function chainHead(orgId: string): Promise<AuditEntry | undefined> {
    const head = await store.readHead(orgId);
    let last = head ? await store.readEntry(orgId, head.seq) : undefined;
    let seq = (head?.seq ?? 0) + 1;
    for (let next = await store.readEntry(orgId, seq); next; next = await store.readEntry(orgId, ++seq)) last = next;
    return last;
  }

  return { appendAudit, chainHead };
}

export const { appendAudit, chainHead } = auditLog(cosmosChains);
