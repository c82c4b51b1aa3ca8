import type { Logger } from '../telemetry/logger';
import { authorizeAudited, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { adoptLegacyKeyDoc, type MatchKeyDoc } from '../matching/matchkey-repository';
import { matchPendingId } from '../matching/match-pending-repository';
import { adoptLegacyRecord, type IdempotencyDoc } from '../events/idempotency-repository';
import { copyIfAbsent, dropLegacy, legacyPage, type LegacyContainer } from './legacy-records-repository';

/*
 * Moves the documents of containers that became sharded (docs/decisions/0004) from the container
 * before shards into the sharded one, after a deployment: each document is taken in (copied, or
 * merged with what intake wrote under its id since; see the repositories' adopt functions), then
 * deleted from the old container. Resumable at any point: what is left in the old container is
 * what remains to move, and taking a document in twice changes nothing the second time.
 */

export interface ShardMigrationRun {
  /** Documents moved by this run, per container. */
  moved: { container: LegacyContainer; documents: number }[];
  /** Documents this run could not move (logged; they stay where they were for the next run). */
  failed: number;
}

const ADOPT: Record<LegacyContainer, (doc: never, now: Date) => Promise<void>> = {
  'matchkeys-unsharded': (doc: MatchKeyDoc) => adoptLegacyKeyDoc(doc),
  'idempotency-unsharded': (doc: IdempotencyDoc, now) => adoptLegacyRecord(doc, now),
  // Events, profiles, the plate index, matching requests and outbox documents: each by its own id.
  // A matching request takes the id the matcher now clears (it used to be "match-pending:<event id>").
  'events-unsharded': (doc: { id: string; orgId: string; docType?: string; eventId?: string }) =>
    copyIfAbsent('events', doc.docType === 'match-pending' && doc.eventId ? { ...doc, id: matchPendingId(doc.eventId) } : doc),
  'links-unsharded': (doc: { id: string; orgId: string }) => copyIfAbsent('links', doc),
};

export async function migrateToShards(log: Pick<Logger, 'warn'>, now = new Date(), pageSize = 100): Promise<ShardMigrationRun> {
  const run: ShardMigrationRun = { moved: [], failed: 0 };
  for (const name of Object.keys(ADOPT) as LegacyContainer[]) {
    let moved = 0;
    for (;;) {
      const page = await legacyPage<{ id: string; orgId: string }>(name, pageSize);
      let progress = 0;
      for (const doc of page) {
        try {
          await ADOPT[name](doc as never, now);
          await dropLegacy(name, doc);
          progress += 1;
        } catch (error) {
          log.warn('A document was not moved into its shard; the next run retries it', { container: name, orgId: doc.orgId, error: error instanceof Error ? error.message : String(error) });
          run.failed += 1;
        }
      }
      moved += progress;
      // Done, or nothing on this page would move: the next run tries again.
      if (page.length < pageSize || progress === 0) break;
    }
    run.moved.push({ container: name, documents: moved });
  }
  return run;
}

/** The job on demand (PlatformAdmin; docs/operations.md): resumable, safe to run again. */
export async function runShardMigrationJob(caller: Caller, log: Pick<Logger, 'warn'>): Promise<ShardMigrationRun> {
  await authorizeAudited(caller, 'job.run', await callerOrgType(caller), { type: 'job', id: 'shard-migrate' });
  return migrateToShards(log);
}
