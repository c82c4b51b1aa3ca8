import { UnprocessableError } from '../errors';
import type { CreateEvidence, EvidenceKind, EvidenceStatus, RejectionReason } from './evidence-schema';
import { SCRIPT_MEDIA_TYPE } from './plain-text';

/** How the size limit is chosen: by what the bytes are, not by what the client calls them. */
export type MediaClass = 'image' | 'video' | 'document';

export interface EvidenceLimits {
  imageBytes: number;
  videoBytes: number;
  documentBytes: number;
}

const MiB = 1024 ** 2;
export const DEFAULT_LIMITS: EvidenceLimits = { imageBytes: 25 * MiB, videoBytes: 4 * 1024 * MiB, documentBytes: 50 * MiB };

/** The media types the locker keeps, and their class. Everything else is refused. */
export const ACCEPTED_MEDIA_TYPES: Readonly<Record<string, MediaClass>> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/heic': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'application/pdf': 'document',
  'text/plain': 'document',
};

/** Names clients use for the same thing. */
const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/heif': 'image/heic',
  'image/heic-sequence': 'image/heic',
  'image/heif-sequence': 'image/heic',
  'application/x-pdf': 'application/pdf',
};

/** Which classes each kind of evidence may be. */
export const KIND_CLASSES: Readonly<Record<EvidenceKind, readonly MediaClass[]>> = {
  cctv: ['video', 'image'],
  image: ['image'],
  'witness-statement': ['document', 'image'],
  other: ['image', 'video', 'document'],
};

export function canonicalMediaType(type: string): string {
  const bare = type.split(';')[0]!.trim().toLowerCase();
  return ALIASES[bare] ?? bare;
}

export function mediaClassOf(type: string): MediaClass | undefined {
  return ACCEPTED_MEDIA_TYPES[canonicalMediaType(type)];
}

/** The most bytes any upload may have, of whatever class. */
export const largestLimit = (limits: EvidenceLimits): number => Math.max(limits.imageBytes, limits.videoBytes, limits.documentBytes);

export function limitFor(mediaClass: MediaClass, limits: EvidenceLimits): number {
  return mediaClass === 'image' ? limits.imageBytes : mediaClass === 'video' ? limits.videoBytes : limits.documentBytes;
}

/**
 * A declared media type the locker keeps must fit the kind and its class's size limit, refused
 * up front (422) rather than after an upload the processor would reject anyway. Any other type
 * (an archive, an executable, one we do not name) is taken, within the largest limit, and its
 * bytes judged by the processor: `rejected` with a reason and quarantined (PRODUCT §3), so a
 * client that declares what the file truly is learns the same as one that does not.
 */
export function checkDeclaration(input: CreateEvidence, limits: EvidenceLimits): void {
  const mediaClass = mediaClassOf(input.contentType);
  if (!mediaClass) {
    const largest = largestLimit(limits);
    if (input.size > largest) {
      throw new UnprocessableError('EVIDENCE_TOO_LARGE', `An upload may be at most ${largest} bytes.`, [{ path: 'size', message: `At most ${largest} bytes.` }]);
    }
    return;
  }
  if (!KIND_CLASSES[input.kind].includes(mediaClass)) {
    throw new UnprocessableError('UNSUPPORTED_EVIDENCE_TYPE', `Evidence of kind ${input.kind} cannot be ${mediaClass}.`, [
      { path: 'contentType', message: `A ${input.kind} is ${KIND_CLASSES[input.kind].join(' or ')}.` },
    ]);
  }
  const limit = limitFor(mediaClass, limits);
  if (input.size > limit) {
    throw new UnprocessableError('EVIDENCE_TOO_LARGE', `A ${mediaClass} may be at most ${limit} bytes.`, [
      { path: 'size', message: `At most ${limit} bytes for ${mediaClass}.` },
    ]);
  }
}

/**
 * Detected media types (as the magic-byte library names them) that are refused for what they
 * are, whatever was declared.
 */
const EXECUTABLE_TYPES = new Set([
  SCRIPT_MEDIA_TYPE,
  'application/x-elf',
  'application/x-msdownload',
  'application/x-mach-binary',
  'application/vnd.microsoft.portable-executable',
  'application/x-executable',
  'application/x-sharedlib',
  'application/wasm',
  'application/x-msi',
  'application/x-ms-installer',
  'application/java-vm',
  'application/x-java-applet',
  'application/vnd.android.package-archive',
  'application/x-apple-diskimage',
  'application/x-sh',
  'application/x-shellscript',
  'application/x.apple.alias',
  'application/x-deb',
  'application/x-rpm',
  'application/x-dex',
]);

const ARCHIVE_TYPES = new Set([
  'application/zip',
  'application/gzip',
  'application/x-gzip',
  'application/x-bzip2',
  'application/x-xz',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-tar',
  'application/zstd',
  'application/x-lzip',
  'application/x-compress',
  'application/x-cpio',
  'application/x-arj',
  'application/x-lzh-compressed',
  'application/x-ace-compressed',
  'application/x-iso9660-image',
  'application/java-archive',
  'application/x-xar',
  'application/x-cfb',
  'application/x-unix-archive',
  'application/x-lz4',
  'application/x-brotli',
]);

export type Detected =
  /** What the magic bytes say, as the library names it. */
  | { kind: 'magic'; mediaType: string }
  /** No magic, valid UTF-8 and no NUL byte. */
  | { kind: 'text' }
  /** No magic and not text. */
  | { kind: 'unknown' };

export interface Measured {
  size: number;
  /** Null when the bytes were not read because their size already disqualifies them. */
  sha256: string | null;
  detected: Detected;
}

export interface Declared {
  contentType: string;
  size: number;
  sha256: string | null;
}

export type Verdict = { status: 'ready'; mediaType: string; mediaClass: MediaClass } | { status: 'rejected'; reason: RejectionReason; mediaType: string | null };

/** The media type the bytes are, canonical, or null when they are nothing we name. */
export function detectedMediaType(detected: Detected): string | null {
  if (detected.kind === 'text') return 'text/plain';
  if (detected.kind === 'unknown') return null;
  return canonicalMediaType(detected.mediaType);
}

/**
 * The verdict on processed bytes, checked in a fixed order so the reason is the most basic
 * thing wrong: nothing there, then lies about the bytes (size, hash), then what the bytes are
 * (executable, archive, unknown), then whether that is what was declared and within its limit.
 */
export function assessUpload(declared: Declared, measured: Measured, kind: EvidenceKind, limits: EvidenceLimits): Verdict {
  const mediaType = detectedMediaType(measured.detected);
  const reject = (reason: RejectionReason): Verdict => ({ status: 'rejected', reason, mediaType });
  if (measured.size === 0) return reject('empty');
  if (measured.size !== declared.size) return reject('size-mismatch');
  if (measured.sha256 === null) return reject('size-mismatch');
  if (declared.sha256 && declared.sha256.toLowerCase() !== measured.sha256) return reject('sha256-mismatch');
  if (mediaType && EXECUTABLE_TYPES.has(mediaType)) return reject('executable');
  if (mediaType && ARCHIVE_TYPES.has(mediaType)) return reject('archive');
  const mediaClass = mediaType ? mediaClassOf(mediaType) : undefined;
  if (!mediaType || !mediaClass) return reject('unknown-type');
  if (mediaType !== canonicalMediaType(declared.contentType) || !KIND_CLASSES[kind].includes(mediaClass)) return reject('type-mismatch');
  if (measured.size > limitFor(mediaClass, limits)) return reject('too-large');
  return { status: 'ready', mediaType, mediaClass };
}

/** The only moves a record makes: pending to a final state, once. */
export function canTransition(from: EvidenceStatus, to: EvidenceStatus): boolean {
  return from === 'pending' && (to === 'ready' || to === 'rejected');
}

/**
 * Images whose pixels this service can decode for dimensions and a perceptual hash. HEIC needs
 * an HEVC decoder that the image library's prebuilt binaries do not ship: its size is read from
 * its container, and it has no perceptual hash.
 */
export function isAnalysableImage(mediaType: string): boolean {
  return mediaType === 'image/jpeg' || mediaType === 'image/png' || mediaType === 'image/webp';
}

/** The extension each kept media type is saved with. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/heic': '.heic',
  'video/mp4': '.mp4',
  'video/quicktime': '.mov',
  'application/pdf': '.pdf',
  'text/plain': '.txt',
};

/**
 * The name a download is saved under: the item's id and the extension of the type its bytes were
 * found to be. The original file name stays in the metadata: it is free text (a reporter's "jon-smith
 * ABC123.jpg", or "car.ABC123"), and the download URL carries this name in its query string (PRODUCT §10c).
 */
export function downloadFileName(evidenceId: string, mediaType: string): string {
  return `${evidenceId}${EXTENSIONS[canonicalMediaType(mediaType)] ?? ''}`;
}

/** Blob name of an item in every evidence container: `<retailer>/<evidence id>`. */
export function evidenceBlobName(retailerId: string, evidenceId: string): string {
  return `${retailerId}/${evidenceId}`;
}

/** The retailer and evidence id from a blob path such as `evidence-uploads/<retailer>/<id>` (container optional). */
export function parseEvidenceBlobPath(path: string): { retailerId: string; evidenceId: string } | undefined {
  const parts = path.split('/');
  const [retailerId, evidenceId] = parts.length === 3 ? parts.slice(1) : parts;
  if (parts.length < 2 || parts.length > 3 || !retailerId || !evidenceId) return undefined;
  if (!/^[a-z0-9][a-z0-9-]{1,62}$/.test(retailerId) || !/^[A-Za-z0-9-]{8,64}$/.test(evidenceId)) return undefined;
  return { retailerId, evidenceId };
}

/**
 * What the processor does when a blob lands, given the record and the blob. Written as a
 * decision table so every crash point has one answer:
 *
 * - no record: the event was deleted, or the name is not ours → remove the upload;
 * - pending: analyse the bytes and finish (a crash before the record changes is redone in full;
 *   the copy step tolerates an existing identical copy);
 * - final, and the blob is the one processed (same ETag, or same size and SHA-256 as recorded):
 *   a re-delivery or a crash after the record changed → finish the remaining steps only (copy
 *   present, custody entry written once, upload removed), changing nothing already done;
 * - final, and the blob is different bytes: someone wrote again through the upload URL after
 *   processing → discard it; the evidence never changes.
 */
export type Plan = 'orphan' | 'analyse' | 'finish' | 'discard';

export function planFor(
  record: { status: EvidenceStatus; uploadEtag: string | null; sha256: string | null; size: number | null } | undefined,
  blob: { etag: string; size: number; sha256?: string },
): Plan | 'hash-needed' {
  if (!record) return 'orphan';
  if (record.status === 'pending') return 'analyse';
  if (record.uploadEtag !== null && record.uploadEtag === blob.etag) return 'finish';
  if (record.size !== blob.size) return 'discard';
  if (blob.sha256 === undefined) return 'hash-needed';
  return blob.sha256 === record.sha256 ? 'finish' : 'discard';
}
