import { digestLine, digestRecordFor, parseDigestLines, type DigestRecord } from '../domain/audit-digest';
import { appendText, downloadText, listBlobNames } from '../adapters/append-blobs';
import { chainHead } from './audit-log';
import { listChains } from './audit-registry-repository';
import type { AuditEntry } from '../domain/audit-chain';
import type { blobContainers } from '../adapters/cosmos-containers';
import type { Logger } from '../telemetry/logger';

/*
 * Digests: each chain's head, written to append blobs in `audit-digests`, one blob per chain
 * per year: `<orgId>/<yyyy>.jsonl`, one JSON record per line. Per chain, so verifying a chain
 * reads only its own records (a few hundred bytes a day), never another tenant's; per year,
 * so no blob comes near the 50,000-block limit of an append blob (one block per record). In
 * Azure the container is meant to carry a time-based retention policy with protected append
 * writes, so records can be added but never changed or removed.
 */
const CONTAINER = 'audit-digests';
const CONTENT_TYPE = 'application/x-ndjson';

export const digestBlobName = (orgId: string, at: Date): string => `${orgId}/${at.getUTCFullYear()}.jsonl`;

export interface DigestRun {
  digestedAt: string;
  /** What was appended, one record per chain that has entries. */
  written: (DigestRecord & { blob: string })[];
  /** Chains whose head could not be read or written this time (logged; retried on the next run). */
  failed: { orgId: string }[];
}

type BlobContainerName = (typeof blobContainers)[number];

/** What the digests read and write: the chain, its registry and the append blobs in the app, in-memory chains and blobs in unit tests of this logic. */
export interface AuditDigestStore {
  /** Every registered chain's organisation, a page at a time. */
  listChains(): AsyncIterator<string>;
  /** The chain's last entry (undefined: it has none). */
  chainHead(orgId: string): Promise<AuditEntry | undefined>;
  /** Appends text to an append blob, creating it (with its content type) if it is not there. */
  appendText(containerName: BlobContainerName, blobName: string, text: string, contentType: string): Promise<void>;
  /** The names of a container's blobs that start with `prefix`, in order. */
  listBlobNames(containerName: BlobContainerName, prefix: string): Promise<string[]>;
  /** A blob's content as UTF-8 text. */
  downloadText(containerName: BlobContainerName, blobName: string): Promise<string>;
}

const cosmosRecords: AuditDigestStore = {
  listChains: () => listChains(),
  chainHead: (orgId) => chainHead(orgId),
  appendText,
  listBlobNames,
  downloadText,
};

/** The audit digests, over a store. */
export function auditDigests(store: AuditDigestStore) {
  /**
   * Appends every registered chain's current head to its digest blob. The daily timer and the
   * admin endpoint both run exactly this. Re-running is harmless: a second record of the same
   * head is one more anchor. Chains are handled a few at a time, so the run's memory does not
   * grow with their number beyond the answer itself.
   */
  async function runAuditDigest(
    log: Pick<Logger, 'warn'>,
    now = new Date(),
    concurrency = 8,
  ): Promise<DigestRun> {
    const result: DigestRun = { digestedAt: now.toISOString(), written: [], failed: [] };
    const chains = store.listChains();
    const worker = async (): Promise<void> => {
      for (let next = await chains.next(); !next.done; next = await chains.next()) {
        const orgId = next.value;
        try {
          const head = await store.chainHead(orgId);
          if (!head) continue;
          const record = digestRecordFor(orgId, head, now);
          const blob = digestBlobName(orgId, now);
          await store.appendText(CONTAINER, blob, digestLine(record), CONTENT_TYPE);
          result.written.push({ ...record, blob });
        } catch (error) {
          log.warn('Audit digest failed for a chain', { orgId, error: error instanceof Error ? error.message : String(error) });
          result.failed.push({ orgId });
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    result.written.sort((a, b) => a.orgId.localeCompare(b.orgId));
    return result;
  }

  /** Every digest record of one chain, from all its blobs; `unreadable` counts lines that are not records. */
  async function readDigests(orgId: string): Promise<{ records: DigestRecord[]; unreadable: number }> {
    const records: DigestRecord[] = [];
    let unreadable = 0;
    for (const name of await store.listBlobNames(CONTAINER, `${orgId}/`)) {
      const parsed = parseDigestLines(await store.downloadText(CONTAINER, name));
      records.push(...parsed.records.filter((r) => r.orgId === orgId));
      unreadable += parsed.unreadable;
    }
    return { records, unreadable };
  }

  return { runAuditDigest, readDigests };
}

export const { runAuditDigest, readDigests } = auditDigests(cosmosRecords);
