import { ChainVerifier } from '../domain/audit-chain';
import { DigestCheck, withDigests } from '../domain/audit-digest';
import { callerOrgType } from '../orgs/org-use-cases';
import { readDigests, runAuditDigest, type DigestRun } from './audit-digests';
import { migrateAuditChains, type MigrationRun } from './audit-migration';
import { auditFor, authorizeAudited, type Caller } from './audited-authorize';
import type { ChainRange } from './audit-entry-repository';
import { readRun, resolveRun } from './audit-run-reader';
import type { Logger } from '../telemetry/logger';

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  firstBadSeq: number | null;
  /** Digested heads (outside the database) that fell in the verified run and were compared. */
  digestsChecked: number;
}

/**
 * Streams the run the range selects through the verifier: every hash recomputed, every link
 * and the seq run checked, a seq the store no longer has reported as missing. A run from
 * seq 1 must start at the genesis hash, which proves nothing was removed from the front.
 * The run is also checked against the chain's digests, so a history rewritten and re-hashed
 * in the database, or cut short, is found at the first digested seq it contradicts.
 */
export async function verifyAuditChain(caller: Caller, range: ChainRange): Promise<AuditVerdict> {
  const orgId = caller.principal.orgId ?? '';
  await authorizeAudited(caller, 'audit.verify', await callerOrgType(caller), { type: 'audit-chain', id: orgId });
  const run = await resolveRun(orgId, range);
  const digests = await readDigests(orgId);
  const check = new DigestCheck(digests.records, { orgId, firstSeq: run.firstSeq, lastSeq: range.to ? run.lastSeq : null });
  const verifier = new ChainVerifier(run.firstSeq === 1);
  for await (const { seq, entry } of readRun(orgId, run)) {
    if (!entry) {
      verifier.pushMissing(seq);
      continue;
    }
    verifier.push(entry);
    check.see(entry);
  }
  const verdict = withDigests(verifier.verdict(), check.verdict());
  await auditFor(caller, orgId, {
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
export async function runAuditDigestJob(
  caller: Caller,
  log: Pick<Logger, 'warn'>,
): Promise<DigestRun> {
  await authorizeAudited(caller, 'job.run', await callerOrgType(caller), { type: 'job', id: 'audit-digest' });
  return runAuditDigest(log);
}

/** Moves the chains begun before segments into segments (PlatformAdmin; docs/operations.md): resumable, safe to run again. */
export async function runAuditMigrationJob(caller: Caller, log: Pick<Logger, 'warn'>): Promise<MigrationRun> {
  await authorizeAudited(caller, 'job.run', await callerOrgType(caller), { type: 'job', id: 'audit-migrate' });
  return migrateAuditChains(log);
}
