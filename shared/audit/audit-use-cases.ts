import { ChainVerifier } from '../domain/audit-chain';
import { DigestCheck, withDigests, type DigestRecord } from '../domain/audit-digest';
import { callerOrgType } from '../orgs/org-use-cases';
import { readDigests, runAuditDigest, type DigestRun } from './audit-digests';
import { migrateAuditChains, type MigrationRun } from './audit-migration';
import { auditFor, authorizeAudited, type AuditOf, type Caller } from './audited-authorize';
import type { ChainRange } from './audit-entry-repository';
import { readRun, resolveRun, type RunItem, type SeqRun } from './audit-run-reader';
import type { Logger } from '../telemetry/logger';

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  firstBadSeq: number | null;
  /** Digested heads (outside the database) that fell in the verified run and were compared. */
  digestsChecked: number;
}

/** What the audit use cases read and run: the chain's repositories and jobs in the app, a chain in memory in unit tests of this logic. */
export interface AuditStore {
  /** Refuses (audited) a caller who may not perform `action` on the target. */
  authorize(caller: Caller, action: 'audit.verify' | 'job.run', target: { type: string; id: string }): Promise<void>;
  /** The run of seqs a time range selects (no `from`: seq 1; no `to`: the head as it is now). */
  resolveRun(orgId: string, range: ChainRange): Promise<SeqRun>;
  /** Each seq of the run in order, with its entry or nothing where the store has none. */
  readRun(orgId: string, run: SeqRun): AsyncIterable<RunItem>;
  /** The chain's digested heads, kept outside the database. */
  readDigests(orgId: string): Promise<{ records: DigestRecord[] }>;
  /** An entry in the organisation's chain. */
  audit(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
  runAuditDigest(log: Pick<Logger, 'warn'>): Promise<DigestRun>;
  migrateAuditChains(log: Pick<Logger, 'warn'>): Promise<MigrationRun>;
}

const cosmosRecords: AuditStore = {
  authorize: async (caller, action, target) => authorizeAudited(caller, action, await callerOrgType(caller), target),
  resolveRun,
  readRun: (orgId, run) => readRun(orgId, run),
  readDigests,
  audit: auditFor,
  runAuditDigest,
  migrateAuditChains,
};

/** Verifying a chain and the chain's jobs on demand (PRODUCT §10), over a store. */
export function auditUseCases(store: AuditStore) {
  /**
   * Streams the run the range selects through the verifier: every hash recomputed, every link
   * and the seq run checked, a seq the store no longer has reported as missing. A run from
   * seq 1 must start at the genesis hash, which proves nothing was removed from the front.
   * The run is also checked against the chain's digests, so a history rewritten and re-hashed
   * in the database, or cut short, is found at the first digested seq it contradicts.
   */
  async function verifyAuditChain(caller: Caller, range: ChainRange): Promise<AuditVerdict> {
    const orgId = caller.principal.orgId ?? '';
    await store.authorize(caller, 'audit.verify', { type: 'audit-chain', id: orgId });
    const run = await store.resolveRun(orgId, range);
    const digests = await store.readDigests(orgId);
    const check = new DigestCheck(digests.records, { orgId, firstSeq: run.firstSeq, lastSeq: range.to ? run.lastSeq : null });
    const verifier = new ChainVerifier(run.firstSeq === 1);
    for await (const { seq, entry } of store.readRun(orgId, run)) {
      if (!entry) {
        verifier.pushMissing(seq);
        continue;
      }
      verifier.push(entry);
      check.see(entry);
    }
    const verdict = withDigests(verifier.verdict(), check.verdict());
    await store.audit(caller, orgId, {
      action: 'audit.verify',
      target: { type: 'audit-chain', id: orgId },
      details: {
        ok: verdict.ok,
        entries: verdict.entries,
        firstBadSeq: verdict.firstBadSeq,
        digestsChecked: verdict.digestsChecked,
        from: range.from ?? null,
        to: range.to ?? null,
      },
    });
    return verdict;
  }

  /** The digest job on demand (PlatformAdmin): the same run as the daily timer. */
  async function runAuditDigestJob(caller: Caller, log: Pick<Logger, 'warn'>): Promise<DigestRun> {
    await store.authorize(caller, 'job.run', { type: 'job', id: 'audit-digest' });
    return store.runAuditDigest(log);
  }

  /** Moves the chains begun before segments into segments (PlatformAdmin; docs/operations.md): resumable, safe to run again. */
  async function runAuditMigrationJob(caller: Caller, log: Pick<Logger, 'warn'>): Promise<MigrationRun> {
    await store.authorize(caller, 'job.run', { type: 'job', id: 'audit-migrate' });
    return store.migrateAuditChains(log);
  }

  return { verifyAuditChain, runAuditDigestJob, runAuditMigrationJob };
}

export const { verifyAuditChain, runAuditDigestJob, runAuditMigrationJob } = auditUseCases(cosmosRecords);
