import type { Caller } from '../audit/audited-authorize';
import { auditFor } from '../audit/audited-authorize';
import { evidenceBlobName } from '../domain/evidence/evidence-rules';
import {
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
import { eventContents, inParallel, visibleEvents, visibleProfiles, type EventContents } from './case-file-contents';
import { readCaseFile, replaceCaseFile, type CaseFileDoc } from './case-file-repository';

/** A build that has not finished after this many attempts is marked failed rather than tried for ever. */
export const MAX_BUILD_ATTEMPTS = 5;

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');

/** A build refused for a reason a retry will not change. */
class BuildRefused extends Error {}

/** The requester, as every read of the build is decided and audited for them. */
const callerOf = (doc: CaseFileDoc): Caller => ({
  principal: doc.requester.principal,
  requestId: doc.requester.requestId,
  ...(doc.requester.purpose ? { purpose: doc.requester.purpose } : {}),
});

async function settle(doc: CaseFileDoc, change: Partial<CaseFileDoc>, now: Date): Promise<CaseFileDoc | undefined> {
  return replaceCaseFile({ ...doc, ...change, updatedAt: now.toISOString() });
}

/**
 * Builds one case file (a queue message; redelivery-safe): decides again what the requester may
 * see, records the build in each owning retailer's chain, then streams the ZIP into its blob —
 * summary.pdf, events, profiles, custody, the original evidence bytes (each checked against the
 * SHA-256 recorded at intake), manifest.json and its detached JWS — and marks it ready.
 */
export async function buildCaseFile(message: { orgId: string; id: string }, now = () => new Date()): Promise<'built' | 'failed' | 'skipped'> {
  const found = await readCaseFile(message.orgId, message.id);
  if (!found || found.status !== 'building') return 'skipped';
  const claimed = await settle(found, { attempts: found.attempts + 1 }, now());
  if (!claimed) return 'skipped';
  if (claimed.attempts > MAX_BUILD_ATTEMPTS) {
    await settle(claimed, { status: 'failed', failure: `The build did not finish after ${MAX_BUILD_ATTEMPTS} attempts; ask for the case file again.` }, now());
    return 'failed';
  }
  try {
    const built = await assemble(claimed, now);
    const saved = await settle(claimed, built, now());
    return saved ? 'built' : 'skipped';
  } catch (error) {
    if (!(error instanceof BuildRefused)) throw error;
    await deleteCaseFileBlob(claimed.blobName);
    await settle(claimed, { status: 'failed', failure: error.message }, now());
    return 'failed';
  }
}

async function assemble(doc: CaseFileDoc, now: () => Date): Promise<Partial<CaseFileDoc>> {
  const caller = callerOf(doc);
  const { events: visible, omitted: omittedEvents } = await visibleEvents(caller, doc.requested.eventIds);
  if (!visible.length) throw new BuildRefused('None of the events asked for can be seen by the requester any more.');
  const { profiles, omitted: omittedProfiles } = await visibleProfiles(caller, doc.requester.orgType, doc.requested.profileIds, now());
  const contents = await inParallel(visible, eventContents);
  const owners = [...new Set(contents.map((c) => c.event.retailerId))].sort();

  // Each owner's chain records the build, with what of theirs it reads, before a byte is read.
  const auditHeads = [];
  for (const owner of owners) {
    const mine = contents.filter((c) => c.event.retailerId === owner);
    const entry = await auditFor(caller, owner, {
      action: 'casefile.build',
      target: { type: 'case-file', id: doc.id },
      details: {
        requesterOrg: doc.orgId,
        eventIds: mine.map((c) => c.event.id),
        evidenceIds: mine.flatMap((c) => c.evidence.filter((e) => e.withBytes).map((e) => e.doc.id)),
      },
    });
    auditHeads.push({ orgId: owner, seq: entry.seq, hash: entry.hash });
  }

  const builtAt = now();
  const manifestHead: Omit<Manifest, 'files'> = {
    format: MANIFEST_FORMAT,
    caseFileId: doc.id,
    title: doc.title,
    builtAt: builtAt.toISOString(),
    builtBy: {
      sub: doc.requester.principal.sub,
      orgId: doc.orgId,
      orgType: doc.requester.orgType,
      roles: doc.requester.principal.roles,
      purpose: doc.requester.purpose,
    },
    auditHeads,
  };
  const zip = new ZipStreamWriter((archive) => uploadCaseFile(doc.blobName, archive), builtAt);
  const files: ManifestFile[] = [];
  const add = (path: string, bytes: Buffer) => files.push({ path, ...zip.addBuffer(path, bytes) });

  // The key version is fixed first: the summary names it, and it signs the manifest.
  const key = await caseFileSigner().current();
  const summaryEvidence = evidenceForSummary(contents);
  add(
    SUMMARY_PATH,
    await renderSummaryPdf(
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
    ),
  );
  for (const c of contents) add(eventPath(c.event.id), json(c.event));
  for (const p of profiles) add(profilePath(p.id), json(p));
  for (const c of contents) {
    for (const item of c.evidence) {
      add(custodyPath(item.doc.id), json({ evidenceId: item.doc.id, eventId: c.event.id, retailerId: c.event.retailerId, fileName: item.doc.fileName, sha256: item.doc.sha256, size: item.doc.size, status: item.doc.status, entries: item.custody }));
    }
  }
  // The original bytes last, one after another, each checked against the hash recorded at intake.
  const streamed: Promise<void>[] = [];
  for (const c of contents) {
    for (const item of c.evidence.filter((e) => e.withBytes)) {
      const path = evidencePath(item.doc.id, item.doc.fileName);
      const blob = evidenceBlobName(c.event.retailerId, item.doc.id);
      streamed.push(
        zip.addStream(path, () => streamBlob(EVIDENCE, blob), item.doc.size ?? 0).then((digest) => {
          if (digest.sha256 !== item.doc.sha256 || digest.size !== item.doc.size) {
            throw new BuildRefused(`The stored bytes of evidence ${item.doc.id} no longer match the SHA-256 recorded when it was processed.`);
          }
          files.push({ path, ...digest });
        }),
      );
    }
  }
  let archive;
  try {
    await zip.whileHealthy(Promise.all(streamed));
    const bytes = manifestBytes({ ...manifestHead, files });
    zip.addBuffer(MANIFEST_PATH, bytes);
    zip.addBuffer(SIGNATURE_PATH, Buffer.from(await signDetached(key, bytes), 'ascii'));
    archive = await zip.finish();
  } catch (error) {
    // Nothing half-written is kept: the upload is abandoned before it commits.
    zip.abort(error as Error);
    throw error;
  }
  return {
    status: 'ready',
    eventIds: contents.map((c) => c.event.id),
    profileIds: profiles.map((p) => p.id),
    omitted: { events: omittedEvents, profiles: omittedProfiles },
    owners,
    readyAt: builtAt.toISOString(),
    size: archive.size,
    sha256: archive.sha256,
    failure: null,
  };
}

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
