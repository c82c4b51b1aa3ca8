import { hashEntry, toAuditEntry, type AuditEntry } from '../domain/audit-chain';
import { MAX_BATCH_OPERATIONS } from '../adapters/cosmos-batch';
import type { Logger } from '../telemetry/logger';
import {
  closeFence,
  createEntriesAt,
  pointAt,
  readEntryAt,
  readHeadAt,
  readStoredEntriesAt,
  segmentedPlace,
  unsegmentedPlace,
  type ChainPlace,
} from './audit-entry-repository';
import { listChains, markSegmented, readChainLayout, type ChainLayout } from './audit-registry-repository';

/*
 * Moves the audit chains begun before segments (one partition per organisation in the old
 * `audit` container) into segments (docs/decisions/0004). Per chain: copy every entry as it is
 * (same seq, same hashes) while the chain goes on growing in the old place; then close the old
 * place's fence (every write there checks it in its own batch, so none lands after, however late
 * it arrives: appends answer 503 and are retried), copy the last few, check that the copy holds the
 * original's last entry, and switch. Resumable at any point, and two runs at once are harmless: a
 * run starts each chain where its copy ends, checks what is already there, never writes an entry
 * that differs from the original, and a switched chain is never switched back.
 */

export interface MigrationRun {
  /** Chains copied and switched by this run, with the entries copied. */
  migrated: { orgId: string; entries: number }[];
  /** Chains already segmented (begun since, or migrated before). */
  alreadySegmented: number;
  /** Chains this run could not finish (logged; the next run resumes them). */
  failed: { orgId: string }[];
}

export interface MigrationOptions {
  /** Entries per page (at most 99: the head hint rides in the batch). */
  pageSize?: number;
  /** Tests: called before each page is written, to stop a run part-way as a crash would. */
  beforePage?: (orgId: string, firstSeq: number) => void | Promise<void>;
}

/** What the audit chain migration reads and writes: the registry and both places of the chain in the app, chains in memory in unit tests of this logic. */
export interface AuditMigrationStore {
  /** Every registered chain's organisation, a page at a time. */
  listChains(): AsyncIterable<string>;
  /** The chain's layout as stored now (a chain not registered yet will be segmented). */
  readChainLayout(orgId: string): Promise<ChainLayout>;
  /** Where a chain begun before segments is: its organisation's one partition of the old container. */
  unsegmentedPlace(orgId: string): ChainPlace;
  /** Where the chain moves: the segments of the new container. */
  segmentedPlace(orgId: string): ChainPlace;
  /** Closes the chain's old place to writes for good (every write there checks the fence in its batch). */
  closeFence(orgId: string): Promise<void>;
  /** A recent entry at a place (its latest segment's head hint, or that segment's first entry), from which a reader walks forward. */
  readHeadAt(place: ChainPlace): Promise<{ seq: number; hash: string } | undefined>;
  /** The entry at a seq of a place, or undefined. */
  readEntryAt(place: ChainPlace, seq: number): Promise<AuditEntry | undefined>;
  /** The entries stored at these seqs of a place, undefined where absent. */
  readStoredEntriesAt(place: ChainPlace, seqs: number[]): Promise<(AuditEntry | undefined)[]>;
  /** Creates consecutive entries at a place (one batch per segment), the head hint after them when `moveHead`; false when a seq was taken. */
  createEntriesAt(place: ChainPlace, entries: AuditEntry[], moveHead: boolean): Promise<boolean>;
  /** Names `segment` as the chain's latest at a segmented place. */
  pointAt(place: ChainPlace, segment: number): Promise<void>;
  /** Records that the chain now lives in segments (never moved back). */
  markSegmented(orgId: string): Promise<void>;
}

const cosmosRecords: AuditMigrationStore = {
  listChains: () => listChains(),
  readChainLayout,
  unsegmentedPlace,
  segmentedPlace,
  closeFence,
  readHeadAt,
  readEntryAt,
  readStoredEntriesAt,
  createEntriesAt,
  pointAt,
  markSegmented,
};

/** The audit chain migration, over a store. */
export function auditMigration(store: AuditMigrationStore) {
  async function migrateAuditChains(log: Pick<Logger, 'warn'>, options: MigrationOptions = {}): Promise<MigrationRun> {
    const run: MigrationRun = { migrated: [], alreadySegmented: 0, failed: [] };
    for await (const orgId of store.listChains()) {
      if ((await store.readChainLayout(orgId)) === 'segmented') {
        run.alreadySegmented += 1;
        continue;
      }
      try {
        run.migrated.push({ orgId, entries: await migrateChain(orgId, options) });
      } catch (error) {
        log.warn('Audit chain migration stopped for a chain; the next run resumes it', { orgId, error: error instanceof Error ? error.message : String(error) });
        run.failed.push({ orgId });
      }
    }
    return run;
  }

  async function migrateChain(orgId: string, options: MigrationOptions): Promise<number> {
    const from = store.unsegmentedPlace(orgId);
    const to = store.segmentedPlace(orgId);
    let copied = await copyRest(from, to, options);
    // From here no write reaches the old place; appends answer 503 until the switch below.
    await store.closeFence(orgId);
    copied += await copyRest(from, to, options);
    const original = await chainEnd(from);
    const copy = original ? await store.readEntryAt(to, original.seq) : undefined;
    if (original && copy?.hash !== original.hash) throw new Error(`The copy of ${orgId}'s chain does not hold its last entry (${original.seq}).`);
    await store.markSegmented(orgId);
    return copied;
  }

  /** The last entry at a place: its head hint, then forward while entries follow. */
  async function chainEnd(place: ChainPlace): Promise<Pick<AuditEntry, 'seq' | 'hash'> | undefined> {
    let last = await store.readHeadAt(place);
    for (let next = await store.readEntryAt(place, (last?.seq ?? 0) + 1); next; next = await store.readEntryAt(place, next.seq + 1)) last = next;
    return last;
  }

  /**
   * Copies the entries of `from` after the end of the copy at `to`, page by page, in seq order, up
   * to the original's end as it is when the copy starts. Seqs the original no longer has stay
   * gaps (the verifier reports them, as it did before). A page partly written by a run that
   * stopped is completed; an entry that differs from the original stops the copy.
   */
  async function copyRest(from: ChainPlace, to: ChainPlace, options: MigrationOptions): Promise<number> {
    const pageSize = Math.min(options.pageSize ?? MAX_BATCH_OPERATIONS - 1, MAX_BATCH_OPERATIONS - 1);
    const end = (await chainEnd(from))?.seq ?? 0;
    let copied = 0;
    for (let first = ((await store.readHeadAt(to))?.seq ?? 0) + 1; first <= end; first += pageSize) {
      await options.beforePage?.(from.orgId, first);
      const seqs = Array.from({ length: Math.min(pageSize, end - first + 1) }, (_, i) => first + i);
      const [originals, copies] = await Promise.all([store.readStoredEntriesAt(from, seqs), store.readStoredEntriesAt(to, seqs)]);
      const missing: AuditEntry[] = [];
      for (const [i, original] of originals.entries()) {
        const copy = copies[i];
        if (copy && !(original && sameEntry(copy, original))) throw new Error(`Entry ${seqs[i]} of ${from.orgId} differs from its original; the copy stops there.`);
        if (original && !copy) missing.push(original);
      }
      if (missing.length > 0 && !(await store.createEntriesAt(to, missing, true))) throw new Error(`Entries from ${first} of ${from.orgId} could not be written.`);
      // The pointer names the segment copied last, even where the original lacks a segment's first entry.
      if (missing.length > 0) await store.pointAt(to, to.segmentOf(missing.at(-1)!.seq));
      copied += missing.length;
    }
    return copied;
  }

  return { migrateAuditChains };
}

export const { migrateAuditChains } = auditMigration(cosmosRecords);

/** The copy holds the original's hash and its own content seals to it (the stored hash alone could sit over other content). */
function sameEntry(copy: AuditEntry, original: AuditEntry): boolean {
  const { hash, ...sealed } = toAuditEntry(copy);
  return hash === original.hash && hashEntry(sealed) === hash;
}
