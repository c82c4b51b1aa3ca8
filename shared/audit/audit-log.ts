import {
  GENESIS_HASH,
  sealEntry,
  toAuditEntry,
  type AuditDraft,
  type AuditEntry,
} from '../domain/audit-chain';
import { container } from '../adapters/cosmos-containers';
import { isConflict, isNotFound } from '../adapters/cosmos-errors';
import { registerChain } from './audit-registry';

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
/** Appends to one chain from this process run one after another, so they never race each other. */
const queues = new Map<string, Promise<unknown>>();

/**
 * Appends one entry to an organisation's chain.
 *
 * Safe under concurrent appends without transactions: the entry's id is derived from its
 * seq, so two writers (other processes, other instances) racing for the same seq collide on
 * create (409) and the loser moves on to the next seq, linking to the winner's hash. The
 * chain itself is the truth; the "head" document and the in-process tail are only hints
 * that save walking it, and may lag.
 */
export function appendAudit(orgId: string, draft: AuditDraft, now = () => new Date()): Promise<AuditEntry> {
  const previous = queues.get(orgId) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => appendNow(orgId, draft, now));
  queues.set(orgId, next);
  void next.finally(() => {
    if (queues.get(orgId) === next) queues.delete(orgId);
  }).catch(() => undefined);
  return next;
}

async function appendNow(orgId: string, draft: AuditDraft, now: () => Date): Promise<AuditEntry> {
  const audit = container('audit');
  const head = knownTails.get(orgId) ?? (await readHead(orgId));
  let seq = (head?.seq ?? 0) + 1;
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (;;) {
    // A new chain is registered before its first entry, so the digest job can never miss it.
    if (seq === 1) await registerChain(orgId);
    const entry = sealEntry(draft, seq, prevHash, now());
    const doc: EntryDoc = { ...entry, id: entryId(seq), orgId, docType: 'audit-entry' };
    try {
      await audit.items.create(doc);
      knownTails.set(orgId, { seq, hash: entry.hash });
      if (seq % HEAD_EVERY === 0 || seq === 1) await advanceHead(orgId, entry);
      return entry;
    } catch (error) {
      if (!isConflict(error)) throw error;
      // Someone else holds this seq. When the head hint is further on (another instance wrote
      // many entries since this process last appended), jump there instead of walking.
      const hint = await readHead(orgId);
      if (hint && hint.seq > seq) {
        seq = hint.seq + 1;
        prevHash = hint.hash;
        continue;
      }
      const winner = await readEntry(orgId, seq);
      if (!winner) throw error;
      prevHash = winner.hash;
      seq += 1;
    }
  }
}

export async function readEntry(orgId: string, seq: number): Promise<AuditEntry | undefined> {
  try {
    const { resource } = await container('audit').item(entryId(seq), orgId).read<EntryDoc>();
    return resource ? toAuditEntry(resource) : undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function readHead(orgId: string): Promise<HeadDoc | undefined> {
  try {
    const { resource } = await container('audit').item(HEAD_ID, orgId).read<HeadDoc>();
    return resource ?? undefined;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/**
 * Records the new tail in the head hint with one blind write. Another instance may
 * overwrite it with an older seq; that only costs the next cold reader a few point reads
 * walking forward, never correctness.
 */
export async function advanceHead(orgId: string, entry: Pick<AuditEntry, 'seq' | 'hash'>): Promise<void> {
  const head: HeadDoc = { id: HEAD_ID, orgId, seq: entry.seq, hash: entry.hash };
  await container('audit').items.upsert(head);
}

/** The last entry of the chain: the head hint, checked by walking forward past it. */
export async function chainHead(orgId: string): Promise<AuditEntry | undefined> {
  const head = await readHead(orgId);
  let last = head ? await readEntry(orgId, head.seq) : undefined;
  let seq = (head?.seq ?? 0) + 1;
  for (let next = await readEntry(orgId, seq); next; next = await readEntry(orgId, ++seq)) last = next;
  return last;
}
