import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { evidenceProcessing, type EvidenceProcessingStore, type ProcessOptions } from '../../../shared/evidence/evidence-processor';
import type { EvidenceDoc } from '../../../shared/evidence/evidence-repository';
import { EVIDENCE, QUARANTINE, UPLOADS, type CopyOutcome } from '../../../shared/adapters/evidence-blobs';
import { SNIFF_BYTES } from '../../../shared/adapters/media-type';
import type { AuditDraft } from '../../../shared/domain/audit-chain';
import { DEFAULT_LIMITS } from '../../../shared/domain/evidence/evidence-rules';
import type { EvidenceKind } from '../../../shared/domain/evidence/evidence-schema';
import { closeFileTypeWorker, fileTypeInWorker } from '../support/file-type-worker';
import { heifFile } from '../../fixtures/heif-file';

// file-type is ESM-only and Jest cannot load it: the real library answers from a worker thread.
jest.mock('file-type', () => fileTypeInWorker, { virtual: true });
afterAll(() => closeFileTypeWorker());

/**
 * Processing an upload over records, blobs and an audit chain in memory. Media-type sniffing
 * (the real file-type library), the plain-text check, image decoding (sharp), the perceptual
 * hash and the verdict are the code's own; only storage is faked, and it behaves as storage
 * does: reads, copies and deletes of a blob version are conditional on its ETag, a record is
 * replaced only over the version read, an absent blob or record is absent. The same flow runs
 * against the emulators in test/integration/app/evidence.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const ID = 'ev-0001-abcd';
const NAME = `shop/${ID}`;
const REF = { retailerId: 'shop', evidenceId: ID };
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const storageError = (statusCode: number, message: string) => Object.assign(new Error(message), { statusCode });

interface Blob {
  bytes: Buffer;
  etag: string;
  metadata: Record<string, string>;
}

class Records implements EvidenceProcessingStore {
  /** "container/name" → the blob. */
  blobs = new Map<string, Blob>();
  /** "retailer|id" → the record, with its version. */
  docs = new Map<string, EvidenceDoc>();
  /** "retailer|id" of records still in the container from before shards. */
  legacy = new Set<string>();
  chain: { orgId: string; draft: AuditDraft }[] = [];
  /** What changed, in order. */
  ops: string[] = [];
  /** Streaming reads of a blob's bytes (the hash, the measuring pass, the image read). */
  reads: string[] = [];
  /** The read with this index (0: the first) fails as storage can (a 503). */
  faultOnRead: number | undefined;
  /** Stream in chunks this large, as storage does. */
  chunkBytes = 16 * 1024;
  /** The next change whose description starts with this throws instead (a crash there). */
  crashBefore: string | undefined;
  /** Runs once, as the next streaming read starts (another delivery working alongside). */
  duringRead: (() => Promise<void>) | undefined;
  /** Runs once, just before the next record replace is judged (another writer, a delete). 'answer-lost': the write lands, its answer does not. */
  beforeReplace: (() => Promise<'answer-lost' | void>) | undefined;
  private version = 0;

  blobFacts = async (containerName: string, name: string) => {
    const blob = this.blobs.get(`${containerName}/${name}`);
    return blob && { etag: blob.etag, size: blob.bytes.length, metadata: { ...blob.metadata } };
  };
  hashBlob = async (containerName: string, name: string, etag: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of this.streamBlob(containerName, name, etag)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    return { sha256: sha(bytes), size: bytes.length };
  };
  /** As storage: 404 when absent, 412 when no longer the version `etag`; chunk by chunk. */
  streamBlob = async function* (this: Records, containerName: string, name: string, etag: string) {
    const hook = this.duringRead;
    this.duringRead = undefined;
    await hook?.();
    const blob = this.current(containerName, name, etag);
    if (this.reads.length === this.faultOnRead) throw storageError(503, 'ServerBusy');
    this.reads.push(`${containerName}/${name}`);
    for (let at = 0; at < blob.bytes.length; at += this.chunkBytes) yield Buffer.from(blob.bytes.subarray(at, at + this.chunkBytes));
  }.bind(this);
  readSmallBlob = async (containerName: string, name: string, maxBytes: number, etag: string) => {
    const chunks: Buffer[] = [];
    for await (const chunk of this.streamBlob(containerName, name, etag)) chunks.push(chunk);
    const bytes = Buffer.concat(chunks);
    if (bytes.length > maxBytes) throw new RangeError(`Blob ${containerName}/${name} is larger than ${maxBytes} bytes.`);
    return bytes;
  };
  /** As Copy Blob: of the source version `sourceEtag` only; create-only answers 'exists' over any existing blob. */
  copyBlob = async (fromContainer: string, name: string, toContainer: string, options: { sourceEtag: string; metadata: Record<string, string>; createOnly: boolean }): Promise<CopyOutcome> => {
    const source = this.current(fromContainer, name, options.sourceEtag);
    if (options.createOnly && this.blobs.has(`${toContainer}/${name}`)) return 'exists';
    this.change(`copy ${fromContainer} → ${toContainer}`);
    this.blobs.set(`${toContainer}/${name}`, { bytes: Buffer.from(source.bytes), etag: this.nextEtag(), metadata: { ...options.metadata } });
    return 'copied';
  };
  /** As storage: false when absent or, with `etag`, no longer that version. */
  deleteBlob = async (containerName: string, name: string, etag?: string) => {
    const blob = this.blobs.get(`${containerName}/${name}`);
    if (!blob || (etag !== undefined && blob.etag !== etag)) return false;
    this.change(`delete ${containerName}`);
    this.blobs.delete(`${containerName}/${name}`);
    return true;
  };
  readEvidenceDoc = async (retailerId: string, id: string) => structuredClone(this.docs.get(`${retailerId}|${id}`));
  /** As the repository: only over the version read; 'gone' when deleted, 'changed' when another writer got there first. */
  replaceEvidenceDoc = async (doc: EvidenceDoc, etag: string) => {
    const hook = this.beforeReplace;
    this.beforeReplace = undefined;
    const interference = await hook?.();
    const key = `${doc.orgId}|${doc.id}`;
    const stored = this.docs.get(key);
    if (!stored) return 'gone' as const;
    if (stored._etag !== etag) return 'changed' as const;
    this.change(`record ${doc.status}${doc.custodyLogged ? ', custody logged' : ''}`);
    const next = { ...structuredClone(doc), _etag: this.nextEtag() };
    this.docs.set(key, next);
    return interference === 'answer-lost' ? ('changed' as const) : structuredClone(next);
  };
  readLegacyEvidence = async (retailerId: string, id: string) => (this.legacy.has(`${retailerId}|${id}`) ? { id, orgId: retailerId } : undefined);
  appendAudit = async (orgId: string, draft: AuditDraft) => {
    this.change(`audit ${draft.action}`);
    this.chain.push({ orgId, draft: structuredClone(draft) });
  };
  imageReady = async (_orgId: string, eventId: string) => this.change(`image ready ${eventId}`);
  chainHolds = async (orgId: string, draft: Pick<AuditDraft, 'action' | 'target'>) =>
    this.chain.some((e) => e.orgId === orgId && e.draft.action === draft.action && e.draft.target.id === draft.target.id);

  /** An upload landing (a PUT through the upload URL): a new version each time. */
  upload(bytes: Buffer): void {
    this.blobs.set(`${UPLOADS}/${NAME}`, { bytes, etag: this.nextEtag(), metadata: {} });
  }

  /** The pending record the API created for `declared`. */
  pending(declared: { contentType: string; size: number; sha256?: string }, kind: EvidenceKind = 'image'): EvidenceDoc {
    const doc: EvidenceDoc = {
      id: ID,
      orgId: 'shop',
      docType: 'evidence',
      eventId: 'event-1',
      kind,
      fileName: 'file',
      declared: { contentType: declared.contentType, size: declared.size, sha256: declared.sha256 ?? null },
      status: 'pending',
      reason: null,
      sha256: null,
      size: null,
      mediaType: null,
      image: null,
      createdAt: '2026-11-02T11:59:00.000Z',
      createdBy: 'reporter',
      uploadExpiresAt: '2026-11-02T12:14:00.000Z',
      processedAt: null,
      uploadEtag: null,
      custodyLogged: false,
      _etag: this.nextEtag(),
    };
    this.docs.set(`shop|${ID}`, doc);
    return structuredClone(doc);
  }

  /** The record (declared as the bytes are) and its upload. */
  declareAndUpload(bytes: Buffer, contentType: string, kind: EvidenceKind = 'image'): void {
    this.pending({ contentType, size: bytes.length }, kind);
    this.upload(bytes);
  }

  doc = () => this.docs.get(`shop|${ID}`);
  blob = (containerName: string) => this.blobs.get(`${containerName}/${NAME}`);

  private current(containerName: string, name: string, etag: string): Blob {
    const blob = this.blobs.get(`${containerName}/${name}`);
    if (!blob) throw storageError(404, 'BlobNotFound');
    if (blob.etag !== etag) throw storageError(412, 'ConditionNotMet');
    return blob;
  }

  private change(what: string): void {
    if (this.crashBefore !== undefined && what.startsWith(this.crashBefore)) {
      this.crashBefore = undefined;
      throw new Error(`crash before ${what}`);
    }
    this.ops.push(what);
  }

  private nextEtag = () => `"0x${(++this.version).toString(16)}"`;
}

function world() {
  const records = new Records();
  const { processUpload } = evidenceProcessing(records);
  const run = (options: ProcessOptions = {}) => processUpload(REF, { now: () => NOW, limits: DEFAULT_LIMITS, ...options });
  return { records, run };
}

/**
 * A 9×8 greyscale PNG whose even rows darken to the right and odd rows lighten: its dHash
 * (a bit set where a pixel is brighter than its right-hand neighbour) is ff00ff00ff00ff00.
 */
async function stripedPng(): Promise<Buffer> {
  const pixels = Buffer.alloc(9 * 8);
  for (let y = 0; y < 8; y++) for (let x = 0; x < 9; x++) pixels[y * 9 + x] = y % 2 === 0 ? 240 - 25 * x : 20 + 25 * x;
  return sharp(pixels, { raw: { width: 9, height: 8, channels: 1 } }).png().toBuffer();
}

const photoJpeg = () => sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 180, g: 40, b: 40 } } }).jpeg().toBuffer();

/** The custody entry of a processed item, as the processor writes it. */
const custodyEntry = (details: Record<string, unknown>) => ({
  orgId: 'shop',
  draft: {
    actor: { sub: 'system:evidence-processor', org: null, roles: [] },
    action: 'evidence.process',
    target: { type: 'evidence', id: ID },
    outcome: 'success',
    requestId: `evidence-process:${ID}`,
    details: { eventId: 'event-1', ...details },
  },
});

describe('nothing to keep', () => {
  test('no upload: nothing is read, written or logged', async () => {
    const { records, run } = world();
    records.pending({ contentType: 'image/png', size: 10 });
    expect(await run()).toBe('no-upload');
    expect(records.ops).toEqual([]);
    expect(records.doc()!.status).toBe('pending');
  });

  test('an upload without a record (its event deleted, or a name never ours) is removed, and nothing kept', async () => {
    const { records, run } = world();
    records.upload(await stripedPng());
    expect(await run()).toBe('orphan-removed');
    expect(records.ops).toEqual([`delete ${UPLOADS}`]);
    expect(records.blobs.size).toBe(0);
    expect(records.chain).toEqual([]);
  });

  test('an upload whose record is still in the container from before shards fails the delivery and stays, to be processed after the move', async () => {
    const { records, run } = world();
    records.upload(await stripedPng());
    records.legacy.add(`shop|${ID}`);
    await expect(run()).rejects.toThrow(/before shards/);
    expect(records.blob(UPLOADS)).toBeDefined();
    expect(records.ops).toEqual([]);
  });

  test('a record the shard migration moves between the two reads (copied into its shard, then dropped from the old container) keeps its upload and is processed from its shard', async () => {
    const { records, run } = world();
    records.declareAndUpload(await stripedPng(), 'image/png');
    // The first read finds nothing in the shard: the record is still in the old container.
    const moved = records.docs.get(`shop|${ID}`)!;
    records.docs.delete(`shop|${ID}`);
    records.legacy.add(`shop|${ID}`);
    // The migration runs while the processor looks in the old container: copied, then dropped.
    const readLegacy = records.readLegacyEvidence;
    records.readLegacyEvidence = async (retailerId, id) => {
      records.docs.set(`shop|${ID}`, moved);
      records.legacy.delete(`shop|${ID}`);
      return readLegacy(retailerId, id);
    };
    // The same delivery reads it again from where it now is, and finishes it.
    expect(await run()).toBe('ready');
    expect(records.blob(EVIDENCE)).toBeDefined();
    expect(records.blob(UPLOADS)).toBeUndefined();
    expect(records.doc()!.status).toBe('ready');
    expect(records.chain.map((c) => c.draft.action)).toEqual(['evidence.process']);
  });
});

describe('a pending record', () => {
  test('a valid PNG ends ready: copied unchanged to evidence, the record final with its hash and image facts, one custody entry, the upload removed last', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    const uploadEtag = records.blob(UPLOADS)!.etag;

    expect(await run()).toBe('ready');

    const doc = records.doc()!;
    expect(doc).toMatchObject({
      status: 'ready',
      reason: null,
      sha256: sha(png),
      size: png.length,
      mediaType: 'image/png',
      image: { width: 9, height: 8, perceptualHash: 'ff00ff00ff00ff00' },
      processedAt: NOW.toISOString(),
      uploadEtag,
      custodyLogged: true,
    });
    expect(records.blob(EVIDENCE)!.bytes.equals(png)).toBe(true);
    expect(records.blob(EVIDENCE)!.metadata).toEqual({ sha256: sha(png) });
    expect(records.blob(UPLOADS)).toBeUndefined();
    expect(records.blob(QUARANTINE)).toBeUndefined();
    expect(records.chain).toEqual([custodyEntry({ status: 'ready', reason: null, sha256: sha(png), size: png.length, mediaType: 'image/png', perceptualHash: 'ff00ff00ff00ff00' })]);
    // The order any crash resumes from: copy, record final, entry, mark, its event matched again with the picture, upload removed.
    expect(records.ops).toEqual([`copy ${UPLOADS} → ${EVIDENCE}`, 'record ready', 'audit evidence.process', 'record ready, custody logged', 'image ready event-1', `delete ${UPLOADS}`]);
  });

  test('a JPEG declared as a PNG is rejected (type-mismatch) into quarantine, never into evidence', async () => {
    const { records, run } = world();
    const jpeg = await photoJpeg();
    records.declareAndUpload(jpeg, 'image/png');

    expect(await run()).toBe('rejected');

    expect(records.doc()).toMatchObject({ status: 'rejected', reason: 'type-mismatch', mediaType: 'image/jpeg', sha256: sha(jpeg), size: jpeg.length, image: null, custodyLogged: true });
    expect(records.blob(EVIDENCE)).toBeUndefined();
    expect(records.blob(QUARANTINE)!.bytes.equals(jpeg)).toBe(true);
    expect(records.blob(UPLOADS)).toBeUndefined();
    expect(records.chain).toEqual([custodyEntry({ status: 'rejected', reason: 'type-mismatch', sha256: sha(jpeg), size: jpeg.length, mediaType: 'image/jpeg', perceptualHash: null })]);
  });

  test('a JPEG declared as one is kept, with the size of the picture', async () => {
    const { records, run } = world();
    const jpeg = await photoJpeg();
    records.declareAndUpload(jpeg, 'image/jpeg');
    expect(await run()).toBe('ready');
    expect(records.doc()).toMatchObject({ status: 'ready', mediaType: 'image/jpeg', image: { width: 32, height: 24, perceptualHash: expect.stringMatching(/^[0-9a-f]{16}$/) } });
    expect(records.blob(EVIDENCE)!.bytes.equals(jpeg)).toBe(true);
  });

  test('an executable declared as a PNG is rejected for what it is', async () => {
    const { records, run } = world();
    const elf = Buffer.alloc(256);
    Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]).copy(elf);
    records.declareAndUpload(elf, 'image/png');
    expect(await run()).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'executable', mediaType: 'application/x-elf' });
    expect(records.blob(QUARANTINE)).toBeDefined();
  });

  test('text declared as an image is rejected as text/plain', async () => {
    const { records, run } = world();
    records.declareAndUpload(Buffer.from('not a picture at all\n'), 'image/jpeg');
    expect(await run()).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'type-mismatch', mediaType: 'text/plain', image: null });
  });

  test('a statement longer than the sniffed head is text only if every chunk is: a NUL past the head makes it unknown', async () => {
    const text = Buffer.from('The offender left by the east door. '.repeat(Math.ceil((SNIFF_BYTES + 40_000) / 36)));
    expect(text.length).toBeGreaterThan(SNIFF_BYTES + 2 * 16 * 1024);
    const clean = world();
    clean.records.declareAndUpload(text, 'text/plain', 'witness-statement');
    expect(await clean.run()).toBe('ready');
    expect(clean.records.doc()).toMatchObject({ mediaType: 'text/plain', sha256: sha(text), size: text.length, image: null });

    const spoilt = Buffer.from(text);
    spoilt[SNIFF_BYTES + 20_000] = 0;
    const binary = world();
    binary.records.declareAndUpload(spoilt, 'text/plain', 'witness-statement');
    expect(await binary.run()).toBe('rejected');
    expect(binary.records.doc()).toMatchObject({ reason: 'unknown-type', mediaType: null, sha256: sha(spoilt) });
  });

  test('a short file with a NUL byte is not text, whatever was declared', async () => {
    const { records, run } = world();
    records.declareAndUpload(Buffer.from('line one\n\0line two\n'), 'text/plain', 'witness-statement');
    expect(await run()).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'unknown-type', mediaType: null });
  });

  test('bytes of another size than declared are rejected, and hashed so that custody can check what was quarantined (first audit of December)', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.pending({ contentType: 'image/png', size: png.length + 1 });
    records.upload(png);
    expect(await run()).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'size-mismatch', sha256: sha(png), size: png.length, mediaType: 'image/png' });
    expect(records.blob(QUARANTINE)!.metadata).toEqual({ sha256: sha(png) });
  });

  test('bytes beyond the largest limit of any upload are rejected without being read, with no hash', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.pending({ contentType: 'image/png', size: 10 });
    records.upload(png);
    const small = png.length - 1;
    expect(await run({ limits: { imageBytes: small, videoBytes: small, documentBytes: small } })).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'size-mismatch', sha256: null, size: png.length, mediaType: null });
    expect(records.reads).toEqual([]);
    expect(records.blob(QUARANTINE)!.metadata).toEqual({});
  });

  test('bytes whose SHA-256 is not the one declared are rejected', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.pending({ contentType: 'image/png', size: png.length, sha256: 'A'.repeat(64) });
    records.upload(png);
    expect(await run()).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'sha256-mismatch', sha256: sha(png) });
  });

  test('an image over the image limit is rejected as too large, and its pixels never read', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    expect(await run({ limits: { ...DEFAULT_LIMITS, imageBytes: png.length - 1 } })).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'too-large', image: null });
    expect(records.reads).toEqual([`${UPLOADS}/${NAME}`]);
  });

  test('a HEIC ends ready with its size from its container and no perceptual hash; one cut short is rejected as a corrupt image', async () => {
    const heic = heifFile({ width: 4032, height: 3024, quarterTurns: 1 });
    const whole = world();
    whole.records.declareAndUpload(heic, 'image/heic');
    expect(await whole.run()).toBe('ready');
    expect(whole.records.doc()).toMatchObject({ status: 'ready', mediaType: 'image/heic', image: { width: 3024, height: 4032, perceptualHash: null } });
    const cut = world();
    cut.records.declareAndUpload(heic.subarray(0, heic.length - 100), 'image/heic');
    expect(await cut.run()).toBe('rejected');
    expect(cut.records.doc()).toMatchObject({ reason: 'corrupt-image', mediaType: 'image/heic', image: null });
    expect(cut.records.blob(QUARANTINE)).toBeDefined();
  });

  test('a PNG that will not decode (cut short) is rejected as a corrupt image', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    const cut = png.subarray(0, 50);
    records.declareAndUpload(cut, 'image/png');
    expect(await run()).toBe('rejected');
    expect(records.doc()).toMatchObject({ reason: 'corrupt-image', mediaType: 'image/png', image: null });
    expect(records.blob(QUARANTINE)).toBeDefined();
    expect(records.blob(EVIDENCE)).toBeUndefined();
  });

  test('a storage fault while the picture is read fails the delivery: the image is not judged corrupt, the record stays pending', async () => {
    const { records, run } = world();
    records.declareAndUpload(await stripedPng(), 'image/png');
    records.faultOnRead = 1;
    await expect(run()).rejects.toThrow('ServerBusy');
    expect(records.doc()!.status).toBe('pending');
    expect(records.ops).toEqual([]);
    expect(records.blob(UPLOADS)).toBeDefined();
  });

  test.each([
    ['other bytes', (_png: Buffer) => ({ bytes: Buffer.from('other'), sha256: sha(Buffer.from('other')) })],
    ['another size, claiming the same SHA-256', (png: Buffer) => ({ bytes: Buffer.from('other'), sha256: sha(png) })],
  ])('an evidence blob of %s under the name is never touched: the delivery fails and the record stays pending', async (_, existing) => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    const { bytes, sha256 } = existing(png);
    records.blobs.set(`${EVIDENCE}/${NAME}`, { bytes, etag: '"x"', metadata: { sha256 } });
    await expect(run()).rejects.toThrow(/other content/);
    expect(records.doc()!.status).toBe('pending');
    expect(records.blob(EVIDENCE)!.bytes.toString()).toBe('other');
    expect(records.blob(UPLOADS)).toBeDefined();
    expect(records.chain).toEqual([]);
  });
});

describe('while it is processed', () => {
  test('a record deleted with its event meanwhile: the copy placed is taken back and the upload removed', async () => {
    const { records, run } = world();
    records.declareAndUpload(await stripedPng(), 'image/png');
    records.beforeReplace = async () => void records.docs.delete(`shop|${ID}`);
    expect(await run()).toBe('orphan-removed');
    expect(records.blobs.size).toBe(0);
    expect(records.chain).toEqual([]);
  });

  test('a rejected item deleted meanwhile is taken back out of quarantine', async () => {
    const { records, run } = world();
    records.declareAndUpload(await photoJpeg(), 'image/png');
    records.beforeReplace = async () => void records.docs.delete(`shop|${ID}`);
    expect(await run()).toBe('orphan-removed');
    expect(records.blobs.size).toBe(0);
  });

  test('a concurrent delivery that finished first: this one starts again, finds nothing left to do, and logs nothing twice', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    records.beforeReplace = async () => void (await run());
    expect(await run()).toBe('no-upload');
    expect(records.doc()).toMatchObject({ status: 'ready', sha256: sha(png), custodyLogged: true });
    expect(records.chain.map((e) => e.draft.action)).toEqual(['evidence.process']);
    expect(records.blob(UPLOADS)).toBeUndefined();
  });

  test('its own write landed but the answer was lost: the re-run finishes from the stored record, one entry', async () => {
    const { records, run } = world();
    records.declareAndUpload(await stripedPng(), 'image/png');
    records.beforeReplace = async () => 'answer-lost';
    expect(await run()).toBe('already-final');
    expect(records.doc()).toMatchObject({ status: 'ready', custodyLogged: true });
    expect(records.chain.map((e) => e.draft.action)).toEqual(['evidence.process']);
    expect(records.blob(UPLOADS)).toBeUndefined();
  });

  test('the record changes under this delivery and again under its re-run, still pending: the delivery fails (it comes again), and nothing is marked final or removed', async () => {
    const { records, run } = world();
    records.declareAndUpload(await stripedPng(), 'image/png');
    const key = `shop|${ID}`;
    // Another writer touches the pending record just before each of this delivery's writes.
    const touch = async () => {
      records.docs.set(key, { ...records.docs.get(key)!, _etag: `touched-${Math.random()}` });
    };
    records.beforeReplace = async () => {
      await touch();
      records.beforeReplace = touch;
    };
    await expect(run()).rejects.toThrow('changed twice');
    expect(records.doc()).toMatchObject({ status: 'pending' });
    expect(records.blob(UPLOADS)).toBeDefined();
    expect(records.chain).toEqual([]);
    // The redelivery finds it pending and finishes it.
    expect(await run()).toBe('ready');
    expect(records.blob(UPLOADS)).toBeUndefined();
  });

  test('a concurrent delivery turned the record final (and stopped before removing the upload) while this one read the bytes: this one does not write over it, and logs nothing twice', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    records.duringRead = async () => {
      records.crashBefore = `delete ${UPLOADS}`;
      await expect(run()).rejects.toThrow('crash before');
    };
    const final = () => records.docs.get(`shop|${ID}`)!;
    expect(await run()).toBe('already-final');
    expect(records.ops.filter((op) => op.startsWith('record'))).toEqual(['record ready', 'record ready, custody logged']);
    expect(final()).toMatchObject({ status: 'ready', sha256: sha(png), custodyLogged: true });
    expect(records.chain.map((e) => e.draft.action)).toEqual(['evidence.process']);
    expect(records.blob(UPLOADS)).toBeUndefined();
  });

  test('other bytes put through the upload URL while the first are processed stay for their own delivery, which discards them', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    const later = Buffer.concat([png, Buffer.from('more')]);
    records.beforeReplace = async () => records.upload(later);
    expect(await run()).toBe('ready');
    expect(records.blob(UPLOADS)!.bytes.equals(later)).toBe(true);
    expect(await run()).toBe('discarded');
    expect(records.blob(UPLOADS)).toBeUndefined();
    expect(records.blob(EVIDENCE)!.bytes.equals(png)).toBe(true);
    expect(records.doc()!.sha256).toBe(sha(png));
  });
});

describe('a record already final', () => {
  /** A PNG processed to ready, then a crash just before `step`; answers the record and the bytes. */
  async function crashedBefore(step: string) {
    const w = world();
    const png = await stripedPng();
    w.records.declareAndUpload(png, 'image/png');
    w.records.crashBefore = step;
    await expect(w.run()).rejects.toThrow(`crash before ${step}`);
    return { ...w, png };
  }

  test('redelivered after a crash before the upload was removed: already-final, the upload removed, nothing written again', async () => {
    const { records, run, png } = await crashedBefore(`delete ${UPLOADS}`);
    const before = structuredClone(records.doc());
    records.ops = [];
    expect(await run()).toBe('already-final');
    // The re-match is asked again (a crash may have come before it); matching twice changes nothing.
    expect(records.ops).toEqual(['image ready event-1', `delete ${UPLOADS}`]);
    expect(records.doc()).toEqual(before);
    expect(records.blob(EVIDENCE)!.bytes.equals(png)).toBe(true);
    expect(records.chain.length).toBe(1);
  });

  test('a crash after the record turned final and before the entry: the next delivery writes the entry, once, and marks it', async () => {
    const { records, run } = await crashedBefore('audit');
    expect(records.chain).toEqual([]);
    expect(await run()).toBe('already-final');
    expect(records.chain.map((e) => e.draft.action)).toEqual(['evidence.process']);
    expect(records.doc()!.custodyLogged).toBe(true);
    expect(records.blob(UPLOADS)).toBeUndefined();
    expect(await run()).toBe('no-upload');
    expect(records.chain.length).toBe(1);
  });

  test('a crash after the entry and before its mark: the chain already holds it, so no second entry', async () => {
    const { records, run } = await crashedBefore('record ready, custody logged');
    expect(records.chain.length).toBe(1);
    expect(records.doc()!.custodyLogged).toBe(false);
    expect(await run()).toBe('already-final');
    expect(records.chain.length).toBe(1);
    expect(records.doc()!.custodyLogged).toBe(true);
    expect(records.blob(UPLOADS)).toBeUndefined();
  });

  test('a crash after the copy and before the record: the next delivery analyses again over the identical copy', async () => {
    const { records, run, png } = await crashedBefore('record ready');
    expect(records.blob(EVIDENCE)).toBeDefined();
    expect(await run()).toBe('ready');
    expect(records.doc()).toMatchObject({ status: 'ready', sha256: sha(png) });
    expect(records.chain.length).toBe(1);
  });

  test('finishing places the copy again where it is missing', async () => {
    const { records, run, png } = await crashedBefore(`delete ${UPLOADS}`);
    records.blobs.delete(`${EVIDENCE}/${NAME}`);
    expect(await run()).toBe('already-final');
    expect(records.blob(EVIDENCE)!.bytes.equals(png)).toBe(true);
    expect(records.blob(EVIDENCE)!.metadata).toEqual({ sha256: sha(png) });
  });

  test('the same bytes put again through the upload URL (a new version): finished, not discarded, and nothing logged again', async () => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    expect(await run()).toBe('ready');
    records.upload(Buffer.from(png));
    expect(await run()).toBe('already-final');
    expect(records.chain.length).toBe(1);
    expect(records.blob(UPLOADS)).toBeUndefined();
  });

  test.each([
    ['of another size', (png: Buffer) => Buffer.concat([png, Buffer.from([0])])],
    ['of the same size', (png: Buffer) => Buffer.from(png.map((b, i) => (i === png.length - 1 ? b ^ 1 : b)))],
  ])('other bytes %s put again through the upload URL are discarded, with an entry saying so; the evidence never changes', async (_, other) => {
    const { records, run } = world();
    const png = await stripedPng();
    records.declareAndUpload(png, 'image/png');
    expect(await run()).toBe('ready');
    const kept = structuredClone(records.doc());
    const second = other(png);
    records.upload(second);
    records.ops = [];

    expect(await run()).toBe('discarded');

    // The entry first: a crash before the delete brings the upload back (a second entry), never none.
    expect(records.ops).toEqual(['audit evidence.upload.discard', `delete ${UPLOADS}`]);
    expect(records.doc()).toEqual(kept);
    expect(records.blob(EVIDENCE)!.bytes.equals(png)).toBe(true);
    expect(records.blob(UPLOADS)).toBeUndefined();
    expect(records.chain.at(-1)).toEqual({
      orgId: 'shop',
      draft: {
        actor: { sub: 'system:evidence-processor', org: null, roles: [] },
        action: 'evidence.upload.discard',
        target: { type: 'evidence', id: ID },
        outcome: 'denied',
        requestId: `evidence-process:${ID}`,
        details: { eventId: 'event-1', reason: 'already-processed', size: second.length },
      },
    });
    expect(records.chain.length).toBe(2);
  });
});
