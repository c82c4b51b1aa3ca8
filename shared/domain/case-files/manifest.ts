import { createHash } from 'node:crypto';
import { INVISIBLE_MARKS } from '../invisible-marks';
import { z } from 'zod';
import { canonicalJson } from '../canonical-json';
import type { RetailEvent } from '../events/event-schema';
import { LegalBasisSchema } from '../police-purpose';

/**
 * The manifest of a case file (PRODUCT §4c) and the rules a package must keep: every other file
 * listed with its SHA-256 and size, nothing unlisted, and a detached JWS (RFC 7515 appendix F)
 * over the manifest's exact bytes. Pure: the builder and the offline verifier both use it.
 */

export const MANIFEST_FORMAT = 'daybreak-case-file/1';
export const MANIFEST_PATH = 'manifest.json';
export const SIGNATURE_PATH = 'manifest.jws';
export const SUMMARY_PATH = 'summary.pdf';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const ManifestFileSchema = z.object({ path: z.string().min(1), sha256: Sha256Hex, size: z.number().int().min(0) });
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

export const ManifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  caseFileId: z.string(),
  title: z.string(),
  builtAt: z.string(),
  builtBy: z.object({
    sub: z.string(),
    orgId: z.string(),
    orgType: z.string(),
    roles: z.array(z.string()),
    /** A police officer's stated legal basis and case reference (PRODUCT §5b). */
    purpose: z.object({ legalBasis: LegalBasisSchema, caseReference: z.string() }).nullable(),
  }),
  /** Each owning retailer's audit chain after the build was recorded in it: verify the chain reaches this entry. */
  auditHeads: z.array(z.object({ orgId: z.string(), seq: z.number().int(), hash: Sha256Hex })),
  files: z.array(ManifestFileSchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** The bytes signed and stored: stable, indented for a person reading it. */
export const manifestBytes = (manifest: Manifest): Buffer => Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');

const NAME_LIMIT = 150;

/**
 * A stored original file name as one safe path segment: no directories, no parent references, no
 * control characters, a length any unzip tool accepts. The evidence id before it keeps names unique.
 */
const NOT_IN_A_PATH = new RegExp(`[\\p{Cc}/\\\\:*?"<>|${INVISIBLE_MARKS}]`, 'gu');

export function safeFileName(name: string): string {
  // Invisible marks too: names stored before they were refused (fbc8145) would read otherwise in a ZIP listing.
  const cleaned = name.normalize('NFC').replace(NOT_IN_A_PATH, '_').replace(/^[.\s]+/, '').trim()
    // Lone surrogates (ill-formed UTF-16) as U+FFFD, as every ZIP writer would store them.
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  // Cut by code points, so a character is never split in two.
  const points = Array.from(cleaned);
  if (!points.length) return 'file';
  if (points.length <= NAME_LIMIT) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return points.slice(0, NAME_LIMIT - Array.from(ext).length).join('') + ext;
}

export const eventPath = (eventId: string): string => `events/${eventId}.json`;
export const profilePath = (profileId: string): string => `profiles/${profileId}.json`;
export const evidencePath = (evidenceId: string, fileName: string): string => `evidence/${evidenceId}/${safeFileName(fileName)}`;
export const custodyPath = (evidenceId: string): string => `custody/${evidenceId}.json`;

const b64url = (bytes: Buffer): string => bytes.toString('base64url');

export interface JwsHeader {
  alg: 'ES256';
  kid: string;
  typ: 'JOSE';
  cty: 'json';
}

export const jwsHeader = (kid: string): JwsHeader => ({ alg: 'ES256', kid, typ: 'JOSE', cty: 'json' });

/** What ES256 signs: BASE64URL(header) "." BASE64URL(payload). */
export function signingInput(header: JwsHeader, payload: Buffer): { protectedHeader: string; input: Buffer } {
  const protectedHeader = b64url(Buffer.from(JSON.stringify(header), 'utf8'));
  return { protectedHeader, input: Buffer.from(`${protectedHeader}.${b64url(payload)}`, 'ascii') };
}

/** The detached form: the payload left out (header..signature); the verifier puts the manifest back. */
export const detachedJws = (protectedHeader: string, signature: Buffer): string => `${protectedHeader}..${b64url(signature)}`;

/** The compact JWS with the payload restored, or undefined when `jws` is not a detached JWS. */
export function attachPayload(jws: string, payload: Buffer): string | undefined {
  const parts = jws.trim().split('.');
  if (parts.length !== 3 || parts[1] !== '' || !parts[0] || !parts[2]) return undefined;
  return `${parts[0]}.${b64url(payload)}.${parts[2]}`;
}

export interface SeenFile {
  path: string;
  sha256: string;
  size: number;
}

/**
 * The first way the files found in a package differ from its manifest, in words that name the file,
 * or undefined when they agree exactly: each listed file present once with its hash and size,
 * nothing unlisted beside the manifest and its signature.
 */
export function firstMismatch(manifest: Manifest, seen: readonly SeenFile[]): string | undefined {
  const found = new Map<string, SeenFile>();
  for (const file of seen) {
    if (found.has(file.path)) return `${file.path}: appears twice in the archive`;
    found.set(file.path, file);
  }
  const listed = new Set<string>();
  for (const file of manifest.files) {
    if (listed.has(file.path)) return `${file.path}: listed twice in the manifest`;
    listed.add(file.path);
    const actual = found.get(file.path);
    if (!actual) return `${file.path}: listed in the manifest but missing from the archive`;
    if (actual.size !== file.size) return `${file.path}: size ${actual.size} bytes, the manifest says ${file.size}`;
    if (actual.sha256 !== file.sha256) return `${file.path}: SHA-256 ${actual.sha256}, the manifest says ${file.sha256}`;
  }
  for (const file of seen) {
    if (!listed.has(file.path) && file.path !== MANIFEST_PATH && file.path !== SIGNATURE_PATH) return `${file.path}: in the archive but not in the manifest`;
  }
  if (!found.has(SIGNATURE_PATH)) return `${SIGNATURE_PATH}: missing from the archive`;
  return undefined;
}

/**
 * What of an event a case file copies, as a fingerprint: a correction or an erasure changes it, so
 * a file built before is out of date; a merge of profiles (new profile ids), a legal hold or new
 * evidence do not change what it holds.
 */
export function contentVersion(event: RetailEvent): string {
  const { legalHold: _hold, updatedAt: _at, updatedBy: _by, evidence: _evidence, people, ...rest } = event;
  const copied = { ...rest, people: people.map(({ profileId: _profile, ...person }) => person) };
  return createHash('sha256').update(canonicalJson(copied)).digest('hex');
}
