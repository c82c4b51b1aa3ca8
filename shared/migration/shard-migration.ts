import type { Logger } from '../telemetry/logger';
import type { ContainerName } from '../adapters/cosmos-containers';
import { authorizeAudited, type Caller } from '../audit/audited-authorize';
import { callerOrgType } from '../orgs/org-use-cases';
import { adoptLegacyKeyDoc, type MatchKeyDoc } from '../matching/matchkey-repository';
import { matchPendingId } from '../matching/match-pending-repository';
import { adoptLegacyRecord, type IdempotencyDoc } from '../events/idempotency-repository';
import { copyIfAbsent, dropLegacy, legacyPages, readLegacy, type LegacyContainer } from './legacy-records-repository';
import { adoptLegacyPlateDoc, type PlateIndexDoc } from '../lpr/plate-index-repository';

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

/** What the shard migration reads, copies and deletes: the old and the sharded containers in the app, in-memory records in unit tests of this logic. */
export interface ShardMigrationStore {
  /** Refuses (audited) a caller who may not perform `action` on the target. */
  authorize(caller: Caller, action: 'job.run', target: { type: string; id: string }): Promise<void>;
  /** The documents still in a container from before shards, in pages of `pageSize`, read once from start to end; none once the container is deleted. */
  legacyPages(name: LegacyContainer, pageSize: number): AsyncIterable<{ id: string; orgId: string }[]>;
  /** One document still in a container from before shards, or undefined. */
  readLegacy(name: LegacyContainer, orgId: string, id: string): Promise<LegacyRecord | undefined>;
  /** Copies a document as it is into its sharded successor (the shard of its id), unless one with its id is there already. */
  copyIfAbsent(name: ContainerName, doc: { id: string; orgId: string }): Promise<void>;
  /** Removes a document that has been taken into its sharded successor. */
  dropLegacy(name: LegacyContainer, doc: { id: string; orgId: string }): Promise<void>;
  /** A match-key document taken in: copied, or merged into the one intake wrote since, marked so a second time changes nothing. */
  adoptLegacyKeyDoc(doc: MatchKeyDoc): Promise<void>;
  /** An Idempotency-Key record taken in while it lasts, unless the key has been used since. */
  adoptLegacyRecord(doc: IdempotencyDoc, now: Date): Promise<void>;
  /** A plate document's entries added to the one intake may have written since under its id. */
  adoptLegacyPlateDoc(doc: PlateIndexDoc): Promise<void>;
}

const cosmosRecords: ShardMigrationStore = {
  authorize: async (caller, action, target) => authorizeAudited(caller, action, await callerOrgType(caller), target),
  legacyPages: (name, pageSize) => legacyPages(name, pageSize),
  readLegacy: (name, orgId, id) => readLegacy<LegacyRecord>(name, orgId, id),
  copyIfAbsent,
  dropLegacy,
  adoptLegacyKeyDoc,
  adoptLegacyRecord,
  adoptLegacyPlateDoc,
};

type LegacyRecord = { id: string; orgId: string; docType?: string; eventId?: string; proofId?: string };

/** The shard migration and the job that runs it on demand, over a store. */
export function shardMigration(store: ShardMigrationStore) {
  const ADOPT: Record<LegacyContainer, (doc: never, now: Date) => Promise<void>> = {
    'matchkeys-unsharded': (doc: MatchKeyDoc) => store.adoptLegacyKeyDoc(doc),
    'idempotency-unsharded': (doc: IdempotencyDoc, now) => store.adoptLegacyRecord(doc, now),
    'events-unsharded': (doc: LegacyRecord) => adoptRecord(doc),
    'links-unsharded': (doc: { id: string; orgId: string }) => store.copyIfAbsent('links', doc),
    'evidence-unsharded': (doc: LegacyRecord) => adoptAfterProof(doc, 'evidence-unsharded', 'evidence'),
    'lpr-alerts-unsharded': (doc: LegacyRecord) => adoptAfterProof(doc, 'lpr-alerts-unsharded', 'lpr-alerts'),
  };

  /**
   * Events, profiles, merge records: each copied by its own id. A matching request takes the id the
   * matcher now clears (it was "match-pending:<event id>"). A plate document is merged with the one
   * intake may have written for the same plate since. An outbox document goes after the change it
   * describes (its proof), or the audit sweep, not finding the change, would drop its entry.
   */
  async function adoptRecord(doc: LegacyRecord): Promise<void> {
    if (doc.docType === 'plate-index') return store.adoptLegacyPlateDoc(doc as unknown as PlateIndexDoc);
    if (doc.docType === 'match-pending' && doc.eventId) return store.copyIfAbsent('events', { ...doc, id: matchPendingId(doc.eventId) });
    await adoptAfterProof(doc, 'events-unsharded', 'events', adoptRecord);
  }

  /** A document copied by its id; an outbox document only after the record it proves (evidence, alerts, events). */
  async function adoptAfterProof(doc: LegacyRecord, from: LegacyContainer, to: ContainerName, adoptProof = (proof: LegacyRecord) => store.copyIfAbsent(to, proof)): Promise<void> {
    if (doc.docType === 'audit-outbox' && doc.proofId) {
      const proof = await store.readLegacy(from, doc.orgId, doc.proofId);
      if (proof) await adoptProof(proof);
    }
    await store.copyIfAbsent(to, doc);
  }

  async function migrateToShards(log: Pick<Logger, 'warn'>, now = new Date(), pageSize = 100): Promise<ShardMigrationRun> {
    const run: ShardMigrationRun = { moved: [], failed: 0 };
    for (const name of Object.keys(ADOPT) as LegacyContainer[]) {
      let moved = 0;
      // Each document once: one that fails stays where it is for the next run, and the rest go on.
      for await (const page of store.legacyPages(name, pageSize)) {
        for (const doc of page) {
          try {
            await ADOPT[name](doc as never, now);
            await store.dropLegacy(name, doc);
            moved += 1;
          } catch (error) {
            log.warn('A document was not moved into its shard; the next run retries it', { container: name, orgId: doc.orgId, error: error instanceof Error ? error.message : String(error) });
            run.failed += 1;
          }
        }
      }
      run.moved.push({ container: name, documents: moved });
    }
    return run;
  }

  /** The job on demand (PlatformAdmin; docs/operations.md): resumable, safe to run again. */
  async function runShardMigrationJob(caller: Caller, log: Pick<Logger, 'warn'>): Promise<ShardMigrationRun> {
    await store.authorize(caller, 'job.run', { type: 'job', id: 'shard-migrate' });
    return migrateToShards(log);
  }

  return { migrateToShards, runShardMigrationJob };
}

export const { migrateToShards, runShardMigrationJob } = shardMigration(cosmosRecords);
