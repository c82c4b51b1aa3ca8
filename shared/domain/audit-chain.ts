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
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

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
 * Verifies entries fed in seq order, in constant memory, so an export of any length can be
 * checked as it streams. The first entry's prevHash is trusted unless `startsAtGenesis`
 * (a range export starts mid-chain); every later link, every hash and the seq run are checked.
 */
export class ChainVerifier {
  private count = 0;
  private badSeq: number | null = null;
  private lastSeq: number | null = null;
  private lastHash: string | null = null;

  constructor(private readonly startsAtGenesis = false) {}

  push(entry: AuditEntry): void {
    this.count += 1;
    if (this.badSeq !== null) return;
    const { hash, ...rest } = entry;
    const linked =
      this.lastHash === null
        ? !this.startsAtGenesis || (entry.seq === 1 && entry.prevHash === GENESIS_HASH)
        : entry.prevHash === this.lastHash && entry.seq === (this.lastSeq ?? 0) + 1;
    if (!linked || hashEntry(rest) !== hash) this.badSeq = Number.isInteger(entry.seq) ? entry.seq : -1;
    this.lastSeq = entry.seq;
    this.lastHash = hash;
  }

  /** An entry that is not even shaped like one breaks the chain at the seq after the last good one. */
  pushMalformed(): void {
    this.count += 1;
    if (this.badSeq === null) this.badSeq = (this.lastSeq ?? 0) + 1;
  }

  verdict(): ChainVerdict {
    return { ok: this.badSeq === null, entries: this.count, firstBadSeq: this.badSeq };
  }
}

export function verifyChain(entries: Iterable<AuditEntry>, startsAtGenesis = true): ChainVerdict {
  const verifier = new ChainVerifier(startsAtGenesis);
  for (const e of entries) verifier.push(e);
  return verifier.verdict();
}
