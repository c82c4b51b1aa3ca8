import {
  GENESIS_HASH,
  sealEntry,
  toAuditEntry,
  type AuditDraft,
  type AuditEntry,
} from '../domain/audit-chain';
import { createOperation, MAX_BATCH_OPERATIONS, readBatch, tryBatch, upsertOperation } from '../adapters/cosmos-batch';
import { container, readIfExists } from '../adapters/cosmos-containers';
import { isConflict } from '../adapters/cosmos-errors';
import { registerChain } from './audit-registry';
import { GroupCommit, REQUEST_PATH_LINGER_MS } from '../batching/group-commit';

/** Zero-padded so ids sort like seq; the id is what makes a racing append collide. */
export const entryId = (seq: number): string => `entry:${String(seq).padStart(12, '0')}`;
const HEAD_ID = 'head';
/** The head hint is written every this many entries: a reader without it walks at most this far. */
const HEAD_EVERY = 16;

interface HeadDoc {
  id: typeof HEAD_ID;
  orgId: string;
  seq: number;
  hash: string;
}
type EntryDoc = AuditEntry & { id: string; orgId: string; docType: 'audit-entry' };

/** The last entry this process wrote or saw per chain: saves reading the head on every append. */
const knownTails = new Map<string, { seq: number; hash: string }>();

interface Pending {
  draft: AuditDraft;
  now: () => Date;
}

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
export function appendAudit(orgId: string, draft: AuditDraft, now = () => new Date()): Promise<AuditEntry> {
  return chains.submit(orgId, { draft, now });
}

// One operation of a batch is kept for the head hint.
const chains = new GroupCommit<Pending, AuditEntry>((orgId, group) => appendGroup(orgId, group), MAX_BATCH_OPERATIONS - 1, REQUEST_PATH_LINGER_MS);

async function appendGroup(orgId: string, group: Pending[]): Promise<AuditEntry[]> {
  const head = knownTails.get(orgId) ?? (await readHead(orgId));
  let tail = { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
  // A new chain is registered before its first entry, so the digest job can never miss it.
  if (tail.seq === 0) await registerChain(orgId);
  const sealed: AuditEntry[] = [];
  for (const p of group) {
    const entry = sealEntry(p.draft, tail.seq + 1, tail.hash, p.now());
    sealed.push(entry);
    tail = { seq: entry.seq, hash: entry.hash };
  }
  // A batch for several entries, or for one that moves the head hint (which rides in it).
  const batched = group.length > 1 || headDue(sealed);
  if (batched && (await createAll(orgId, sealed))) {
    knownTails.set(orgId, { seq: tail.seq, hash: tail.hash });
    return sealed;
  }
  // One entry, or a batch that lost a race: entry by entry, keeping what the batch did write.
  const written: AuditEntry[] = [];
  if (batched) {
    const stored = await readBatch<EntryDoc>('audit', orgId, sealed.map((e) => entryId(e.seq)));
    for (const [i, e] of sealed.entries()) {
      if (stored[i]?.hash !== e.hash) break;
      written.push(e);
    }
    if (written.length) await wrote(orgId, written);
  }
  for (const p of group.slice(written.length)) written.push(await appendOne(orgId, p));
  return written;
}

/**
 * Creates consecutive entries in one transactional batch, with the head hint after them when
 * they move it; false when one of their seqs was taken (or the store refused the batch), and
 * then, in Azure, nothing was written (the local server may have written the entries before).
 */
async function createAll(orgId: string, entries: AuditEntry[]): Promise<boolean> {
  const operations = entries.map((e) => createOperation({ ...e, id: entryId(e.seq), orgId, docType: 'audit-entry' } satisfies EntryDoc));
  if (headDue(entries)) operations.push(upsertOperation(headDoc(orgId, entries.at(-1)!)));
  return (await tryBatch('audit', orgId, operations)) !== undefined;
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
  if (headDue(entries)) await advanceHead(orgId, last);
}

function headDoc(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): HeadDoc {
  return { id: HEAD_ID, orgId, seq: entry.seq, hash: entry.hash };
}

async function appendOne(orgId: string, p: Pending): Promise<AuditEntry> {
  const audit = container('audit');
  const head = knownTails.get(orgId) ?? (await readHead(orgId));
  let seq = (head?.seq ?? 0) + 1;
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (;;) {
    if (seq === 1) await registerChain(orgId);
    const entry = sealEntry(p.draft, seq, prevHash, p.now());
    const doc: EntryDoc = { ...entry, id: entryId(seq), orgId, docType: 'audit-entry' };
    try {
      await audit.items.create(doc);
      await wrote(orgId, [entry]);
      return entry;
    } catch (error) {
      if (!isConflict(error)) throw error;
      const holder = await readEntry(orgId, seq);
      if (holder?.hash === entry.hash) {
        // Our own create, applied although its answer was lost (a dropped connection, then the retry's 409).
        await wrote(orgId, [entry]);
        return entry;
      }
      // Someone else holds this seq. When the head hint is further on (another instance wrote
      // many entries since this process last appended), jump there instead of walking.
      const hint = await readHead(orgId);
      if (hint && hint.seq > seq) {
        seq = hint.seq + 1;
        prevHash = hint.hash;
        continue;
      }
      if (!holder) throw error;
      prevHash = holder.hash;
      seq += 1;
    }
  }
}

export async function readEntry(orgId: string, seq: number): Promise<AuditEntry | undefined> {
  const resource = await readIfExists<EntryDoc>('audit', orgId, entryId(seq));
  return resource ? toAuditEntry(resource) : undefined;
}

async function readHead(orgId: string): Promise<HeadDoc | undefined> {
  return readIfExists<HeadDoc>('audit', orgId, HEAD_ID);
}

/**
 * Records the new tail in the head hint with one blind write. Another instance may
 * overwrite it with an older seq; that only costs the next cold reader a few point reads
 * walking forward, never correctness.
 */
export async function advanceHead(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): Promise<void> {
  await container('audit').items.upsert(headDoc(orgId, entry));
}

/** The last entry of the chain: the head hint, checked by walking forward past it. */
export async function chainHead(orgId: string): Promise<AuditEntry | undefined> {
  const head = await readHead(orgId);
  let last = head ? await readEntry(orgId, head.seq) : undefined;
  let seq = (head?.seq ?? 0) + 1;
  for (let next = await readEntry(orgId, seq); next; next = await readEntry(orgId, ++seq)) last = next;
  return last;
}

/**
 * Whether the chain holds an entry of this action and target (and of this request, when given): a
 * query in the one partition, asked only when recovering (audit-outbox.ts, a redelivered queue
 * message), never on the hot path.
 */
export async function chainHolds(orgId: string, draft: Pick<AuditDraft, 'action' | 'target'> & { requestId?: string }): Promise<boolean> {
  const { resources } = await container('audit')
    .items.query<number>(
      {
        query: `SELECT TOP 1 VALUE c.seq FROM c WHERE c.orgId = @orgId AND c.docType = 'audit-entry' AND c.action = @action AND c.target.id = @target${draft.requestId === undefined ? '' : ' AND c.requestId = @requestId'}`,
        parameters: [
          { name: '@orgId', value: orgId },
          { name: '@action', value: draft.action },
          { name: '@target', value: draft.target.id },
          ...(draft.requestId === undefined ? [] : [{ name: '@requestId', value: draft.requestId }]),
        ],
      },
      { partitionKey: orgId },
    )
    .fetchAll();
  return resources.length > 0;
}
