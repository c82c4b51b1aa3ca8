import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { AuditEntrySchema, ChainVerifier, type ChainBreakReason } from '../../shared/domain/audit-chain';
import { DigestCheck, type DigestRecord } from '../../shared/domain/audit-digest';

export interface ExportCheckOptions {
  /** The seq the export must start at (its `x-audit-first-seq`); by default the file's first line says. */
  first?: number;
  /** The seq the export must end at (its `x-audit-last-seq`); by default wherever the file ends. */
  last?: number;
  /** Digest records of this chain (from its digest blobs): every digested seq in the file must carry the digested hash. */
  digests?: { orgId: string; records: DigestRecord[] };
}

export interface ExportCheck {
  ok: boolean;
  entries: number;
  firstSeq: number | null;
  lastSeq: number | null;
  /** Hash of the last entry: compare it with a digest or a later export. */
  lastHash: string | null;
  firstBadSeq: number | null;
  reason: ChainBreakReason | 'digest' | 'range' | null;
  /** 1-based line of the first break, when a line shows it. */
  line: number | null;
  digestsChecked: number;
}

/**
 * Verifies an exported chain (JSONL) line by line, in constant memory: every line must be an
 * entry, every hash must recompute, every prevHash must be the previous line's hash, and
 * the seqs must run without a gap or repeat. An export starting at seq 1 must start at the
 * genesis hash. What a file cannot show about itself (lines cut off its start or end) is
 * checked against `first`/`last` and the digests when given.
 */
export async function verifyExportLines(lines: AsyncIterable<string>, options: ExportCheckOptions = {}): Promise<ExportCheck> {
  let verifier: ChainVerifier | undefined;
  let digest: DigestCheck | undefined;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  let lastHash: string | null = null;
  let lineNo = 0;
  let breakLine: number | null = null;
  const start = (seq: number): ChainVerifier => {
    const expectedFirst = options.first ?? seq;
    if (options.digests) digest = new DigestCheck(options.digests.records, { orgId: options.digests.orgId, firstSeq: expectedFirst, lastSeq: null });
    return new ChainVerifier(expectedFirst === 1);
  };
  for await (const raw of lines) {
    lineNo += 1;
    const line = raw.trim();
    if (line === '') continue;
    let parsed: ReturnType<typeof AuditEntrySchema.safeParse> | undefined;
    try {
      parsed = AuditEntrySchema.safeParse(JSON.parse(line));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      verifier ??= start(options.first ?? (lastSeq ?? 0) + 1);
      verifier.pushMalformed();
    } else {
      const entry = parsed.data;
      verifier ??= start(entry.seq);
      firstSeq ??= entry.seq;
      verifier.push(entry);
      digest?.see(entry);
      lastSeq = entry.seq;
      lastHash = entry.hash;
    }
    if (breakLine === null && verifier.failure()) breakLine = lineNo;
  }

  const chain = verifier?.verdict() ?? { ok: true, entries: 0, firstBadSeq: null };
  const failure = verifier?.failure() ?? null;
  let firstBadSeq = chain.firstBadSeq;
  let reason: ExportCheck['reason'] = failure?.reason ?? null;
  const candidate = (seq: number, why: ExportCheck['reason']): void => {
    if (firstBadSeq === null || seq < firstBadSeq) {
      firstBadSeq = seq;
      reason = why;
      breakLine = null;
    }
  };
  if (options.first !== undefined && firstSeq !== null && firstSeq !== options.first) {
    candidate(Math.min(options.first, firstSeq), 'range');
  }
  if (options.first !== undefined && firstSeq === null && options.last !== undefined && options.last >= options.first) {
    candidate(options.first, 'range');
  }
  if (options.last !== undefined && (lastSeq ?? (options.first ?? 1) - 1) < options.last) {
    candidate((lastSeq ?? (options.first ?? 1) - 1) + 1, 'range');
  }
  if (options.last !== undefined && lastSeq !== null && lastSeq > options.last) candidate(options.last + 1, 'range');
  const digests = digest?.verdict(options.last ?? lastSeq ?? undefined);
  if (digests?.firstBadSeq != null) candidate(digests.firstBadSeq, 'digest');

  return {
    ok: firstBadSeq === null,
    entries: chain.entries,
    firstSeq,
    lastSeq,
    lastHash,
    firstBadSeq,
    reason,
    line: firstBadSeq === null ? null : breakLine,
    digestsChecked: digests?.checked ?? 0,
  };
}

/** Lines of a file, read as a stream (an export of any length). */
export function fileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
}
