import {
  GENESIS_HASH,
  sealEntry,
  toAuditEntry,
  type AuditDraft,
  type AuditEntry,
} from '../domain/audit-chain';
import { container } from '../adapters/cosmos-containers';
import { isConflict, isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';

/** Zero-padded so ids sort like seq; the id is what makes a racing append collide. */
export const entryId = (seq: number): string => `entry:${String(seq).padStart(12, '0')}`;
const HEAD_ID = 'head';

interface HeadDoc {
  id: typeof HEAD_ID;
  orgId: string;
  seq: number;
  hash: string;
  _etag?: string;
}
type EntryDoc = AuditEntry & { id: string; orgId: string; docType: 'audit-entry' };

/**
 * Appends one entry to an organisation's chain.
 *
 * Safe under concurrent appends without transactions: the entry's id is derived from its
 * seq, so two writers racing for the same seq collide on create (409) and the loser moves
 * on to the next seq, linking to the winner's hash. The chain itself is the truth; the
 * "head" document is only a hint that saves walking it, and may lag after a crash.
 */
export async function appendAudit(orgId: string, draft: AuditDraft, now = () => new Date()): Promise<AuditEntry> {
  const audit = container('audit');
  const head = await readHead(orgId);
  let seq = (head?.seq ?? 0) + 1;
  let prevHash = head?.hash ?? GENESIS_HASH;
  for (;;) {
    const entry = sealEntry(draft, seq, prevHash, now());
    const doc: EntryDoc = { ...entry, id: entryId(seq), orgId, docType: 'audit-entry' };
    try {
      await audit.items.create(doc);
      await advanceHead(orgId, entry, head);
      return entry;
    } catch (error) {
      if (!isConflict(error)) throw error;
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

/** Moves the hint forward, never back; losing this race is harmless. */
async function advanceHead(orgId: string, entry: AuditEntry, seen: HeadDoc | undefined): Promise<void> {
  const next: HeadDoc = { id: HEAD_ID, orgId, seq: entry.seq, hash: entry.hash };
  let current = seen;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (current && current.seq >= entry.seq) return;
    try {
      if (!current) {
        await container('audit').items.create(next);
      } else {
        await container('audit')
          .item(HEAD_ID, orgId)
          .replace(next, { accessCondition: { type: 'IfMatch', condition: current._etag ?? '' } });
      }
      return;
    } catch (error) {
      if (!isConflict(error) && !isPreconditionFailed(error) && !isNotFound(error)) throw error;
      current = await readHead(orgId);
    }
  }
}

/** The last entry of the chain: the head hint, checked by walking forward past it. */
export async function chainHead(orgId: string): Promise<AuditEntry | undefined> {
  const head = await readHead(orgId);
  let last = head ? await readEntry(orgId, head.seq) : undefined;
  let seq = (head?.seq ?? 0) + 1;
  for (let next = await readEntry(orgId, seq); next; next = await readEntry(orgId, ++seq)) last = next;
  return last;
}
