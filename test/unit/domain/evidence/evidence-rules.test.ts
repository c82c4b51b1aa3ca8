import {
  downloadFileName,
  assessUpload,
  canTransition,
  checkDeclaration,
  DEFAULT_LIMITS,
  parseEvidenceBlobPath,
  planFor,
  type Declared,
  type Measured,
} from '../../../../shared/domain/evidence/evidence-rules';
import { CreateEvidenceSchema, type CreateEvidence } from '../../../../shared/domain/evidence/evidence-schema';

const MiB = 1024 * 1024;
const SHA = 'a'.repeat(64);
const declared = (o: Partial<Declared> = {}): Declared => ({ contentType: 'image/jpeg', size: 1000, sha256: null, ...o });
const magic = (mediaType: string, o: Partial<Measured> = {}): Measured => ({ size: 1000, sha256: SHA, detected: { kind: 'magic', mediaType }, ...o });

describe('assessUpload: the verdict on processed bytes', () => {
  it.each<[string, Declared, Measured, string, string]>([
    ['a JPEG declared as one', declared(), magic('image/jpeg'), 'image', 'ready'],
    ['image/jpg is image/jpeg', declared({ contentType: 'image/jpg' }), magic('image/jpeg'), 'image', 'ready'],
    ['a PNG', declared({ contentType: 'image/png' }), magic('image/png'), 'image', 'ready'],
    ['a WebP', declared({ contentType: 'image/webp' }), magic('image/webp'), 'image', 'ready'],
    ['HEIC (heif brand)', declared({ contentType: 'image/heic' }), magic('image/heif'), 'image', 'ready'],
    ['an MP4 as CCTV', declared({ contentType: 'video/mp4' }), magic('video/mp4'), 'cctv', 'ready'],
    ['a QuickTime as CCTV', declared({ contentType: 'video/quicktime' }), magic('video/quicktime'), 'cctv', 'ready'],
    ['a PDF statement', declared({ contentType: 'application/pdf' }), magic('application/pdf'), 'witness-statement', 'ready'],
    ['a text statement', declared({ contentType: 'text/plain' }), { size: 1000, sha256: SHA, detected: { kind: 'text' } }, 'witness-statement', 'ready'],
    ['the declared hash, any case', declared({ sha256: SHA.toUpperCase() }), magic('image/jpeg'), 'image', 'ready'],
  ])('accepts %s', (_name, d, m, kind, status) => {
    expect(assessUpload(d, m, kind as never, DEFAULT_LIMITS).status).toBe(status);
  });

  it.each<[string, Declared, Measured, string, string]>([
    ['nothing uploaded', declared(), { size: 0, sha256: null, detected: { kind: 'unknown' } }, 'image', 'empty'],
    ['a size that lies', declared(), magic('image/jpeg', { size: 999 }), 'image', 'size-mismatch'],
    ['bytes not read because the size is wrong', declared(), magic('image/jpeg', { sha256: null }), 'image', 'size-mismatch'],
    ['a hash that lies', declared({ sha256: 'b'.repeat(64) }), magic('image/jpeg'), 'image', 'sha256-mismatch'],
    ['an ELF binary called .jpg', declared(), magic('application/x-elf'), 'image', 'executable'],
    ['a Windows executable', declared(), magic('application/x-msdownload'), 'image', 'executable'],
    ['a zip', declared(), magic('application/zip'), 'other', 'archive'],
    ['a gzip', declared(), magic('application/gzip'), 'other', 'archive'],
    ['no magic and not text', declared(), { size: 1000, sha256: SHA, detected: { kind: 'unknown' } }, 'image', 'unknown-type'],
    ['a kind we do not keep (GIF)', declared(), magic('image/gif'), 'image', 'unknown-type'],
    ['a PNG declared as JPEG', declared(), magic('image/png'), 'image', 'type-mismatch'],
    ['text declared as PDF', declared({ contentType: 'application/pdf' }), { size: 1000, sha256: SHA, detected: { kind: 'text' } }, 'witness-statement', 'type-mismatch'],
    ['a video filed as an image', declared({ contentType: 'video/mp4' }), magic('video/mp4'), 'image', 'type-mismatch'],
  ])('rejects %s', (_name, d, m, kind, reason) => {
    expect(assessUpload(d, m, kind as never, DEFAULT_LIMITS)).toMatchObject({ status: 'rejected', reason });
  });

  it('rejects bytes over the limit of what they are (limits changed since the declaration)', () => {
    const limits = { ...DEFAULT_LIMITS, imageBytes: 999 };
    expect(assessUpload(declared(), magic('image/jpeg'), 'image', limits)).toMatchObject({ status: 'rejected', reason: 'too-large' });
  });

  it('names the detected type on a rejection, and none when it is unknown', () => {
    expect(assessUpload(declared(), magic('image/png'), 'image', DEFAULT_LIMITS)).toMatchObject({ mediaType: 'image/png' });
    expect(assessUpload(declared(), { size: 1000, sha256: SHA, detected: { kind: 'unknown' } }, 'image', DEFAULT_LIMITS)).toMatchObject({ mediaType: null });
  });
});

describe('checkDeclaration: refused before any upload', () => {
  const input = (o: Partial<CreateEvidence> = {}): CreateEvidence => ({ fileName: 'a.jpg', contentType: 'image/jpeg', size: 1000, kind: 'image', ...o });

  it('accepts each kind with a type it may be, up to the limit', () => {
    expect(() => checkDeclaration(input({ size: 25 * MiB }), DEFAULT_LIMITS)).not.toThrow();
    expect(() => checkDeclaration(input({ kind: 'cctv', contentType: 'video/mp4', size: 4096 * MiB }), DEFAULT_LIMITS)).not.toThrow();
    expect(() => checkDeclaration(input({ kind: 'cctv', contentType: 'image/png' }), DEFAULT_LIMITS)).not.toThrow();
    expect(() => checkDeclaration(input({ kind: 'witness-statement', contentType: 'application/pdf', size: 50 * MiB }), DEFAULT_LIMITS)).not.toThrow();
    expect(() => checkDeclaration(input({ kind: 'other', contentType: 'text/plain' }), DEFAULT_LIMITS)).not.toThrow();
  });

  it.each<[string, Partial<CreateEvidence>, string]>([
    ['an image over 25 MiB', { size: 25 * MiB + 1 }, 'EVIDENCE_TOO_LARGE'],
    ['a video over 4 GiB', { kind: 'cctv', contentType: 'video/mp4', size: 4096 * MiB + 1 }, 'EVIDENCE_TOO_LARGE'],
    ['a document over 50 MiB', { kind: 'witness-statement', contentType: 'application/pdf', size: 50 * MiB + 1 }, 'EVIDENCE_TOO_LARGE'],
    ['a video as an image', { contentType: 'video/mp4' }, 'UNSUPPORTED_EVIDENCE_TYPE'],
    ['a PDF as CCTV', { kind: 'cctv', contentType: 'application/pdf' }, 'UNSUPPORTED_EVIDENCE_TYPE'],
  ])('refuses %s with 422', (_name, o, code) => {
    expect(() => checkDeclaration(input(o), DEFAULT_LIMITS)).toThrow(expect.objectContaining({ kind: 'unprocessable', code }));
  });

  it('takes a type it does not keep (its bytes are judged when processed), within the largest limit', () => {
    expect(() => checkDeclaration(input({ contentType: 'application/zip', kind: 'other' }), DEFAULT_LIMITS)).not.toThrow();
    expect(() => checkDeclaration(input({ contentType: 'application/x-msdownload', size: 4096 * MiB }), DEFAULT_LIMITS)).not.toThrow();
    expect(() => checkDeclaration(input({ contentType: 'application/zip', size: 4096 * MiB + 1 }), DEFAULT_LIMITS)).toThrow(expect.objectContaining({ code: 'EVIDENCE_TOO_LARGE' }));
  });

  it('uses the configured limits', () => {
    expect(() => checkDeclaration(input({ size: 2000 }), { ...DEFAULT_LIMITS, imageBytes: 1999 })).toThrow(expect.objectContaining({ code: 'EVIDENCE_TOO_LARGE' }));
  });
});

describe('downloadFileName: no free text in a download URL (PRODUCT §10c)', () => {
  it.each([
    ['image/jpeg', 'e1.jpg'],
    ['video/mp4', 'e1.mp4'],
    ['video/quicktime', 'e1.mov'],
    ['text/plain', 'e1.txt'],
    ['application/x-unknown', 'e1'],
  ])('%s → %s: the id and the type found, never the name given ("car.ABC123")', (mediaType, expected) => {
    expect(downloadFileName('e1', mediaType)).toBe(expected);
  });
});

describe('CreateEvidenceSchema', () => {
  const ok = { fileName: 'cam 3.jpg', contentType: 'Image/JPEG; charset=binary', size: 10, kind: 'image', sha256: 'AB'.repeat(32) };
  it('takes names in any script, zero-width joiners included', () => {
    for (const fileName of ['سند\u200cها.jpg', 'Māori whānau.jpg', '👩\u200d👩\u200d👦.jpg', 'статья.pdf']) expect(CreateEvidenceSchema.safeParse({ ...ok, fileName }).success).toBe(true);
  });
  it('normalises the content type and the hash', () => {
    expect(CreateEvidenceSchema.parse(ok)).toMatchObject({ contentType: 'image/jpeg', sha256: 'ab'.repeat(32) });
  });
  it.each<[string, Record<string, unknown>]>([
    ['an unknown field', { colour: 'red' }],
    ['a path in the name', { fileName: '../etc/passwd' }],
    ['a control character in the name', { fileName: 'a\u0000.jpg' }],
    ['a right-to-left override in the name', { fileName: 'photo\u202egpj.exe' }],
    ['a zero-width space in the name', { fileName: 'cam\u200b3.jpg' }],
    ['a backslash in the name', { fileName: 'a\\b.jpg' }],
    ['zero bytes', { size: 0 }],
    ['a fractional size', { size: 1.5 }],
    ['a short hash', { sha256: 'abc' }],
    ['an unknown kind', { kind: 'audio' }],
  ])('refuses %s', (_name, o) => {
    expect(CreateEvidenceSchema.safeParse({ ...ok, ...o }).success).toBe(false);
  });
});

describe('status transitions', () => {
  it('moves only from pending, once', () => {
    expect(canTransition('pending', 'ready')).toBe(true);
    expect(canTransition('pending', 'rejected')).toBe(true);
    expect(canTransition('ready', 'rejected')).toBe(false);
    expect(canTransition('rejected', 'ready')).toBe(false);
    expect(canTransition('ready', 'pending')).toBe(false);
  });
});

describe('planFor: what a delivery does, at every point a crash can leave things', () => {
  const blob = { etag: '"e1"', size: 1000 };
  const final = { status: 'ready' as const, uploadEtag: '"e1"', sha256: SHA, size: 1000 };
  it('removes an upload that has no record (event deleted)', () => expect(planFor(undefined, blob)).toBe('orphan'));
  it('analyses a pending upload, even when a copy was already placed', () =>
    expect(planFor({ status: 'pending', uploadEtag: null, sha256: null, size: null }, blob)).toBe('analyse'));
  it('only finishes the version it processed (crash after the record turned final)', () => expect(planFor(final, blob)).toBe('finish'));
  it('discards different bytes written after processing', () => expect(planFor(final, { etag: '"e2"', size: 5 })).toBe('discard'));
  it('asks for the hash when size matches but the version differs', () => expect(planFor(final, { etag: '"e2"', size: 1000 })).toBe('hash-needed'));
  it('treats the same bytes again as a re-delivery', () => expect(planFor(final, { etag: '"e2"', size: 1000, sha256: SHA })).toBe('finish'));
  it('discards same-size different bytes', () => expect(planFor(final, { etag: '"e2"', size: 1000, sha256: 'c'.repeat(64) })).toBe('discard'));
});

describe('parseEvidenceBlobPath', () => {
  it('reads retailer and id, with or without the container', () => {
    expect(parseEvidenceBlobPath('evidence-uploads/ret-1/0b5f2d4c-aaaa-bbbb-cccc-123456789012')).toEqual({ retailerId: 'ret-1', evidenceId: '0b5f2d4c-aaaa-bbbb-cccc-123456789012' });
    expect(parseEvidenceBlobPath('ret-1/0b5f2d4c-aaaa')).toEqual({ retailerId: 'ret-1', evidenceId: '0b5f2d4c-aaaa' });
  });
  it.each(['evidence-uploads/ret-1', 'a/b/c/d', 'evidence-uploads/RET/12345678', 'evidence-uploads/ret-1/short', ''])('refuses %p', (p) => {
    expect(parseEvidenceBlobPath(p)).toBeUndefined();
  });
});
