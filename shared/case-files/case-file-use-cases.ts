import { randomUUID } from 'node:crypto';
import { ConflictError, GoneError, NotFoundError } from '../domain/errors';
import type { Action } from '../domain/authorization';
import type { OrgType } from '../domain/organisation';
import type { CaseFile, CaseFileInput, Jwks } from '../domain/case-files/case-file-schema';
import { contentVersion } from '../domain/case-files/manifest';
import { auditDraftFor, auditFor, authorizeAudited, outsiderAttempt, type AuditOf, type Caller } from '../audit/audited-authorize';
import type { OutboxDraft } from '../audit/audit-outbox-repository';
import { settleFreshAudit, settleOverdueAudit } from '../audit/audit-outbox';
import { callerOrgType } from '../orgs/org-use-cases';
import { enqueue } from '../adapters/queues';
import { caseFileUrl } from '../adapters/case-file-blobs';
import { caseFileSigner } from '../adapters/signing-key';
import { visibleEvents, visibleProfiles } from './case-file-contents';
import type { VisibleEvent } from '../sharing/event-access';
import { caseFileHolder, insertCaseFile, readCaseFile, replaceCaseFile, type CaseFileDoc } from './case-file-repository';
import { assertNoSensitiveText } from '../domain/screening';

/** The queue the builds go through (functions/case-files-build.function.ts). */
export const CASE_FILE_QUEUE = 'case-file-builds';
/** A download URL lives this long, like evidence's (PRODUCT §3: at most 5 minutes). */
export const CASE_FILE_URL_TTL_MS = 5 * 60 * 1000;
/** A build not finished by then is sent again when its status is read (its message may have been lost). */
const STALLED_MS = 2 * 60 * 1000;

/** What the case-file use cases read and write: the repositories, the queue and blob storage in the app, in-memory records in unit tests of this logic. */
export interface CaseFileStore {
  /** Refuses (audited) a caller who may not perform `action` on the case file; answers the caller's organisation type. */
  authorize(caller: Caller, action: Action, id: string): Promise<OrgType>;
  /** The events the caller may see now, and how many of `ids` they may not. */
  visibleEvents(caller: Caller, ids: readonly string[], action: string): Promise<{ events: VisibleEvent[]; omitted: number }>;
  /** How many of the profiles the caller may no longer see (erased, or out of their reach). */
  visibleProfiles(caller: Caller, orgType: OrgType, ids: readonly string[], now: Date): Promise<{ profiles: { id: string }[]; omitted: number }>;
  /** Creates the case file with its entry in the same batch; false when one of its id was there already (nothing written). */
  insertCaseFile(doc: CaseFileDoc, entry: OutboxDraft): Promise<boolean>;
  readCaseFile(orgId: string, id: string): Promise<CaseFileDoc | undefined>;
  /** Replaces the version read; undefined when another write came first. */
  replaceCaseFile(doc: CaseFileDoc): Promise<CaseFileDoc | undefined>;
  /** Sends the build to the builders' queue. */
  queueBuild(message: { orgId: string; id: string }): Promise<void>;
  /** Appends an entry just written with its change, and clears its outbox document. */
  settleFreshAudit(orgId: string, entry: OutboxDraft): Promise<void>;
  /** Appends the entry another attempt left in the outbox under `key`, once it is overdue (that attempt may still be running). */
  settleOverdueAudit(orgId: string, key: string): Promise<void>;
  /** An entry in an organisation's chain. */
  audit(caller: Caller, orgId: string, entry: AuditOf): Promise<unknown>;
  /** The organisation holding a case file of this id (asked on the path of a 404 only). */
  caseFileOwner(id: string): Promise<string | undefined>;
  /** A read-only URL of the built ZIP until `expiresOn`. */
  caseFileUrl(blobName: string, expiresOn: Date, fileName: string): Promise<string>;
}

const cosmosRecords: CaseFileStore = {
  authorize: async (caller, action, id) => {
    const orgType = await callerOrgType(caller);
    await authorizeAudited(caller, action, orgType, { type: 'case-file', id });
    return orgType!;
  },
  visibleEvents,
  visibleProfiles,
  insertCaseFile,
  readCaseFile,
  replaceCaseFile,
  queueBuild: (message) => enqueue(CASE_FILE_QUEUE, message),
  settleFreshAudit: (orgId, entry) => settleFreshAudit(orgId, { ...entry, where: 'case-files-audit-outbox' }),
  settleOverdueAudit: async (orgId, key) => void (await settleOverdueAudit(orgId, key, 'case-files-audit-outbox')),
  audit: auditFor,
  caseFileOwner: caseFileHolder,
  caseFileUrl,
};

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
  expiresAt: doc.expiresAt,
  size: doc.size,
  sha256: doc.sha256,
  failure: doc.failure,
});

/** Case files (PRODUCT §10c), over a store. */
export function caseFileUseCases(store: CaseFileStore) {
  /** A case file of the caller's own organisation; any other answers 404, like one that does not exist, and is in its holder's chain. */
  async function ownCaseFile(caller: Caller, id: string, action: string): Promise<CaseFileDoc> {
    const orgId = caller.principal.orgId;
    const doc = orgId ? await store.readCaseFile(orgId, id) : undefined;
    if (!doc) {
      const owner = await store.caseFileOwner(id);
      if (owner && owner !== orgId) await store.audit(caller, owner, outsiderAttempt(action, { type: 'case-file', id }));
      throw new NotFoundError();
    }
    return doc;
  }

  /**
   * Accepts a case file over the events (and the requester's own retailer's profiles) the requester
   * may see, recorded with its audit entry in the requester's chain, and queues its build. Ids the
   * requester may not see are left out and counted; when none of the events is visible, 404.
   */
  async function createCaseFile(caller: Caller, input: CaseFileInput, id: string = randomUUID(), now = new Date()): Promise<CaseFile> {
    const orgType = await store.authorize(caller, 'casefile.create', '*');
    const key = `casefile.create:${id}`;
    /**
     * An Idempotency-Key's retry that took over from a first attempt which wrote the case file (and
     * died, or is still running): that case file, answered whatever changed since (the client must
     * learn the id of what was stored), its build queued (the builder skips one already taken) and
     * its entry appended once: by that attempt, or once overdue by this one or the sweep.
     */
    const theirs = async (doc: CaseFileDoc): Promise<CaseFile> => {
      await store.queueBuild({ orgId: doc.orgId, id });
      await store.settleOverdueAudit(doc.orgId, key);
      return view(doc);
    };
    const written = caller.principal.orgId ? await store.readCaseFile(caller.principal.orgId, id) : undefined;
    if (written) return theirs(written);
    // Free text that goes into the summary a prosecutor reads: screened as every other (PRODUCT §2);
    // after the takeover above, whose client must learn the id of what an earlier attempt stored.
    assertNoSensitiveText([{ path: 'title', text: input.title }]);
    const { events, omitted } = await store.visibleEvents(caller, input.eventIds, 'casefile.create');
    if (!events.length) throw new NotFoundError('None of these events exists or is visible to you.');
    const orgId = caller.principal.orgId!;
    const requestedProfiles = input.profileIds ?? [];
    // The profiles the file can hold, as the build will find them (police read events, not profiles; another retailer's or an erased one is not there): the answer says so at once.
    const profileIds = (await store.visibleProfiles(caller, orgType, requestedProfiles, now)).profiles.map((p) => p.id);
    const doc: CaseFileDoc = {
      id,
      orgId,
      docType: 'case-file',
      title: input.title,
      status: 'building',
      eventIds: events.map((e) => e.event.id),
      profileIds,
      omitted: { events: omitted, profiles: requestedProfiles.length - profileIds.length },
      createdAt: now.toISOString(),
      createdBy: caller.principal.sub,
      readyAt: null,
      expiresAt: null,
      size: null,
      sha256: null,
      failure: null,
      requester: { principal: caller.principal, orgType, purpose: caller.purpose ?? null, requestId: caller.requestId },
      requested: { eventIds: input.eventIds, profileIds: requestedProfiles },
      owners: [...new Set(events.map((e) => e.event.retailerId))].sort(),
      blobName: null,
      eventVersions: {},
      claim: null,
      attempts: 0,
      updatedAt: now.toISOString(),
    };
    const entry = {
      key,
      draft: auditDraftFor(caller, {
        action: 'casefile.create',
        target: { type: 'case-file', id },
        details: { eventIds: doc.eventIds, profileIds, omittedEvents: omitted },
      }),
    };
    if (!(await store.insertCaseFile(doc, entry))) {
      // Written meanwhile under the same id by the attempt this one took over from.
      const stored = await store.readCaseFile(orgId, id);
      if (!stored) throw new ConflictError('CASE_FILE_GONE', 'The case file written under this Idempotency-Key is gone; ask again with another key.');
      return theirs(stored);
    }
    // Queued first: an entry left in the outbox is appended by its sweep, a build never queued by no one.
    await store.queueBuild({ orgId, id });
    await store.settleFreshAudit(orgId, entry);
    return view(doc);
  }

  /**
   * Its status. A build that stalled (never taken, or its attempt's hold lapsed: the message lost,
   * the worker gone) is queued again, once: the read that marks it wins the write, the others see it
   * marked.
   */
  async function getCaseFile(caller: Caller, id: string, now = new Date()): Promise<CaseFile> {
    await store.authorize(caller, 'casefile.read', id);
    const doc = await ownCaseFile(caller, id, 'casefile.read');
    const stalled = doc.status === 'building' && (doc.claim ? Date.parse(doc.claim.until) : Date.parse(doc.updatedAt) + STALLED_MS) < now.getTime();
    // Not the builder's write: it must not carry the builder's write id (Claim.save tells its own writes by it).
    if (stalled && (await store.replaceCaseFile({ ...doc, claim: null, writeId: undefined, updatedAt: now.toISOString() }))) await store.queueBuild({ orgId: doc.orgId, id });
    await store.audit(caller, doc.orgId, { action: 'casefile.read', target: { type: 'case-file', id }, details: { status: doc.status } });
    return view(doc);
  }

  /**
   * The events of a ready case file as the caller sees them now, and why it may no longer be handed
   * out: what it copied has changed (a correction, an erasure), gone or stopped being visible.
   */
  async function stillCurrent(caller: Caller, doc: CaseFileDoc, now: Date): Promise<{ events: VisibleEvent[]; stale?: string }> {
    const { events } = await store.visibleEvents(caller, doc.eventIds, 'casefile.download');
    const version = (eventId: string) => {
      const found = events.find((e) => e.event.id === eventId);
      return found && contentVersion(found.event);
    };
    const changed = doc.eventIds.filter((eventId) => version(eventId) !== doc.eventVersions[eventId]);
    if (changed.length) return { events, stale: `${changed.length} of its events changed, were deleted or can no longer be seen by you since it was built` };
    const { omitted } = await store.visibleProfiles(caller, doc.requester.orgType, doc.profileIds, now);
    if (omitted) return { events, stale: `${omitted} of its profiles were erased or can no longer be seen by you since it was built` };
    return { events };
  }

  /**
   * A read-only URL of the ZIP for five minutes (MFA). Visibility is asked again first: an event
   * whose sharing was withdrawn since the build makes the file out of date (409), never readable.
   * The download is recorded in each owning retailer's chain and in the requester's own.
   */
  async function caseFileContentUrl(caller: Caller, id: string, now = new Date()): Promise<string> {
    await store.authorize(caller, 'casefile.download', id);
    const doc = await ownCaseFile(caller, id, 'casefile.download');
    const target = { type: 'case-file', id };
    if (doc.status !== 'ready') {
      await store.audit(caller, doc.orgId, { action: 'casefile.download', target, outcome: 'denied', details: { code: 'CASE_FILE_NOT_READY', status: doc.status } });
      throw new ConflictError('CASE_FILE_NOT_READY', `The case file is ${doc.status}; it can be downloaded once it is ready.`);
    }
    if (doc.expiresAt && Date.parse(doc.expiresAt) <= now.getTime()) {
      await store.audit(caller, doc.orgId, { action: 'casefile.download', target, outcome: 'denied', details: { code: 'CASE_FILE_EXPIRED' } });
      throw new GoneError(`The case file expired on ${doc.expiresAt}; ask for a new one.`, 'CASE_FILE_EXPIRED');
    }
    const { events, stale } = await stillCurrent(caller, doc, now);
    if (stale) {
      await store.audit(caller, doc.orgId, { action: 'casefile.download', target, outcome: 'denied', details: { code: 'CASE_FILE_OUT_OF_DATE' } });
      throw new ConflictError('CASE_FILE_OUT_OF_DATE', `${stale}; ask for a new case file.`);
    }
    const expiresAt = new Date(now.getTime() + CASE_FILE_URL_TTL_MS);
    const details = (eventIds: string[]) => ({ requesterOrg: doc.orgId, eventIds, sha256: doc.sha256, urlExpiresAt: expiresAt.toISOString() });
    for (const owner of doc.owners) {
      const theirs = events.filter((e) => e.event.retailerId === owner).map((e) => e.event.id);
      await store.audit(caller, owner, { action: 'casefile.download', target, details: details(theirs) });
    }
    if (!doc.owners.includes(doc.orgId)) await store.audit(caller, doc.orgId, { action: 'casefile.download', target, details: details(doc.eventIds) });
    return store.caseFileUrl(doc.blobName!, expiresAt, `case-file-${id}.zip`);
  }

  return { createCaseFile, getCaseFile, caseFileContentUrl };
}

export const { createCaseFile, getCaseFile, caseFileContentUrl } = caseFileUseCases(cosmosRecords);

const JWKS_CACHE_MS = 5 * 60 * 1000;
let published: { jwks: Jwks; until: number } | undefined;

/** The public keys case files are signed with (every enabled version), for verifiers: read from the vault at most every five minutes. */
export async function signingKeys(now = Date.now()): Promise<Jwks> {
  if (!published || published.until < now) published = { jwks: { keys: await caseFileSigner().publicKeys() }, until: now + JWKS_CACHE_MS };
  return published.jwks;
}
