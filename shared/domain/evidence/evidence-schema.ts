import { z } from 'zod';
import { INVISIBLE_MARKS } from '../invisible-marks';
import { AuditEntrySchema } from '../audit-chain';
import { OrgIdSchema } from '../organisation';

/*
 * The evidence locker's shapes: what a client declares before uploading, the record the API
 * returns, the summary an event carries, and the custody report. The one source of these types.
 */

export const EVIDENCE_KINDS = ['cctv', 'image', 'witness-statement', 'other'] as const;
export const EvidenceKindSchema = z.enum(EVIDENCE_KINDS);
export type EvidenceKind = z.infer<typeof EvidenceKindSchema>;

export const EVIDENCE_STATUSES = ['pending', 'ready', 'rejected'] as const;
export const EvidenceStatusSchema = z.enum(EVIDENCE_STATUSES);
export type EvidenceStatus = z.infer<typeof EvidenceStatusSchema>;

/** Why an upload was refused; stable codes a client can act on. */
export const REJECTION_REASONS = [
  'empty',
  'too-large',
  'size-mismatch',
  'sha256-mismatch',
  'executable',
  'archive',
  'unknown-type',
  'type-mismatch',
  'corrupt-image',
] as const;
export const RejectionReasonSchema = z.enum(REJECTION_REASONS);
export type RejectionReason = z.infer<typeof RejectionReasonSchema>;

export const Sha256HexSchema = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'Use the SHA-256 as 64 hexadecimal characters.')
  .transform((s) => s.toLowerCase());

/** What a file name as the client knows it (one path segment, printable) may not hold: path separators, control characters, invisible marks (third audit of December). */
const NOT_IN_A_FILE_NAME = new RegExp(`[\\p{Cc}/\\\\${INVISIBLE_MARKS}]`, 'u');

const FileNameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((s) => !NOT_IN_A_FILE_NAME.test(s) && s.trim() === s && s !== '.' && s !== '..', {
    message: 'Use a plain file name: no path separators, control characters or direction marks, no leading or trailing spaces.',
  });

/** type/subtype, lower-cased, parameters dropped ("image/JPEG; q=1" → "image/jpeg"). */
const ContentTypeSchema = z
  .string()
  .max(127)
  .transform((s) => s.split(';')[0]!.trim().toLowerCase())
  .refine((s) => /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(s), { message: 'Use a media type such as image/jpeg.' });

/** Largest declared size the schema accepts at all; the per-kind limits are checked after. */
export const MAX_DECLARED_BYTES = 64 * 1024 ** 3;

export const CreateEvidenceSchema = z
  .object({
    fileName: FileNameSchema,
    contentType: ContentTypeSchema,
    size: z.number().int().min(1, 'An empty file is not evidence.').max(MAX_DECLARED_BYTES),
    sha256: Sha256HexSchema.optional(),
    kind: EvidenceKindSchema,
  })
  .strict();
export type CreateEvidence = z.infer<typeof CreateEvidenceSchema>;

export const CreateEvidenceReplySchema = z.object({
  evidenceId: z.string(),
  /** Create-only URL for exactly one blob: PUT the bytes once, with `x-ms-blob-type: BlockBlob`. */
  uploadUrl: z.url(),
  expiresAt: z.string(),
  /** Headers the PUT to uploadUrl must carry. */
  uploadHeaders: z.record(z.string(), z.string()),
});

export const ImageFactsSchema = z.object({
  width: z.number().int(),
  height: z.number().int(),
  /** 64-bit difference hash (dHash) of the 9×8 greyscale image, 16 hex characters; null when the format cannot be decoded here (HEIC). */
  perceptualHash: z.string().regex(/^[0-9a-f]{16}$/).nullable(),
});
export type ImageFacts = z.infer<typeof ImageFactsSchema>;

/** An evidence item as the API returns it. */
export const EvidenceSchema = z.object({
  id: z.string(),
  eventId: z.string(),
  retailerId: OrgIdSchema,
  kind: EvidenceKindSchema,
  fileName: z.string(),
  /** As declared (also under `declared`, beside its size and hash): the file's type, as the client named it with its name. */
  contentType: z.string(),
  declared: z.object({ contentType: z.string(), size: z.number().int(), sha256: z.string().nullable() }),
  status: EvidenceStatusSchema,
  /** Set when rejected. */
  reason: RejectionReasonSchema.nullable(),
  /** What processing measured (null while pending). */
  sha256: z.string().nullable(),
  size: z.number().int().nullable(),
  mediaType: z.string().nullable(),
  image: ImageFactsSchema.nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
  processedAt: z.string().nullable(),
}).meta({ id: 'Evidence' });
export type Evidence = z.infer<typeof EvidenceSchema>;

/** What an event carries about each of its evidence items. */
export const EvidenceSummarySchema = EvidenceSchema.pick({
  id: true,
  kind: true,
  status: true,
  mediaType: true,
  size: true,
  sha256: true,
  createdAt: true,
});
export type EvidenceSummary = z.infer<typeof EvidenceSummarySchema>;

export const CustodyQuerySchema = z
  // Documented as the boolean it is (a query string carries it as "true" or "false").
  .object({ verify: z.enum(['true', 'false']).optional().transform((v) => v === 'true').meta({ type: 'boolean' }) })
  .strict();

export const CustodyReportSchema = z.object({
  evidenceId: z.string(),
  status: EvidenceStatusSchema,
  /** The SHA-256 recorded when the upload was processed. */
  sha256: z.string().nullable(),
  /** With ?verify=true: whether the stored bytes still hash to `sha256`; null when not asked or nothing is stored yet. */
  verified: z.boolean().nullable(),
  /** Every audit entry about the item, in seq order. */
  entries: z.array(AuditEntrySchema),
}).meta({ id: 'CustodyReport' });
export type CustodyReport = z.infer<typeof CustodyReportSchema>;
