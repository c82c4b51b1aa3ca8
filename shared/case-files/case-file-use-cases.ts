import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Action } from '../domain/authorization';
import type { CaseFile, CaseFileInput, Jwks } from '../domain/case-files/case-file-schema';
import { auditDraftFor, auditFor, authorizeAudited, type Caller } from '../audit/audited-authorize';
import { settleFreshAudit } from '../audit/audit-outbox';
import { callerOrgType } from '../orgs/org-use-cases';
import { enqueue } from '../adapters/queues';
import { caseFileUrl } from '../adapters/case-file-blobs';
import { caseFileSigner } from '../adapters/signing-key';
import { visibleEvents } from './case-file-contents';
import { insertCaseFile, readCaseFile, type CaseFileDoc } from './case-file-repository';

/** The queue the builds go through (functions/case-files-build.function.ts). */
export const CASE_FILE_QUEUE = 'case-file-builds';
/** A download URL lives this long, like evidence's (PRODUCT §3: at most 5 minutes). */
export const CASE_FILE_URL_TTL_MS = 5 * 60 * 1000;
/** A build not finished by then is sent again when its status is read (its message may have been lost). */
const STALLED_MS = 2 * 60 * 1000;

const view = (doc: CaseFileDoc): CaseFile => ({
  id: doc.id,
  title: doc.title,
  status: doc.status,
  eventIds: doc.eventIds,
  profileIds: doc.profileIds,
  omitted: doc.omitted,
  createdAt: doc.createdAt,
  createdBy: doc.createdBy,
  readyAt: doc.readyAt,
  size: doc.size,
  sha256: doc.sha256,
  failure: doc.failure,
});

async function authorizeFor(caller: Caller, action: Action, id: string) {
  const orgType = await callerOrgType(caller);
  await authorizeAudited(caller, action, orgType, { type: 'case-file', id });
  return orgType!;
}

/** A case file of the caller's own organisation; any other answers 404, like one that does not exist. */
async function ownCaseFile(caller: Caller, id: string): Promise<CaseFileDoc> {
  const orgId = caller.principal.orgId;
  const doc = orgId ? await readCaseFile(orgId, id) : undefined;
  if (!doc) throw new NotFoundError();
  return doc;
}

/**
 * Accepts a case file over the events (and the requester's own retailer's profiles) the requester
 * may see, recorded with its audit entry in the requester's chain, and queues its build. Ids the
 * requester may not see are left out and counted; when none of the events is visible, 404.
 */
export async function createCaseFile(caller: Caller, input: CaseFileInput, now = new Date()): Promise<CaseFile> {
  const orgType = await authorizeFor(caller, 'casefile.create', '*');
  const { events, omitted } = await visibleEvents(caller, input.eventIds);
  if (!events.length) throw new NotFoundError('None of these events exists or is visible to you.');
  const orgId = caller.principal.orgId!;
  const id = randomUUID();
  const profileIds = input.profileIds ?? [];
  const doc: CaseFileDoc = {
    id,
    orgId,
    docType: 'case-file',
    title: input.title,
    status: 'building',
    eventIds: events.map((e) => e.event.id),
    profileIds,
    omitted: { events: omitted, profiles: 0 },
    createdAt: now.toISOString(),
    createdBy: caller.principal.sub,
    readyAt: null,
    size: null,
    sha256: null,
    failure: null,
    requester: { principal: caller.principal, orgType, purpose: caller.purpose ?? null, requestId: caller.requestId },
    requested: { eventIds: input.eventIds, profileIds },
    owners: [...new Set(events.map((e) => e.event.retailerId))].sort(),
    blobName: `${orgId}/${id}.zip`,
    attempts: 0,
    updatedAt: now.toISOString(),
  };
  const entry = {
    key: `casefile.create:${id}`,
    draft: auditDraftFor(caller, {
      action: 'casefile.create',
      target: { type: 'case-file', id },
      details: { eventIds: doc.eventIds, profileIds, omittedEvents: omitted },
    }),
  };
  await insertCaseFile(doc, entry);
  await settleFreshAudit(orgId, { ...entry, where: 'case-files-audit-outbox' });
  await enqueue(CASE_FILE_QUEUE, { orgId, id });
  return view(doc);
}

/** Its status; a build that stalled (its message lost) is queued again. */
export async function getCaseFile(caller: Caller, id: string, now = new Date()): Promise<CaseFile> {
  await authorizeFor(caller, 'casefile.read', id);
  const doc = await ownCaseFile(caller, id);
  if (doc.status === 'building' && now.getTime() - Date.parse(doc.updatedAt) > STALLED_MS) await enqueue(CASE_FILE_QUEUE, { orgId: doc.orgId, id });
  await auditFor(caller, doc.orgId, { action: 'casefile.read', target: { type: 'case-file', id }, details: { status: doc.status } });
  return view(doc);
}

/**
 * A read-only URL of the ZIP for five minutes (MFA). Visibility is asked again first: an event
 * whose sharing was withdrawn since the build makes the file out of date (409), never readable.
 * The download is recorded in each owning retailer's chain and in the requester's own.
 */
export async function caseFileContentUrl(caller: Caller, id: string, now = new Date()): Promise<string> {
  await authorizeFor(caller, 'casefile.download', id);
  const doc = await ownCaseFile(caller, id);
  const target = { type: 'case-file', id };
  if (doc.status !== 'ready') {
    await auditFor(caller, doc.orgId, { action: 'casefile.download', target, outcome: 'denied', details: { code: 'CASE_FILE_NOT_READY', status: doc.status } });
    throw new ConflictError('CASE_FILE_NOT_READY', `The case file is ${doc.status}; it can be downloaded once it is ready.`);
  }
  const { omitted } = await visibleEvents(caller, doc.eventIds);
  if (omitted) {
    await auditFor(caller, doc.orgId, { action: 'casefile.download', target, outcome: 'denied', details: { code: 'CASE_FILE_OUT_OF_DATE', notVisible: omitted } });
    throw new ConflictError('CASE_FILE_OUT_OF_DATE', `${omitted} of its events can no longer be seen by you (sharing changed or they were deleted); ask for a new case file.`);
  }
  const expiresAt = new Date(now.getTime() + CASE_FILE_URL_TTL_MS);
  const details = { requesterOrg: doc.orgId, sha256: doc.sha256, urlExpiresAt: expiresAt.toISOString() };
  for (const owner of doc.owners) await auditFor(caller, owner, { action: 'casefile.download', target, details });
  if (!doc.owners.includes(doc.orgId)) await auditFor(caller, doc.orgId, { action: 'casefile.download', target, details });
  return caseFileUrl(doc.blobName, expiresAt, `case-file-${id}.zip`);
}

/** The public keys case files are signed with (every enabled version), for verifiers. */
export async function signingKeys(): Promise<Jwks> {
  return { keys: await caseFileSigner().publicKeys() };
}
