import { MAX_BATCH_OPERATIONS } from '../adapters/cosmos-batch';
import { deleteBlob, EVIDENCE, listBlobPage, QUARANTINE, UPLOADS } from '../adapters/evidence-blobs';
import { readEventDocs, type EventDoc } from '../events/event-repository';
import { readEvidenceDocs, type EvidenceDoc } from '../evidence/evidence-repository';
import { purgeEvidenceOfEvent } from '../evidence/event-evidence';
import type { SweepStateDoc } from './aggregate-repository';

const EVIDENCE_ID = /^[A-Za-z0-9-]{8,64}$/;

export interface OrphanOptions {
  now: Date;
  /** Blobs younger than this are left alone, so an upload in flight (record not yet visible) survives. */
  minAgeMs: number;
  /** Blobs looked at per container per run; the scan resumes from `state` next time. */
  maxBlobs: number;
}

export interface OrphanResult {
  blobsDeleted: number;
  /** Evidence records (and their blobs) whose event no longer exists. */
  recordsPurged: number;
  /** Whether some container's scan stopped before its end. */
  more: boolean;
}

/** What the orphan-evidence scan lists, reads and deletes: the blob store and the repositories in the app, in-memory blobs and records in unit tests of this logic. */
export interface OrphanEvidenceStore {
  /** One page of at most `maxPageSize` blobs of a container whose names start with `prefix`, from `continuationToken` (the start without); `next` is null at the container's end. */
  listBlobPage(containerName: string, prefix: string, maxPageSize: number, continuationToken?: string): Promise<{ blobs: { name: string; lastModified: Date }[]; next: string | null }>;
  /** Up to 100 evidence records of a retailer in one round trip, in the order of `ids` (undefined: none). */
  readEvidenceDocs(retailerId: string, ids: readonly string[]): Promise<(EvidenceDoc | undefined)[]>;
  /** Up to 100 event documents of a retailer in one round trip, in the order of `ids` (undefined: none; a purging one is still there). */
  readEventDocs(retailerId: string, ids: readonly string[]): Promise<(EventDoc | undefined)[]>;
  /** Deletes a blob; false when it was not there. */
  deleteBlob(containerName: string, name: string): Promise<boolean>;
  /** Every evidence item of the event: a custody entry, its blobs in every container, then its record; how many items. */
  purgeEvidenceOfEvent(retailerId: string, eventId: string): Promise<number>;
}

const cosmosRecords: OrphanEvidenceStore = {
  listBlobPage,
  readEvidenceDocs,
  readEventDocs,
  deleteBlob: (containerName, name) => deleteBlob(containerName, name),
  purgeEvidenceOfEvent,
};

/** The orphan-evidence scan, over a store. */
export function orphanEvidenceSweeping(store: OrphanEvidenceStore) {
  /**
   * Evidence blobs whose record is gone, and records whose event is gone, in one retailer's
   * `<orgId>/` prefix of each evidence container. Purges leave none (records go after their
   * blobs, events after their records), but an upload that raced a purge, or a delete that
   * storage refused for a while, can. A bounded page per container per run, resumed from the
   * bookmark in `state`: the scan's cost per run is fixed, and it comes round to every blob.
   */
  async function sweepOrphanEvidence(retailerId: string, state: SweepStateDoc, options: OrphanOptions): Promise<OrphanResult> {
    const result: OrphanResult = { blobsDeleted: 0, recordsPurged: 0, more: false };
    const prefix = `${retailerId}/`;
    const oldEnough = options.now.getTime() - options.minAgeMs;
    const orphanEvents = new Set<string>();
    for (const containerName of [UPLOADS, EVIDENCE, QUARANTINE]) {
      const page = await store.listBlobPage(containerName, prefix, options.maxBlobs, state.orphanScan[containerName] ?? undefined);
      state.orphanScan[containerName] = page.next;
      if (page.next) result.more = true;
      const candidates = page.blobs.filter((b) => b.lastModified.getTime() <= oldEnough).map((b) => b.name);
      for (let i = 0; i < candidates.length; i += MAX_BATCH_OPERATIONS) {
        const names = candidates.slice(i, i + MAX_BATCH_OPERATIONS);
        const ids = names.map((n) => n.slice(prefix.length));
        // A name that is not an evidence id has no record by construction.
        const valid = ids.filter((id) => EVIDENCE_ID.test(id));
        const found = new Map((await store.readEvidenceDocs(retailerId, valid)).map((r, j) => [valid[j]!, r]));
        const records = ids.map((id) => found.get(id));
        for (const [j, record] of records.entries()) {
          if (!record) {
            if (await store.deleteBlob(containerName, names[j]!)) result.blobsDeleted += 1;
          } else if (Date.parse(record.createdAt) <= oldEnough) orphanEvents.add(record.eventId);
        }
      }
    }
    const eventIds = [...orphanEvents];
    for (let i = 0; i < eventIds.length; i += MAX_BATCH_OPERATIONS) {
      const ids = eventIds.slice(i, i + MAX_BATCH_OPERATIONS);
      const events = await store.readEventDocs(retailerId, ids);
      // An event still present (even one being purged) keeps its evidence: its own purge removes it.
      for (const [j, event] of events.entries()) if (!event) result.recordsPurged += await store.purgeEvidenceOfEvent(retailerId, ids[j]!);
    }
    return result;
  }

  return { sweepOrphanEvidence };
}

export const { sweepOrphanEvidence } = orphanEvidenceSweeping(cosmosRecords);
