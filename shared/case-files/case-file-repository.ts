import type { Principal } from '../domain/principal';
import type { Purpose } from '../domain/police-purpose';
import type { OrgType } from '../domain/organisation';
import type { CaseFile } from '../domain/case-files/case-file-schema';
import { container, holderOf, readIfExists, withoutSystemProperties } from '../adapters/cosmos-containers';
import { isNotFound, isPreconditionFailed } from '../adapters/cosmos-errors';
import { createAudited, type OutboxEntry } from '../audit/audit-outbox-repository';

/** A case file as stored, in its requester's partition of `case-files`. */
export interface CaseFileDoc extends CaseFile {
  orgId: string;
  docType: 'case-file';
  /** Who asked, as the build and every download decide visibility for them (the token's facts; no secret). */
  requester: { principal: Principal; orgType: OrgType; purpose: Purpose | null; requestId: string };
  /** The ids as asked for: the build decides again what of them the requester may see. */
  requested: { eventIds: string[]; profileIds: string[] };
  /** The retailers whose data it holds: each one's chain records the build and every download. */
  owners: string[];
  /** The ZIP once ready: one blob per build attempt, so a superseded attempt never overwrites the one kept. */
  blobName: string | null;
  /** What of each event went in (manifest.ts contentVersion): a correction or an erasure since makes the file out of date. */
  eventVersions: Record<string, string>;
  /** The build attempt holding it, renewed while it streams; a status read queues another only once this has lapsed. */
  claim: { id: string; until: string } | null;
  attempts: number;
  updatedAt: string;
  /** Set by each build write: a write refused as stale (412) may be the builder's own, applied with its answer lost and retried. */
  writeId?: string;
  _etag?: string;
}

/** The case file with its entry's outbox document, in one batch; false when one of its id exists (createAudited). */
export function insertCaseFile(doc: CaseFileDoc, audit: Omit<OutboxEntry, 'where'>): Promise<boolean> {
  return createAudited(doc.orgId, doc, { ...audit, where: 'case-files-audit-outbox' });
}

/** The organisation holding a case file of this id, whoever it is (asked on the path of a 404 only). */
export const caseFileHolder = (id: string): Promise<string | undefined> => holderOf('case-files', 'case-file', id);

export async function readCaseFile(orgId: string, id: string): Promise<CaseFileDoc | undefined> {
  const doc = await readIfExists<CaseFileDoc>('case-files', orgId, id);
  return doc?.docType === 'case-file' ? doc : undefined;
}

/** Replaces only the version read; undefined when another writer changed or removed it first. */
export async function replaceCaseFile(doc: CaseFileDoc): Promise<CaseFileDoc | undefined> {
  const body = withoutSystemProperties(doc);
  try {
    const { resource } = await container('case-files')
      .item(doc.id, doc.orgId)
      .replace<CaseFileDoc>(body, doc._etag ? { accessCondition: { type: 'IfMatch', condition: doc._etag } } : {});
    return resource;
  } catch (error) {
    if (isNotFound(error) || isPreconditionFailed(error)) return undefined;
    throw error;
  }
}
