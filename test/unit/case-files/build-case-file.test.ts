import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { JSONWebKeySet } from 'jose';
import { caseFileBuilding, CLAIM_MS, MAX_BUILD_ATTEMPTS, type CaseFileBuildStore } from '../../../shared/case-files/build-case-file';
import type { CaseFileDoc } from '../../../shared/case-files/case-file-repository';
import { auditDraftFor, type AuditOf, type Caller } from '../../../shared/audit/audited-authorize';
import { toSummary, type EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { profileView } from '../../../shared/matching/profile-use-cases';
import { GENESIS_HASH, sealEntry, type AuditDraft, type AuditEntry } from '../../../shared/domain/audit-chain';
import { ANOTHER_ORGANISATION } from '../../../shared/domain/case-files/custody';
import { contentVersion, type Manifest } from '../../../shared/domain/case-files/manifest';
import { evidenceBlobName } from '../../../shared/domain/evidence/evidence-rules';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import type { Org, OrgType, Store } from '../../../shared/domain/organisation';
import type { Purpose } from '../../../shared/domain/police-purpose';
import type { Role } from '../../../shared/domain/principal';
import { DEFAULT_SETTINGS, type RetailerSettings } from '../../../shared/domain/retailer-settings';
import { verifyCaseFile } from '../../../tools/case-file/verify-package';
import { readZip } from './zip-entries';

/**
 * Building a case file over case files, events, evidence, profiles, audit chains and blobs in
 * memory: what goes into the ZIP and the record, that a duplicate message or one meeting a live
 * claim builds nothing, what a failure leaves for the next attempt and when it gives up, what the
 * requester may not see is left out, and what each chain records. The visibility rule, custody
 * redaction, profile view, summary PDF, ZIP writer and manifest signing are the app's own; only
 * storage, blobs and the key are faked (a throwaway P-256 key, checked by the offline verifier).
 * The same build through the queue and the emulators: test/integration/app/case-files.test.ts.
 */
const NOW = new Date('2026-12-03T09:00:00.000Z');
const at = (ms: number) => () => new Date(NOW.getTime() + ms);
const DAY_MS = 86_400_000;
const PURPOSE: Purpose = { legalBasis: 'investigation', caseReference: 'CASE-2026/0001' };

const keyPair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const JWKS = { keys: [{ ...(keyPair.publicKey.export({ format: 'jwk' }) as object), kid: 'test-key', alg: 'ES256', use: 'sig' }] } as JSONWebKeySet;

const dir = mkdtempSync(path.join(tmpdir(), 'casefile-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const org = (id: string, type: OrgType, jurisdictions: string[] = []): Org => ({ id, type, name: `${id} Ltd`, jurisdictions, createdAt: '2026-01-01T00:00:00Z', createdBy: 'admin', status: 'active' }) as Org;

/** A blob that is not there, as the storage SDK reports it. */
const blobNotFound = () => Object.assign(new Error('The specified blob does not exist.'), { statusCode: 404, code: 'BlobNotFound' });

class Records implements CaseFileBuildStore {
  orgs = new Map<string, Org>([
    ['shop', org('shop', 'retailer')],
    ['partner', org('partner', 'retailer')],
    ['police', org('police', 'agency', ['NZ-AUK'])],
    ['elsewhere', org('elsewhere', 'agency', ['NZ-AUK'])],
  ]);
  settings = new Map<string, RetailerSettings>();
  agreements = [{ parties: ['shop', 'partner'], active: true }];
  stores = new Map<string, Store>([
    ['shop|s1', { id: 's1', retailerId: 'shop', name: 'Queen Street', jurisdiction: 'NZ-AUK', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }],
    ['partner|s1', { id: 's1', retailerId: 'partner', name: 'Ponsonby', jurisdiction: 'NZ-AUK', createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z' }],
  ]);
  /** "retailer|id" → the event. */
  events = new Map<string, VersionedEvent>();
  /** "retailer|id" → the profile. */
  profiles = new Map<string, ProfileDoc>();
  evidence: EvidenceDoc[] = [];
  /** Evidence blobs by name (evidenceBlobName). */
  evidenceBlobs = new Map<string, Buffer>();
  /** How many bytes of each evidence blob were handed out. */
  streamed = new Map<string, number>();
  /** Case file blobs: only an upload that read its stream to the end is stored, as a block blob commits. */
  caseFileBlobs = new Map<string, Buffer>();
  uploads: string[] = [];
  /** Every upload that stored its blob (whether deleted since or not). */
  committed: string[] = [];
  deletes: string[] = [];
  /** "org|id" → the case file, with its version. */
  caseFiles = new Map<string, CaseFileDoc>();
  chains = new Map<string, AuditEntry[]>();
  /** Runs once the upload has its first chunk, before it stores anything (another writer acting meanwhile, the clock moving). */
  duringUpload?: () => Promise<void>;
  /** Makes the next uploads fail once they have read their first chunk. */
  uploadFault?: Error;
  private version = 0;

  readCaseFile = async (orgId: string, id: string) => structuredClone(this.caseFiles.get(`${orgId}|${id}`));
  /** As the repository: replaced only over the version read (when it carries one), undefined when changed or gone. */
  replaceCaseFile = async (doc: CaseFileDoc) => {
    const key = `${doc.orgId}|${doc.id}`;
    const stored = this.caseFiles.get(key);
    if (!stored || (doc._etag && doc._etag !== stored._etag)) return undefined;
    const next = { ...structuredClone(doc), _etag: this.nextEtag() };
    this.caseFiles.set(key, next);
    return structuredClone(next);
  };
  getOrg = async (orgId: string) => structuredClone(this.orgs.get(orgId));
  getSettings = async (retailerId: string) => ({ settings: structuredClone(this.settings.get(retailerId) ?? DEFAULT_SETTINGS) });
  agreementIsActive = async (a: string, b: string) => this.agreements.some((x) => x.active && x.parties.includes(a) && x.parties.includes(b));
  readEvent = async (retailerId: string, id: string) => structuredClone(this.events.get(`${retailerId}|${id}`));
  /** As the repository's query: any retailer's, but not one being purged. */
  findEventAnywhere = async (id: string) => structuredClone([...this.events.values()].find((f) => f.event.id === id && !f.purging));
  /** As the repository: absent, and being erased, alike. */
  readProfile = async (retailerId: string, id: string) => {
    const found = this.profiles.get(`${retailerId}|${id}`);
    return found && !found.erasing ? structuredClone(found) : undefined;
  };
  evidenceOfEvent = async (retailerId: string, eventId: string) =>
    structuredClone(this.evidence.filter((e) => e.orgId === retailerId && e.eventId === eventId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  knownStore = async (retailerId: string, storeId: string) => structuredClone(this.stores.get(`${retailerId}|${storeId}`));
  readEntriesAbout = (orgId: string, target: { type: string; id: string }) => {
    const entries = this.chain(orgId).filter((e) => e.target.type === target.type && e.target.id === target.id);
    return (async function* () {
      for (const entry of entries) yield structuredClone(entry);
    })();
  };
  /** As storage: an absent blob fails the read; the bytes come in 64 KiB chunks. */
  streamEvidence = (blobName: string) => {
    const bytes = this.evidenceBlobs.get(blobName);
    const streamed = this.streamed;
    return (async function* () {
      if (!bytes) throw blobNotFound();
      for (let i = 0; i < bytes.length; i += 65_536) {
        const chunk = Buffer.from(bytes.subarray(i, i + 65_536));
        streamed.set(blobName, (streamed.get(blobName) ?? 0) + chunk.length);
        yield chunk;
      }
    })();
  };
  /** As the storage SDK's uploadStream: reads the archive from the start (so it sees the archive fail), and commits only all of it. */
  uploadCaseFile = async (blobName: string, archive: Readable) => {
    this.uploads.push(blobName);
    const chunks: Buffer[] = [];
    for await (const chunk of archive) {
      if (!chunks.length) await this.duringUpload?.();
      chunks.push(chunk as Buffer);
      if (this.uploadFault) throw this.uploadFault;
    }
    this.caseFileBlobs.set(blobName, Buffer.concat(chunks));
    this.committed.push(blobName);
  };
  /** As deleteIfExists: an absent blob is no error. */
  deleteCaseFileBlob = async (blobName: string) => {
    this.deletes.push(blobName);
    this.caseFileBlobs.delete(blobName);
  };
  signingKey = async () => ({ kid: 'test-key', sign: async (input: Buffer) => sign('sha256', input, { key: keyPair.privateKey, dsaEncoding: 'ieee-p1363' }) });
  /** A chain of sealed entries per organisation, as auditFor appends them (the caller's actor, request id and purpose). */
  auditFor = async (caller: Caller, orgId: string, entry: AuditOf) => structuredClone(this.append(orgId, auditDraftFor(caller, entry)));

  chain(orgId: string): AuditEntry[] {
    if (!this.chains.has(orgId)) this.chains.set(orgId, []);
    return this.chains.get(orgId)!;
  }

  append(orgId: string, draft: AuditDraft): AuditEntry {
    const chain = this.chain(orgId);
    const sealed = sealEntry(draft, chain.length + 1, chain.at(-1)?.hash ?? GENESIS_HASH, NOW);
    chain.push(sealed);
    return sealed;
  }

  private nextEtag = () => `"${++this.version}"`;

  /** An event of `retailerId` at its store s1 (Auckland), one offender. */
  report(retailerId: string, id: string, more: Record<string, unknown> = {}): VersionedEvent {
    const input = EventInputSchema.parse({
      storeId: 's1',
      occurredAt: '2026-11-01T10:00:00Z',
      type: 'shoplifting',
      prevented: false,
      description: `Took razor blades (${id}).`,
      people: [{ ref: 'p0', role: 'offender', name: { given: 'Tamati', family: 'Ngatai' } }],
      ...more,
    });
    const found: VersionedEvent = { event: buildEvent(id, retailerId, input, `Investigator@${retailerId}`, new Date('2026-11-01T11:00:00Z')), etag: '"e"', purging: false, storeJurisdiction: 'NZ-AUK' };
    this.events.set(`${retailerId}|${id}`, found);
    return structuredClone(found);
  }

  /** An evidence item of an event; `bytes` stored in its blob unless null (processing not finished: pending). */
  attach(found: VersionedEvent, id: string, bytes: Buffer | null, more: Partial<EvidenceDoc> = {}): EvidenceDoc {
    const { retailerId, id: eventId } = found.event;
    const doc: EvidenceDoc = {
      id,
      orgId: retailerId,
      docType: 'evidence',
      eventId,
      kind: 'cctv',
      fileName: 'cam 1.jpg',
      declared: { contentType: 'image/jpeg', size: bytes?.length ?? 10, sha256: null },
      status: bytes ? 'ready' : 'pending',
      reason: null,
      sha256: bytes ? sha256(bytes) : null,
      size: bytes?.length ?? null,
      mediaType: bytes ? 'image/jpeg' : null,
      image: null,
      createdAt: `2026-11-01T11:0${this.evidence.length}:00.000Z`,
      createdBy: `Investigator@${retailerId}`,
      uploadExpiresAt: '2026-11-01T12:00:00.000Z',
      processedAt: bytes ? '2026-11-01T11:30:00.000Z' : null,
      uploadEtag: null,
      custodyLogged: !!bytes,
      ...more,
    };
    this.evidence.push(doc);
    if (bytes) this.evidenceBlobs.set(evidenceBlobName(retailerId, id), bytes);
    this.append(retailerId, { actor: { sub: `Investigator@${retailerId}`, org: retailerId, roles: ['Investigator'] }, action: 'evidence.create', target: { type: 'evidence', id }, outcome: 'success', requestId: 'setup:upload', details: {} });
    return structuredClone(doc);
  }

  profile(retailerId: string, id: string, more: Partial<ProfileDoc> = {}): ProfileDoc {
    const doc: ProfileDoc = { id, orgId: retailerId, docType: 'profile', eventIds: ['e1'], createdAt: '2026-11-01T11:00:00.000Z', updatedAt: '2026-11-01T11:00:00.000Z', ...more };
    this.profiles.set(`${retailerId}|${id}`, doc);
    return structuredClone(doc);
  }

  /** A case file as createCaseFile stores it: building, never attempted. */
  request(orgId: string, role: Role, requested: { eventIds: string[]; profileIds?: string[] }, more: Partial<CaseFileDoc> = {}): { orgId: string; id: string } {
    const orgType = this.orgs.get(orgId)!.type;
    const purpose = orgType === 'agency' ? PURPOSE : null;
    const doc: CaseFileDoc = {
      id: 'cf-1',
      orgId,
      docType: 'case-file',
      title: 'R v Ngatai — razor blades',
      status: 'building',
      eventIds: requested.eventIds,
      profileIds: requested.profileIds ?? [],
      omitted: { events: 0, profiles: 0 },
      createdAt: NOW.toISOString(),
      createdBy: `${role}@${orgId}`,
      readyAt: null,
      expiresAt: null,
      size: null,
      sha256: null,
      failure: null,
      requester: { principal: { sub: `${role}@${orgId}`, orgId, roles: [role], stores: null, mfa: false }, orgType, purpose, requestId: 'req-create' },
      requested: { eventIds: requested.eventIds, profileIds: requested.profileIds ?? [] },
      owners: [],
      blobName: null,
      eventVersions: {},
      claim: null,
      attempts: 0,
      updatedAt: NOW.toISOString(),
      ...more,
    };
    this.caseFiles.set(`${orgId}|${doc.id}`, { ...doc, _etag: this.nextEtag() });
    return { orgId, id: doc.id };
  }

  caseFile(message: { orgId: string; id: string }): CaseFileDoc {
    return structuredClone(this.caseFiles.get(`${message.orgId}|${message.id}`)!);
  }

  /** What the build wrote to every chain (organisations in id order) as [org, action, target id, outcome]; the set-up's entries aside. */
  written(): string[][] {
    return [...this.chains.entries()].sort(([a], [b]) => a.localeCompare(b)).flatMap(([orgId, entries]) => entries.filter((e) => !e.requestId.startsWith('setup:')).map((e) => [orgId, e.action, e.target.id, e.outcome]));
  }

  /** The one stored case file blob, opened. */
  async zip(): Promise<{ name: string; bytes: Buffer; entries: Map<string, Buffer>; file: string }> {
    expect(this.caseFileBlobs.size).toBe(1);
    const [[name, bytes]] = [...this.caseFileBlobs.entries()] as [[string, Buffer]];
    const file = path.join(dir, `${name.replace(/\W/g, '_')}.zip`);
    writeFileSync(file, bytes);
    return { name, bytes, entries: await readZip(file), file };
  }
}

function world() {
  const records = new Records();
  return { records, ...caseFileBuilding(records) };
}

/** An image's worth of bytes (three chunks of the blob stream and a bit). */
const jpeg = (seed: number) => {
  const bytes = Buffer.alloc(200_000, seed);
  bytes.write(`JFIF evidence ${seed}`, 0);
  return bytes;
};

describe('building a case file', () => {
  it('a police officer’s file: the ZIP holds the summary, the event, its custody, the original bytes and a signed manifest; the record is ready with the ZIP’s digest', async () => {
    const { records, buildCaseFile } = world();
    const e1 = records.report('shop', 'e1');
    const bytes = jpeg(1);
    const v1 = records.attach(e1, 'v1', bytes);
    const v2 = records.attach(e1, 'v2', null);
    // Another agency's officer read v1 before: the custody shows that someone did, not who or why.
    records.append('shop', { actor: { sub: 'officer-elsewhere', org: 'elsewhere', roles: ['PoliceOfficer'] }, action: 'evidence.read', target: { type: 'evidence', id: 'v1' }, outcome: 'success', requestId: 'setup:read', details: { caseReference: 'OTHER-SECRET-42' } });
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });

    expect(await buildCaseFile(message, at(0))).toBe('built');

    const { name, bytes: archive, entries, file } = await records.zip();
    const doc = records.caseFile(message);
    expect(doc).toMatchObject({
      status: 'ready',
      blobName: name,
      claim: null,
      attempts: 1,
      eventIds: ['e1'],
      eventVersions: { e1: contentVersion(e1.event) },
      profileIds: [],
      omitted: { events: 0, profiles: 0 },
      owners: ['shop'],
      readyAt: NOW.toISOString(),
      expiresAt: new Date(NOW.getTime() + 30 * DAY_MS).toISOString(),
      size: archive.length,
      sha256: sha256(archive),
      failure: null,
      updatedAt: NOW.toISOString(),
    });
    // The attempt's own blob, under the requester's organisation and the case file.
    expect(name).toMatch(/^police\/cf-1\/[0-9a-f-]{36}\.zip$/);
    expect(records.uploads).toEqual([name]);

    expect([...entries.keys()]).toEqual(['summary.pdf', 'events/e1.json', 'custody/v1.json', 'custody/v2.json', 'evidence/v1/cam 1.jpg', 'manifest.json', 'manifest.jws']);
    expect(entries.get('summary.pdf')!.subarray(0, 5).toString()).toBe('%PDF-');
    expect(entries.get('evidence/v1/cam 1.jpg')).toEqual(bytes);
    expect(JSON.parse(entries.get('events/e1.json')!.toString())).toEqual({ ...e1.event, evidence: [toSummary(v1), toSummary(v2)] });
    const custody = JSON.parse(entries.get('custody/v1.json')!.toString());
    expect(custody).toMatchObject({ evidenceId: 'v1', eventId: 'e1', retailerId: 'shop', fileName: 'cam 1.jpg', sha256: sha256(bytes), size: bytes.length, status: 'ready' });
    expect(custody.entries.map((e: AuditEntry) => [e.action, e.actor.sub])).toEqual([
      ['evidence.create', 'Investigator@shop'],
      ['evidence.read', ANOTHER_ORGANISATION],
    ]);
    expect(JSON.stringify(custody)).not.toMatch(/OTHER-SECRET-42|officer-elsewhere/);
    expect(JSON.parse(entries.get('custody/v2.json')!.toString())).toMatchObject({ evidenceId: 'v2', status: 'pending', sha256: null });

    // Signed with the key version it names; every file listed with its digest (the offline verifier's check).
    expect(await verifyCaseFile(file, JWKS)).toMatchObject({ ok: true, kid: 'test-key', files: 5 });
    const manifest = JSON.parse(entries.get('manifest.json')!.toString()) as Manifest;
    const build = records.chain('shop').find((e) => e.action === 'casefile.build')!;
    expect(manifest).toMatchObject({
      caseFileId: 'cf-1',
      title: 'R v Ngatai — razor blades',
      builtAt: NOW.toISOString(),
      builtBy: { sub: 'PoliceOfficer@police', orgId: 'police', orgType: 'agency', roles: ['PoliceOfficer'], purpose: PURPOSE },
      auditHeads: [{ orgId: 'shop', seq: build.seq, hash: build.hash }],
    });
    expect(manifest.files.find((f) => f.path === 'evidence/v1/cam 1.jpg')).toEqual({ path: 'evidence/v1/cam 1.jpg', sha256: sha256(bytes), size: bytes.length });
  });

  it('the chains: each owner records the copy of each item’s bytes, then the build (the head the manifest names); the requester’s chain the profiles it read', async () => {
    const { records, buildCaseFile } = world();
    const e1 = records.report('shop', 'e1');
    records.attach(e1, 'v1', jpeg(1));
    records.attach(e1, 'v2', null);
    const e2 = records.report('shop', 'e2');
    records.attach(e2, 'v3', jpeg(3));
    const pe1 = records.report('partner', 'pe1');
    records.attach(pe1, 'pv1', jpeg(4));
    const police = records.request('police', 'PoliceOfficer', { eventIds: ['pe1', 'e1', 'e2'] });
    expect(await buildCaseFile(police, at(0))).toBe('built');

    const purpose = { legalBasis: 'investigation', caseReference: 'CASE-2026/0001' };
    const actor = { sub: 'PoliceOfficer@police', org: 'police', roles: ['PoliceOfficer'] };
    const entriesOf = (orgId: string) => records.chain(orgId).filter((e) => !e.requestId.startsWith('setup:'));
    expect(entriesOf('shop')).toMatchObject([
      { actor, action: 'evidence.casefile', target: { type: 'evidence', id: 'v1' }, outcome: 'success', requestId: 'req-create', details: { caseFileId: 'cf-1', requesterOrg: 'police', sha256: sha256(jpeg(1)), ...purpose } },
      { action: 'evidence.casefile', target: { type: 'evidence', id: 'v3' }, details: { sha256: sha256(jpeg(3)) } },
      { actor, action: 'casefile.build', target: { type: 'case-file', id: 'cf-1' }, outcome: 'success', requestId: 'req-create', details: { requesterOrg: 'police', eventIds: ['e1', 'e2'], evidenceWithBytes: 2, ...purpose } },
    ]);
    expect(entriesOf('partner')).toMatchObject([
      { action: 'evidence.casefile', target: { id: 'pv1' } },
      { action: 'casefile.build', details: { eventIds: ['pe1'], evidenceWithBytes: 1 } },
    ]);
    expect(entriesOf('police')).toEqual([]);
    const head = (orgId: string) => {
      const build = records.chain(orgId).find((e) => e.action === 'casefile.build')!;
      return { orgId, seq: build.seq, hash: build.hash };
    };
    const { entries } = await records.zip();
    expect(JSON.parse(entries.get('manifest.json')!.toString()).auditHeads).toEqual([head('partner'), head('shop')]);
    expect(records.caseFile(police)).toMatchObject({ owners: ['partner', 'shop'], eventIds: ['pe1', 'e1', 'e2'] });

    // An investigator's file with a profile: the profiles read go in the requester's own chain, after its build entry.
    const other = world();
    other.records.attach(other.records.report('shop', 'e1'), 'v1', jpeg(1));
    other.records.profile('shop', 'p1');
    const own = other.records.request('shop', 'Investigator', { eventIds: ['e1'], profileIds: ['p1'] });
    expect(await other.buildCaseFile(own, at(0))).toBe('built');
    expect(other.records.written()).toEqual([
      ['shop', 'evidence.casefile', 'v1', 'success'],
      ['shop', 'casefile.build', 'cf-1', 'success'],
      ['shop', 'casefile.profiles', 'cf-1', 'success'],
    ]);
    expect(other.records.chain('shop').at(-1)).toMatchObject({ actor: { sub: 'Investigator@shop', org: 'shop' }, details: { profileIds: ['p1'] } });
  });

  it('what the requester may not see is left out and counted: events not shared with the police, gone or sensitive to a partner; profiles erased, another retailer’s, or any for the police', async () => {
    const { records, buildCaseFile } = world();
    const e1 = records.report('shop', 'e1');
    records.attach(e1, 'v1', jpeg(1));
    const internal = records.report('shop', 'e2', { policeSharing: { mode: 'internal', excludeAgencies: [] } });
    records.attach(internal, 'v2', jpeg(2));
    records.profile('shop', 'p1');
    const police = records.request('police', 'PoliceOfficer', { eventIds: ['e1', 'e2', 'no-such-event'], profileIds: ['p1'] });
    expect(await buildCaseFile(police, at(0))).toBe('built');
    expect(records.caseFile(police)).toMatchObject({ status: 'ready', eventIds: ['e1'], eventVersions: { e1: expect.any(String) }, profileIds: [], omitted: { events: 2, profiles: 1 }, owners: ['shop'] });
    const { entries } = await records.zip();
    expect([...entries.keys()]).toEqual(['summary.pdf', 'events/e1.json', 'custody/v1.json', 'evidence/v1/cam 1.jpg', 'manifest.json', 'manifest.jws']);
    // The attempt on an event they may not see is in its owner's chain as refused; an id that does not exist leaves nothing.
    expect(records.written()).toEqual([
      ['shop', 'casefile.build', 'e2', 'denied'],
      ['shop', 'evidence.casefile', 'v1', 'success'],
      ['shop', 'casefile.build', 'cf-1', 'success'],
    ]);
    expect(records.chain('shop').find((e) => e.outcome === 'denied')).toMatchObject({ target: { type: 'event', id: 'e2' }, details: { code: 'NOT_VISIBLE', legalBasis: 'investigation' } });
    expect(records.chain('shop').find((e) => e.action === 'casefile.build' && e.outcome === 'success')!.details).toMatchObject({ eventIds: ['e1'], evidenceWithBytes: 1 });

    // A shop investigator: its own events and a partner's ordinary one (records only: no bytes, no custody), not the partner's sensitive one.
    const mine = world();
    const r = mine.records;
    r.attach(r.report('shop', 'e1'), 'v1', jpeg(1));
    const shared = r.report('partner', 'pe1');
    const pv1 = r.attach(shared, 'pv1', jpeg(5));
    r.attach(r.report('partner', 'pe2', { sensitive: true }), 'pv2', jpeg(6));
    const p1 = r.profile('shop', 'p1');
    r.profile('shop', 'p-erased', { erasing: { at: NOW.toISOString(), by: 'RetailerAdmin@shop' } });
    r.profile('partner', 'p-theirs');
    const own = r.request('shop', 'Investigator', { eventIds: ['e1', 'pe1', 'pe2'], profileIds: ['p1', 'p-erased', 'p-theirs'] });
    expect(await mine.buildCaseFile(own, at(0))).toBe('built');
    expect(r.caseFile(own)).toMatchObject({ eventIds: ['e1', 'pe1'], profileIds: ['p1'], omitted: { events: 1, profiles: 2 }, owners: ['partner', 'shop'] });
    const zip = await r.zip();
    expect([...zip.entries.keys()]).toEqual(['summary.pdf', 'events/e1.json', 'events/pe1.json', 'profiles/p1.json', 'custody/v1.json', 'evidence/v1/cam 1.jpg', 'manifest.json', 'manifest.jws']);
    expect(JSON.parse(zip.entries.get('events/pe1.json')!.toString())).toEqual({ ...shared.event, evidence: [toSummary(pv1)] });
    expect(JSON.parse(zip.entries.get('profiles/p1.json')!.toString())).toEqual(JSON.parse(JSON.stringify(profileView(p1, NOW))));
    expect(r.written()).toEqual([
      ['partner', 'casefile.build', 'pe2', 'denied'],
      ['partner', 'casefile.build', 'cf-1', 'success'],
      ['shop', 'evidence.casefile', 'v1', 'success'],
      ['shop', 'casefile.build', 'cf-1', 'success'],
      ['shop', 'casefile.profiles', 'cf-1', 'success'],
    ]);
    expect(r.chain('partner').at(-1)!.details).toMatchObject({ eventIds: ['pe1'], evidenceWithBytes: 0 });
    expect(r.chain('shop').at(-1)!.details).toEqual({ profileIds: ['p1'] });
  });

  it('visibility is decided again at the build, over the ids asked for: one shared since the request goes in, one withdrawn since is left out', async () => {
    const { records, buildCaseFile } = world();
    const internal = { policeSharing: { mode: 'internal', excludeAgencies: [] } };
    records.report('shop', 'e1');
    records.report('shop', 'e2', internal);
    // As createCaseFile stored it: e1 visible then, e2 not.
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1', 'e2'] }, { eventIds: ['e1'], omitted: { events: 1, profiles: 0 }, owners: ['shop'] });
    records.report('shop', 'e1', internal);
    const e2 = records.report('shop', 'e2', { policeSharing: { mode: 'jurisdiction', excludeAgencies: [] } });
    expect(await buildCaseFile(message, at(0))).toBe('built');
    expect(records.caseFile(message)).toMatchObject({ eventIds: ['e2'], eventVersions: { e2: contentVersion(e2.event) }, omitted: { events: 1, profiles: 0 } });
    expect([...(await records.zip()).entries.keys()].filter((name) => name.startsWith('events/'))).toEqual(['events/e2.json']);
    expect(records.written()).toEqual([
      ['shop', 'casefile.build', 'e1', 'denied'],
      ['shop', 'casefile.build', 'cf-1', 'success'],
    ]);
  });

  it('none of the events visible any more: failed at once (a retry would not change it), nothing uploaded', async () => {
    const { records, buildCaseFile } = world();
    records.report('shop', 'e2', { policeSharing: { mode: 'internal', excludeAgencies: [] } });
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e2'] });
    expect(await buildCaseFile(message, at(0))).toBe('failed');
    expect(records.caseFile(message)).toMatchObject({ status: 'failed', claim: null, attempts: 1, blobName: null, failure: 'None of the events asked for can be seen by the requester any more.' });
    expect(records.uploads).toEqual([]);
    expect(records.written()).toEqual([['shop', 'casefile.build', 'e2', 'denied']]);
  });

  it('evidence bytes that no longer match the SHA-256 recorded at processing: failed at once, naming the item, and the half-written ZIP is not kept', async () => {
    const { records, buildCaseFile } = world();
    const e1 = records.report('shop', 'e1');
    records.attach(e1, 'v1', jpeg(1));
    const stored = records.evidenceBlobs.get(evidenceBlobName('shop', 'v1'))!;
    stored.writeUInt8(stored.readUInt8(150_000) ^ 1, 150_000);
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    expect(await buildCaseFile(message, at(0))).toBe('failed');
    expect(records.caseFile(message)).toMatchObject({ status: 'failed', claim: null, attempts: 1, blobName: null, sha256: null, failure: 'The stored bytes of evidence v1 no longer match the SHA-256 and size recorded when it was processed.' });
    expect(records.caseFileBlobs.size).toBe(0);
    expect(records.deletes).toEqual(records.uploads);

    // The blob cut short, or grown since (the same prefix): refused the same way; one grown is not read past its recorded size.
    const blob = evidenceBlobName('shop', 'v1');
    for (const change of [(b: Buffer) => b.subarray(0, b.length - 1), (b: Buffer) => Buffer.concat([b, Buffer.alloc(2_000_000, 7)])]) {
      const other = world();
      other.records.attach(other.records.report('shop', 'e1'), 'v1', jpeg(1));
      other.records.evidenceBlobs.set(blob, change(other.records.evidenceBlobs.get(blob)!));
      const again = other.records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
      expect(await other.buildCaseFile(again, at(0))).toBe('failed');
      expect(other.records.caseFile(again).failure).toContain('evidence v1 no longer match');
      expect(other.records.caseFileBlobs.size).toBe(0);
      expect(other.records.streamed.get(blob)).toBeLessThanOrEqual(jpeg(1).length + 65_536);
    }
  });
});

describe('redelivery, claims and attempts', () => {
  it('a second message for a file already built is skipped: nothing written, audited or uploaded again', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    expect(await buildCaseFile(message, at(0))).toBe('built');
    const built = records.caseFile(message);
    const chains = structuredClone([...records.chains.entries()]);
    const blobs = new Map(records.caseFileBlobs);
    expect(await buildCaseFile(message, at(60_000))).toBe('skipped');
    expect(records.caseFile(message)).toEqual(built);
    expect([...records.chains.entries()]).toEqual(chains);
    expect(records.caseFileBlobs).toEqual(blobs);
    expect(records.uploads).toHaveLength(1);
    // A failed one, and one that is gone, likewise.
    records.caseFiles.set(`police|cf-1`, { ...records.caseFile(message), status: 'failed' });
    expect(await buildCaseFile(message, at(0))).toBe('skipped');
    expect(await buildCaseFile({ orgId: 'police', id: 'no-such-file' }, at(0))).toBe('skipped');
    expect(records.uploads).toHaveLength(1);
  });

  it('a build held by another attempt’s live claim is skipped, untouched; once the claim has lapsed the next attempt takes it over', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const held = { id: 'other-attempt', until: new Date(NOW.getTime() + 60_000).toISOString() };
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { claim: held, attempts: 1 });
    const before = records.caseFile(message);
    expect(await buildCaseFile(message, at(0))).toBe('skipped');
    expect(await buildCaseFile(message, at(59_999))).toBe('skipped');
    expect(records.caseFile(message)).toEqual(before);
    expect(records.written()).toEqual([]);
    expect(records.uploads).toEqual([]);
    // The holder went quiet: its claim runs out, and this attempt takes over (a second attempt).
    expect(await buildCaseFile(message, at(60_000))).toBe('built');
    expect(records.caseFile(message)).toMatchObject({ status: 'ready', attempts: 2, claim: null });
    expect(records.caseFile(message).blobName).not.toContain('other-attempt');
  });

  it('two messages at once: one claims the file (a write over the version read), the other is skipped; one ZIP, one set of entries', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    expect((await Promise.all([buildCaseFile(message, at(0)), buildCaseFile(message, at(0))])).sort()).toEqual(['built', 'skipped']);
    expect(records.caseFile(message)).toMatchObject({ status: 'ready', attempts: 1 });
    expect(records.uploads).toHaveLength(1);
    expect(records.written()).toEqual([
      ['shop', 'evidence.casefile', 'v1', 'success'],
      ['shop', 'casefile.build', 'cf-1', 'success'],
    ]);
  });

  it('the ready write lands but its answer is lost: the file is built and its ZIP stays (not deleted under a ready record); unknown, the ZIP stays too', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    const replace = records.replaceCaseFile;
    const lost = new Error('socket hang up after the write');
    records.replaceCaseFile = async (doc) => {
      const saved = await replace(doc);
      if (doc.status === 'ready') throw lost;
      return saved;
    };
    expect(await buildCaseFile(message, at(0))).toBe('built');
    const ready = records.caseFile(message);
    expect(ready).toMatchObject({ status: 'ready' });
    expect(records.caseFileBlobs.get(ready.blobName!)).toBeDefined();
    expect(records.deletes).toEqual([]);

    // The read after it fails too: the answer is unknown, the message fails, and the ZIP is kept.
    const second = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { id: 'cf-2' });
    const read = records.readCaseFile;
    records.readCaseFile = async (orgId, id) => {
      if (records.caseFile(second).status === 'ready') throw new Error('store unavailable');
      return read(orgId, id);
    };
    await expect(buildCaseFile(second, at(0))).rejects.toBe(lost);
    expect(records.caseFileBlobs.get(records.caseFile(second).blobName!)).toBeDefined();
    expect(records.deletes).toEqual([]);
    records.readCaseFile = read;

    // The ready write never landed and the read fails: the claim is released (its write over the version before
    // succeeds, which proves the ready one did not land), the ZIP deleted, and the redelivery builds the file.
    const third = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { id: 'cf-3' });
    const refused = new Error('connection reset before the write');
    records.replaceCaseFile = async (doc) => {
      if (doc.status === 'ready' && doc.id === 'cf-3') throw refused;
      return replace(doc);
    };
    let failReads = true;
    records.readCaseFile = async (orgId, id) => {
      if (failReads && id === 'cf-3' && records.caseFile(third).claim && records.uploads.length === 3) throw new Error('store unavailable');
      return read(orgId, id);
    };
    await expect(buildCaseFile(third, at(0))).rejects.toBe(refused);
    expect(records.caseFile(third)).toMatchObject({ status: 'building', claim: null });
    expect(records.deletes).toHaveLength(1);
    expect(records.caseFileBlobs.has(records.deletes[0]!)).toBe(false);
    failReads = false;
    records.replaceCaseFile = replace;
    expect(await buildCaseFile(third, at(1000))).toBe('built');
    expect(records.caseFile(third)).toMatchObject({ status: 'ready', attempts: 2 });
  });

  it("a write applied with its answer lost and retried by the store client answers 412: read back, it is the attempt's own (its claim, its ready record), so the build goes on and its ZIP stays", async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    const replace = records.replaceCaseFile;
    // Every write of the build lands, and is then answered as its repeat would be: precondition failed.
    records.replaceCaseFile = async (doc) => {
      await replace(doc);
      return undefined;
    };
    expect(await buildCaseFile(message, at(0))).toBe('built');
    const ready = records.caseFile(message);
    expect(ready).toMatchObject({ status: 'ready', attempts: 1, claim: null });
    expect(records.caseFileBlobs.get(ready.blobName!)).toBeDefined();
    expect(records.deletes).toEqual([]);

    // A claim that lands with no answer at all (every retry of the client lost) is this attempt's too: the build goes on.
    const silent = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { id: 'cf-silent' });
    let first = true;
    records.replaceCaseFile = async (doc) => {
      const saved = await replace(doc);
      if (first) {
        first = false;
        throw new Error('connection reset after the write, on every retry');
      }
      return saved;
    };
    expect(await buildCaseFile(silent, at(0))).toBe('built');
    expect(records.caseFile(silent)).toMatchObject({ status: 'ready', attempts: 1 });

    // Another attempt's write in between is not taken for this one's: the attempt stands down.
    const second = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { id: 'cf-2' });
    records.replaceCaseFile = async (doc) => {
      const current = records.caseFile(second);
      await replace({ ...current, claim: { id: 'theirs', until: new Date(NOW.getTime() + 600_000).toISOString() }, writeId: 'theirs' });
      return replace(doc);
    };
    expect(await buildCaseFile(second, at(0))).toBe('skipped');
    expect(records.caseFile(second)).toMatchObject({ status: 'building', claim: { id: 'theirs' } });
    records.replaceCaseFile = replace;
  });

  it('a transient fault below the limit: the message fails (the queue delivers it again), the claim is released, nothing kept; the next attempt builds it', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    const fault = new Error('connection reset by storage');
    records.uploadFault = fault;
    await expect(buildCaseFile(message, at(0))).rejects.toBe(fault);
    expect(records.caseFile(message)).toMatchObject({ status: 'building', attempts: 1, claim: null, blobName: null, failure: null });
    expect(records.caseFileBlobs.size).toBe(0);
    expect(records.deletes).toEqual(records.uploads);

    // An evidence blob missing (a transient read fault as far as the build can tell): the same.
    records.uploadFault = undefined;
    const blob = evidenceBlobName('shop', 'v1');
    const bytes = records.evidenceBlobs.get(blob)!;
    records.evidenceBlobs.delete(blob);
    await expect(buildCaseFile(message, at(1000))).rejects.toMatchObject({ statusCode: 404 });
    expect(records.caseFile(message)).toMatchObject({ status: 'building', attempts: 2, claim: null });
    expect(records.caseFileBlobs.size).toBe(0);

    records.evidenceBlobs.set(blob, bytes);
    expect(await buildCaseFile(message, at(2000))).toBe('built');
    expect(records.caseFile(message)).toMatchObject({ status: 'ready', attempts: 3, claim: null });
    const { name } = await records.zip();
    expect(records.uploads).toEqual([expect.any(String), expect.any(String), name]);
    // Each attempt audits before it reads a byte: the failed ones are in the chain too.
    expect(records.written().filter(([, action]) => action === 'casefile.build')).toHaveLength(3);
  });

  it(`a fault on attempt ${MAX_BUILD_ATTEMPTS} marks it failed instead of trying again; an attempt beyond (the last one crashed) marks it failed without building`, async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const failure = `The build did not finish after ${MAX_BUILD_ATTEMPTS} attempts; ask for the case file again.`;
    const before = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { attempts: MAX_BUILD_ATTEMPTS - 2 });
    records.uploadFault = new Error('connection reset by storage');
    await expect(buildCaseFile(before, at(0))).rejects.toThrow('connection reset');
    expect(records.caseFile(before)).toMatchObject({ status: 'building', attempts: MAX_BUILD_ATTEMPTS - 1, claim: null });
    expect(await buildCaseFile(before, at(1000))).toBe('failed');
    expect(records.caseFile(before)).toMatchObject({ status: 'failed', attempts: MAX_BUILD_ATTEMPTS, claim: null, blobName: null, failure });
    // The last attempt was made (it got as far as the upload) before giving up.
    expect(records.uploads).toHaveLength(2);
    expect(records.caseFileBlobs.size).toBe(0);
    expect(records.deletes).toEqual(records.uploads);
    expect(await buildCaseFile(before, at(2000))).toBe('skipped');

    const crashed = world();
    crashed.records.attach(crashed.records.report('shop', 'e1'), 'v1', jpeg(1));
    const lapsed = { id: 'crashed-attempt', until: new Date(NOW.getTime() - 1).toISOString() };
    const message = crashed.records.request('police', 'PoliceOfficer', { eventIds: ['e1'] }, { attempts: MAX_BUILD_ATTEMPTS, claim: lapsed });
    expect(await crashed.buildCaseFile(message, at(0))).toBe('failed');
    expect(crashed.records.caseFile(message)).toMatchObject({ status: 'failed', attempts: MAX_BUILD_ATTEMPTS + 1, claim: null, failure });
    expect(crashed.records.uploads).toEqual([]);
    expect(crashed.records.written()).toEqual([]);
  });

  it('taken over while it streamed (another writer changed the record): this attempt keeps nothing and leaves the record as the other left it', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    const theirs = { id: 'newer-attempt', until: new Date(NOW.getTime() + CLAIM_MS).toISOString() };
    records.duringUpload = async () => {
      records.duringUpload = undefined;
      const current = records.caseFile(message);
      await records.replaceCaseFile({ ...current, claim: theirs, attempts: current.attempts + 1 });
    };
    expect(await buildCaseFile(message, at(0))).toBe('skipped');
    expect(records.caseFile(message)).toMatchObject({ status: 'building', claim: theirs, attempts: 2, blobName: null });
    // Found out at its last write, after the upload: the ZIP it stored is deleted.
    expect(records.committed).toEqual(records.uploads);
    expect(records.caseFileBlobs.size).toBe(0);
    expect(records.deletes).toEqual(records.uploads);
  });
});

describe('the claim while the ZIP streams', () => {
  const clock = { now: NOW.getTime() };
  const now = () => new Date(clock.now);
  /** Only the renewal's interval is faked: streams, the PDF and the ZIP writer keep their real timers. */
  beforeEach(() => {
    clock.now = NOW.getTime();
    jest.useFakeTimers({ doNotFake: ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'] });
  });
  afterEach(() => jest.useRealTimers());

  /** Thirty seconds pass, and the renewal they trigger (a write) has its turn. */
  async function thirtySeconds(): Promise<void> {
    clock.now += 30_000;
    jest.advanceTimersByTime(30_000);
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  it('is renewed every 30 s for another two minutes from then, keeping its id, so no other attempt takes over a long build', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    const seen: CaseFileDoc['claim'][] = [];
    records.duringUpload = async () => {
      seen.push(records.caseFile(message).claim);
      await thirtySeconds();
      seen.push(records.caseFile(message).claim);
      await thirtySeconds();
      seen.push(records.caseFile(message).claim);
      // A duplicate message now finds it held.
      expect(await buildCaseFile(message, now)).toBe('skipped');
    };
    expect(await buildCaseFile(message, now)).toBe('built');
    expect(seen.map((c) => c!.until)).toEqual([0, 30_000, 60_000].map((ms) => new Date(NOW.getTime() + ms + CLAIM_MS).toISOString()));
    expect(new Set(seen.map((c) => c!.id)).size).toBe(1);
    expect(records.caseFile(message)).toMatchObject({ status: 'ready', attempts: 1, claim: null, updatedAt: new Date(NOW.getTime() + 60_000).toISOString() });
    // Stopped with the build: no renewal writes after it.
    const after = records.caseFile(message);
    await thirtySeconds();
    expect(records.caseFile(message)).toEqual(after);
  });

  it('lost at a renewal (another attempt took the record): the upload is abandoned at once, nothing is kept, the record stays the other attempt’s', async () => {
    const { records, buildCaseFile } = world();
    records.attach(records.report('shop', 'e1'), 'v1', jpeg(1));
    const message = records.request('police', 'PoliceOfficer', { eventIds: ['e1'] });
    const theirs = { id: 'newer-attempt', until: new Date(NOW.getTime() + CLAIM_MS).toISOString() };
    records.duringUpload = async () => {
      const current = records.caseFile(message);
      await records.replaceCaseFile({ ...current, claim: theirs, attempts: current.attempts + 1 });
      await thirtySeconds();
    };
    expect(await buildCaseFile(message, now)).toBe('skipped');
    // Abandoned mid-stream: the upload never committed (not stored, then deleted at the end).
    expect(records.uploads).toHaveLength(1);
    expect(records.committed).toEqual([]);
    expect(records.caseFileBlobs.size).toBe(0);
    expect(records.deletes).toEqual(records.uploads);
    expect(records.caseFile(message)).toMatchObject({ status: 'building', claim: theirs, attempts: 2 });
  });
});
