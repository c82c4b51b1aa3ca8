import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { AuditEntry } from '../domain/audit-chain';
import { auditFor, type AuditOf, type Caller } from '../audit/audited-authorize';
import { evidenceBlobName } from '../domain/evidence/evidence-rules';
import { CASE_FILE_LIFETIME_DAYS } from '../domain/case-files/case-file-schema';
import {
  contentVersion,
  custodyPath,
  detachedJws,
  eventPath,
  evidencePath,
  jwsHeader,
  manifestBytes,
  MANIFEST_FORMAT,
  MANIFEST_PATH,
  profilePath,
  SIGNATURE_PATH,
  signingInput,
  SUMMARY_PATH,
  type Manifest,
  type ManifestFile,
} from '../domain/case-files/manifest';
import { summaryOutline, type SummaryEvidence } from '../domain/case-files/summary';
import { EVIDENCE, streamBlob } from '../adapters/evidence-blobs';
import { deleteCaseFileBlob, uploadCaseFile } from '../adapters/case-file-blobs';
import { renderSummaryPdf } from '../adapters/pdf-summary';
import { caseFileSigner, type SigningKey } from '../adapters/signing-key';
import { ZipStreamWriter } from '../adapters/zip-writer';
import { caseFileContents, contentsRecords, inParallel, type CaseFileContentsStore, type EventContents } from './case-file-contents';
import { readCaseFile, replaceCaseFile, type CaseFileDoc } from './case-file-repository';

/**
 * What building a case file reads, writes, streams and signs: the repositories, blob storage, the
 * signer and the audit chains in the app, in-memory records in unit tests of this logic.
 */
export interface CaseFileBuildStore extends CaseFileContentsStore {
  /** The case file, or undefined when there is none. */
  readCaseFile(orgId: string, id: string): Promise<CaseFileDoc | undefined>;
  /** Replaces the case file over the version read (`_etag`): the new version, or undefined when another writer changed or removed it first. */
  replaceCaseFile(doc: CaseFileDoc): Promise<CaseFileDoc | undefined>;
  /** The stored bytes of an evidence blob as they arrive; fails when there is no such blob. */
  streamEvidence(blobName: string): AsyncIterable<Buffer>;
  /** Streams the ZIP into the case file's blob as it is produced; nothing is stored when the stream fails. */
  uploadCaseFile(blobName: string, archive: Readable): Promise<void>;
  /** Deletes a case file's blob if there is one. */
  deleteCaseFileBlob(blobName: string): Promise<void>;
  /** The signing key version current now: its kid, and signing with exactly it. */
  signingKey(): Promise<SigningKey>;
  /** Appends what the requester did (or was refused) to an organisation's chain: the entry as sealed there. */
  auditFor(caller: Caller, orgId: string, entry: AuditOf): Promise<AuditEntry>;
}

const cosmosRecords: CaseFileBuildStore = {
  ...contentsRecords,
  readCaseFile,
  replaceCaseFile,
  streamEvidence: (blobName) => streamBlob(EVIDENCE, blobName),
  uploadCaseFile,
  deleteCaseFileBlob,
  signingKey: () => caseFileSigner().current(),
  auditFor,
};

/** A build that has not finished after this many attempts is marked failed rather than tried for ever. */
export const MAX_BUILD_ATTEMPTS = 5;
/** A build holds its case file this long at a time, and renews the hold while it streams. */
export const CLAIM_MS = 2 * 60 * 1000;
const RENEW_MS = 30 * 1000;
const DAY_MS = 86_400_000;

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** A build refused for a reason a retry will not change. */
class BuildRefused extends Error {}
/** Another attempt took the case file over: this one stops and keeps nothing. */
class Superseded extends Error {}

/** The requester, as every read of the build is decided and audited for them. */
const callerOf = (doc: CaseFileDoc): Caller => ({
  principal: doc.requester.principal,
  requestId: doc.requester.requestId,
  ...(doc.requester.purpose ? { purpose: doc.requester.purpose } : {}),
});

/** The attempt's hold on its case file: renewed while it works; lost when another attempt takes over. */
class Claim {
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();
  lost = false;

  constructor(
    private readonly store: CaseFileBuildStore,
    public doc: CaseFileDoc,
    private readonly now: () => Date,
  ) {}

  keepAlive(onLost: () => void): void {
    this.timer = setInterval(() => {
      this.renewing = this.renewing.then(async () => {
        const saved = await this.save({ claim: { id: this.doc.claim!.id, until: new Date(this.now().getTime() + CLAIM_MS).toISOString() } }).catch(() => this.doc);
        if (!saved) {
          this.lost = true;
          onLost();
        }
      });
    }, RENEW_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
  }

  /**
   * Writes a change only over the version this attempt last wrote; undefined when another attempt
   * holds it now. A refusal may be this very write, applied with its answer lost and retried by the
   * store client (412 on the repeat), and a write with no answer at all may have landed: the record is
   * read back, and its write id says whose it is.
   */
  async save(change: Partial<CaseFileDoc>): Promise<CaseFileDoc | undefined> {
    const next = { ...this.doc, ...change, updatedAt: this.now().toISOString(), writeId: randomUUID() };
    const ours = () => this.store.readCaseFile(next.orgId, next.id).then((d) => (d?.writeId === next.writeId ? d : undefined));
    let saved: CaseFileDoc | undefined;
    try {
      saved = (await this.store.replaceCaseFile(next)) ?? (await ours());
    } catch (error) {
      // No answer at all (every retry of the client lost): the write may still have landed, and then it is this attempt's.
      saved = await ours().catch(() => undefined);
      if (!saved) throw error;
    }
    this.doc = saved ?? this.doc;
    return saved;
  }
}

/** Building case files (PRODUCT §4c), over a store. */
export function caseFileBuilding(store: CaseFileBuildStore) {
  const contents = caseFileContents(store);

  /**
   * Builds one case file (a queue message; redelivery-safe): takes it for this attempt, decides
   * again what the requester may see, records the build in each owning retailer's chain, then
   * streams the ZIP into this attempt's own blob — summary.pdf, events, profiles, custody, the
   * original evidence bytes (each checked against the SHA-256 recorded when it was processed),
   * manifest.json and its detached JWS — and marks it ready, if it still holds the case file.
   */
  async function buildCaseFile(message: { orgId: string; id: string }, now = () => new Date()): Promise<'built' | 'failed' | 'skipped'> {
    const found = await store.readCaseFile(message.orgId, message.id);
    if (!found || found.status !== 'building') return 'skipped';
    // Another attempt that holds it and is alive keeps it; this message is a duplicate.
    if (found.claim && Date.parse(found.claim.until) > now().getTime()) return 'skipped';
    const claim = new Claim(store, found, now);
    const claimed = await claim.save({ attempts: found.attempts + 1, claim: { id: randomUUID(), until: new Date(now().getTime() + CLAIM_MS).toISOString() } });
    if (!claimed) return 'skipped';
    if (claimed.attempts > MAX_BUILD_ATTEMPTS) {
      await claim.save({ status: 'failed', claim: null, failure: `The build did not finish after ${MAX_BUILD_ATTEMPTS} attempts; ask for the case file again.` });
      return 'failed';
    }
    const blobName = `${claimed.orgId}/${claimed.id}/${claimed.claim!.id}.zip`;
    const abort = new AbortController();
    claim.keepAlive(() => abort.abort(new Superseded()));
    let readySent = false;
    try {
      const built = await assemble(store, contents, claimed, blobName, abort.signal, now);
      await claim.stop();
      if (claim.lost) throw new Superseded();
      readySent = true;
      if (!(await claim.save({ ...built, blobName, claim: null }))) throw new Superseded();
      return 'built';
    } catch (error) {
      await claim.stop();
      if (readySent && !(error instanceof Superseded)) {
        // The ready write may have landed with its answer lost: then this blob is the case file's and stays.
        const stored = await store.readCaseFile(claimed.orgId, claimed.id).then((d) => d, () => 'unknown' as const);
        if (stored !== 'unknown' && stored?.status === 'ready' && stored.blobName === blobName) return 'built';
        if (stored === 'unknown') {
          // Still unknown: releasing the claim over the version before the ready write succeeds only if that write did not land.
          // Released: the blob is no one's. Not: keep it (an unused blob costs storage; a ready file without its ZIP, a download).
          const released = await claim.save({ claim: null }).catch(() => undefined);
          if (released) await store.deleteCaseFileBlob(blobName).catch(() => undefined);
          throw error;
        }
      }
      await store.deleteCaseFileBlob(blobName).catch(() => undefined);
      if (error instanceof Superseded) return 'skipped';
      const last = claim.doc.attempts >= MAX_BUILD_ATTEMPTS;
      if (error instanceof BuildRefused || last) {
        const failure = error instanceof BuildRefused ? error.message : `The build did not finish after ${MAX_BUILD_ATTEMPTS} attempts; ask for the case file again.`;
        await claim.save({ status: 'failed', claim: null, failure });
        return 'failed';
      }
      // A transient fault: the queue delivers the message again, and the next attempt may take over at once.
      await claim.save({ claim: null }).catch(() => undefined);
      throw error;
    }
  }

  return { buildCaseFile };
}

export const { buildCaseFile } = caseFileBuilding(cosmosRecords);

async function assemble(
  store: CaseFileBuildStore,
  { visibleEvents, visibleProfiles, eventContents }: ReturnType<typeof caseFileContents>,
  doc: CaseFileDoc,
  blobName: string,
  signal: AbortSignal,
  now: () => Date,
): Promise<Partial<CaseFileDoc>> {
  const caller = callerOf(doc);
  const { events: visible, omitted: omittedEvents } = await visibleEvents(caller, doc.requested.eventIds, 'casefile.build');
  if (!visible.length) throw new BuildRefused('None of the events asked for can be seen by the requester any more.');
  const { profiles, omitted: omittedProfiles } = await visibleProfiles(caller, doc.requester.orgType, doc.requested.profileIds, now());
  const contents = await inParallel(visible, (v) => eventContents(v, doc.orgId));
  const owners = [...new Set(contents.map((c) => c.event.retailerId))].sort();

  // Each owner's chain records the build, and each evidence item's custody the copy of its bytes,
  // before a byte is read; the requester's chain records the profiles it read.
  const auditHeads = [];
  for (const owner of owners) {
    const mine = contents.filter((c) => c.event.retailerId === owner);
    for (const item of mine.flatMap((c) => c.evidence.filter((e) => e.withBytes))) {
      await store.auditFor(caller, owner, { action: 'evidence.casefile', target: { type: 'evidence', id: item.doc.id }, details: { caseFileId: doc.id, requesterOrg: doc.orgId, sha256: item.doc.sha256 } });
    }
    const entry = await store.auditFor(caller, owner, {
      action: 'casefile.build',
      target: { type: 'case-file', id: doc.id },
      details: { requesterOrg: doc.orgId, eventIds: mine.map((c) => c.event.id), evidenceWithBytes: mine.reduce((n, c) => n + c.evidence.filter((e) => e.withBytes).length, 0) },
    });
    auditHeads.push({ orgId: owner, seq: entry.seq, hash: entry.hash });
  }
  if (profiles.length) {
    await store.auditFor(caller, doc.orgId, { action: 'casefile.profiles', target: { type: 'case-file', id: doc.id }, details: { profileIds: profiles.map((p) => p.id) } });
  }

  const builtAt = now();
  const manifestHead: Omit<Manifest, 'files'> = {
    format: MANIFEST_FORMAT,
    caseFileId: doc.id,
    title: doc.title,
    builtAt: builtAt.toISOString(),
    builtBy: { sub: doc.requester.principal.sub, orgId: doc.orgId, orgType: doc.requester.orgType, roles: doc.requester.principal.roles, purpose: doc.requester.purpose },
    auditHeads,
  };
  // The key version is fixed first (the summary names it, and it signs the manifest), and the
  // summary is rendered before the upload starts: neither can leave an upload hanging.
  const key = await store.signingKey();
  const summaryEvidence = evidenceForSummary(contents);
  const summary = await renderSummaryPdf(
    summaryOutline({
      manifest: manifestHead,
      kid: key.kid,
      events: contents,
      evidence: summaryEvidence,
      profiles: profiles.map((p) => ({ id: p.id, names: p.person.names.map((n) => [n.given, n.family].filter(Boolean).join(' ')), dobs: p.person.dobs, eventIds: p.eventIds })),
      omitted: { events: omittedEvents, profiles: omittedProfiles },
    }),
    `Case file ${doc.id}`,
    { title: doc.title, createdAt: builtAt },
  );

  const zip = new ZipStreamWriter((archive) => store.uploadCaseFile(blobName, archive), builtAt);
  const stop = () => zip.abort(signal.reason as Error);
  signal.addEventListener('abort', stop);
  const files: ManifestFile[] = [];
  const add = (path: string, bytes: Buffer) => files.push({ path, ...zip.addBuffer(path, bytes) });
  let refusal: BuildRefused | undefined;
  try {
    add(SUMMARY_PATH, summary);
    for (const c of contents) add(eventPath(c.event.id), json(c.event));
    for (const p of profiles) add(profilePath(p.id), json(p));
    for (const c of contents) {
      for (const item of c.evidence.filter((e) => e.custody)) {
        add(custodyPath(item.doc.id), json({ evidenceId: item.doc.id, eventId: c.event.id, retailerId: c.event.retailerId, fileName: item.doc.fileName, sha256: item.doc.sha256, size: item.doc.size, status: item.doc.status, entries: item.custody }));
      }
    }
    // The original bytes last, one after another, each checked as it streams against what was recorded at processing.
    const streamed: Promise<void>[] = [];
    for (const c of contents) {
      for (const item of c.evidence.filter((e) => e.withBytes)) {
        const path = evidencePath(item.doc.id, item.doc.fileName);
        const blob = evidenceBlobName(c.event.retailerId, item.doc.id);
        const expected = { sha256: item.doc.sha256!, size: item.doc.size ?? 0 };
        const checked = async function* () {
          let seen = 0;
          for await (const chunk of store.streamEvidence(blob)) {
            seen += chunk.length;
            if (seen > expected.size) throw (refusal ??= changed(item.doc.id));
            yield chunk;
          }
          if (seen !== expected.size) throw (refusal ??= changed(item.doc.id));
        };
        streamed.push(
          zip.addStream(path, checked, expected.size).then((digest) => {
            if (digest.sha256 !== expected.sha256) throw (refusal ??= changed(item.doc.id));
            files.push({ path, ...digest });
          }),
        );
      }
    }
    await zip.whileHealthy(Promise.all(streamed));
    const bytes = manifestBytes({ ...manifestHead, files });
    zip.addBuffer(MANIFEST_PATH, bytes);
    zip.addBuffer(SIGNATURE_PATH, Buffer.from(await signDetached(key, bytes), 'ascii'));
    const archive = await zip.finish();
    return {
      status: 'ready',
      eventIds: contents.map((c) => c.event.id),
      eventVersions: Object.fromEntries(visible.map((v) => [v.event.id, contentVersion(v.event)])),
      profileIds: profiles.map((p) => p.id),
      omitted: { events: omittedEvents, profiles: omittedProfiles },
      owners,
      readyAt: builtAt.toISOString(),
      expiresAt: new Date(builtAt.getTime() + CASE_FILE_LIFETIME_DAYS * DAY_MS).toISOString(),
      size: archive.size,
      sha256: archive.sha256,
      failure: null,
    };
  } catch (error) {
    // Nothing half-written is kept: the upload is abandoned before it commits.
    zip.abort(error as Error);
    if (signal.aborted) throw signal.reason;
    throw refusal ?? error;
  } finally {
    signal.removeEventListener('abort', stop);
  }
}

const changed = (evidenceId: string) => new BuildRefused(`The stored bytes of evidence ${evidenceId} no longer match the SHA-256 and size recorded when it was processed.`);

/** The detached JWS over the manifest: the header names the key version that signs it. */
async function signDetached(key: SigningKey, payload: Buffer): Promise<string> {
  const { protectedHeader, input } = signingInput(jwsHeader(key.kid), payload);
  return detachedJws(protectedHeader, await key.sign(input));
}

function evidenceForSummary(contents: EventContents[]): SummaryEvidence[] {
  return contents.flatMap((c) =>
    c.evidence.map((item) => ({
      id: item.doc.id,
      eventId: c.event.id,
      fileName: item.doc.fileName,
      kind: item.doc.kind,
      mediaType: item.doc.mediaType,
      size: item.doc.size,
      sha256: item.doc.sha256,
      status: item.doc.status,
      path: item.withBytes ? evidencePath(item.doc.id, item.doc.fileName) : null,
      custody: item.custody,
    })),
  );
}
