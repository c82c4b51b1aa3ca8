import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from './canonical-json';

/** prevHash of the first entry of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/** Details hold ids, counts and flags only: never personal values. */
export const AuditDetailsSchema = z.record(
  z.string(),
  z.union([z.string().max(256), z.number(), z.boolean(), z.null(), z.array(z.string().max(256)).max(100)]),
);

export const AuditOutcomeSchema = z.enum(['success', 'denied', 'failure']);

export const AuditActorSchema = z.object({
  sub: z.string(),
  org: z.string().nullable(),
  roles: z.array(z.string()),
});

export const AuditEntrySchema = z.object({
  seq: z.number().int().min(1),
  at: z.string(),
  actor: AuditActorSchema,
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  outcome: AuditOutcomeSchema,
  requestId: z.string(),
  details: AuditDetailsSchema,
  prevHash: Sha256Hex,
  hash: Sha256Hex,
});
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
export type AuditActor = z.infer<typeof AuditActorSchema>;

/** What a caller records; the chain adds seq, time and hashes. */
export type AuditDraft = Omit<AuditEntry, 'seq' | 'at' | 'prevHash' | 'hash' | 'details'> & {
  details?: AuditEntry['details'];
};

/** hash = SHA-256(prevHash ‖ canonical JSON of the entry without `hash`). */
export function hashEntry(entry: Omit<AuditEntry, 'hash'>): string {
  return createHash('sha256').update(entry.prevHash).update(canonicalJson(entry)).digest('hex');
}

export function sealEntry(draft: AuditDraft, seq: number, prevHash: string, at: Date): AuditEntry {
  const unsealed: Omit<AuditEntry, 'hash'> = {
    seq,
    at: at.toISOString(),
    actor: draft.actor,
    action: draft.action,
    target: draft.target,
    outcome: draft.outcome,
    requestId: draft.requestId,
    details: draft.details ?? {},
    prevHash,
  };
  return { ...unsealed, hash: hashEntry(unsealed) };
}

/** Only the fields the hash covers, from a stored document that may carry more. */
export function toAuditEntry(doc: AuditEntry): AuditEntry {
  const { seq, at, actor, action, target, outcome, requestId, details, prevHash, hash } = doc;
  return { seq, at, actor, action, target, outcome, requestId, details, prevHash, hash };
}

export interface ChainVerdict {
  ok: boolean;
  entries: number;
  firstBadSeq: number | null;
}

/**
 * Why a chain breaks where it does: `hash` the entry does not hash to its own `hash`
 * (changed); `link` its prevHash is not the previous entry's hash (an entry before it was
 * changed and re-hashed, or a foreign entry was inserted); `seq` the seq run jumps or
 * repeats (removed, reordered or inserted entries; the reported seq is the first one out of
 * place); `genesis` seq 1 does not start from GENESIS_HASH; `missing` the store has no entry
 * at a seq inside the run; `malformed` a line that is not an entry at all.
 */
export type ChainBreakReason = 'hash' | 'link' | 'seq' | 'genesis' | 'missing' | 'malformed';

export interface ChainBreak {
  seq: number;
  reason: ChainBreakReason;
}

/**
 * Verifies entries fed in seq order, in constant memory, so an export of any length can be
 * checked as it streams. The first entry's prevHash is trusted unless `startsAtGenesis`
 * (a range export starts mid-chain); every later link, every hash and the seq run are checked.
 */
export class ChainVerifier {
  private count = 0;
  private broken: ChainBreak | null = null;
  private lastSeq: number | null = null;
  private lastHash: string | null = null;

  constructor(private readonly startsAtGenesis = false) {}

  push(entry: AuditEntry): void {
    this.count += 1;
    if (this.broken) return;
    const { hash, ...rest } = entry;
    if (this.lastSeq === null) {
      if (this.startsAtGenesis && entry.seq !== 1) this.breakAt(Math.min(1, entry.seq), 'seq');
      else if (this.startsAtGenesis && entry.prevHash !== GENESIS_HASH) this.breakAt(1, 'genesis');
    } else if (entry.seq !== this.lastSeq + 1) {
      // A jump forward means the seqs in between are gone: the first of them is the break.
      this.breakAt(entry.seq > this.lastSeq + 1 ? this.lastSeq + 1 : entry.seq, 'seq');
    } else if (entry.prevHash !== this.lastHash) {
      this.breakAt(entry.seq, 'link');
    }
    if (!this.broken && hashEntry(rest) !== hash) this.breakAt(entry.seq, 'hash');
    this.lastSeq = entry.seq;
    this.lastHash = hash;
  }

  /** An entry that is not even shaped like one breaks the chain at the seq after the last good one. */
  pushMalformed(): void {
    this.count += 1;
    this.breakAt((this.lastSeq ?? 0) + 1, 'malformed');
  }

  /** The reader knows the store has no entry at `seq`, inside the run it was asked for. */
  pushMissing(seq: number): void {
    this.breakAt(seq, 'missing');
    this.lastSeq = seq;
    this.lastHash = null;
  }

  /** The first break, with its reason; null while the chain holds. */
  failure(): ChainBreak | null {
    return this.broken;
  }

  verdict(): ChainVerdict {
    return { ok: this.broken === null, entries: this.count, firstBadSeq: this.broken?.seq ?? null };
  }

  private breakAt(seq: number, reason: ChainBreakReason): void {
    if (this.broken === null) this.broken = { seq: Number.isInteger(seq) ? seq : -1, reason };
  }
}

export function verifyChain(entries: Iterable<AuditEntry>, startsAtGenesis = true): ChainVerdict {
  const verifier = new ChainVerifier(startsAtGenesis);
  for (const e of entries) verifier.push(e);
  return verifier.verdict();
}
