import { z } from 'zod';
import type { FieldError } from '../errors';
import { CLOCK_SKEW_MS, EARLIEST } from '../events/event-rules';
import { StoreIdSchema } from '../organisation';
import { NORMALISED_PLATE_PATTERN, PLATE_MESSAGE, PLATE_PATTERN, normalisePlate } from '../events/plates';
import { pageSizeSchema } from '../paging';

/** One request answers at most this many reads (PRODUCT §6); more is refused as any invalid batch is, 400 (a camera system splits its batches). */
export const MAX_READS_PER_BATCH = 500;

export const PlateSchema = z
  .string()
  .regex(PLATE_PATTERN, PLATE_MESSAGE)
  .refine((p) => NORMALISED_PLATE_PATTERN.test(normalisePlate(p)), 'A plate has 1–12 letters or digits.');

export const PlateReadSchema = z
  .object({
    plate: PlateSchema,
    storeId: StoreIdSchema,
    cameraId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, 'Use 1–64 letters, digits, dots, colons, dashes or underscores.'),
    readAt: z.iso.datetime({ offset: true }),
    confidence: z.number().min(0).max(1),
  })
  .strict();

/**
 * The whole batch is validated before anything is looked up: one bad read refuses the batch
 * (400 naming every bad read by index), so a retry of the corrected batch is the only outcome
 * and no read is half-processed.
 */
export const PlateReadBatchSchema = z
  .object({ reads: z.array(PlateReadSchema).min(1, 'Send at least one read.').max(MAX_READS_PER_BATCH) })
  .strict().meta({ id: 'PlateReadBatch' });
export type PlateReadBatch = z.infer<typeof PlateReadBatchSchema>;

export const LprAlertSchema = z.object({
  id: z.string(),
  plate: z.string(),
  storeId: z.string(),
  cameraId: z.string(),
  readAt: z.string(),
  confidence: z.number(),
  profileIds: z.array(z.string()),
  eventIds: z.array(z.string()),
  /** Which retailer owns each event: the caller's own, or a partner's. */
  retailerIds: z.array(z.string()),
  match: z.enum(['exact', 'ocr']),
  reason: z.string(),
  createdAt: z.string(),
}).meta({ id: 'LprAlert' });
export type LprAlert = z.infer<typeof LprAlertSchema>;

export const PlateReadResultSchema = z.object({
  alerts: z.array(LprAlertSchema),
  /** Counts only: a read that did not alert is not stored anywhere, only counted here. */
  reads: z.number().int(),
  misses: z.number().int(),
}).meta({ id: 'PlateReadResult' });

export const LprAlertListQuerySchema = z
  .object({
    pageSize: pageSizeSchema(25),
    continuationToken: z.string().max(512).optional(),
  })
  .strict();

/** Read times beyond what the schema checks: not in the future (60 s skew), not before 2000. */
export function readTimeErrors(batch: PlateReadBatch, now: Date): FieldError[] {
  const errors: FieldError[] = [];
  batch.reads.forEach((r, i) => {
    const at = Date.parse(r.readAt);
    if (at > now.getTime() + CLOCK_SKEW_MS) errors.push({ path: `reads.${i}.readAt`, message: 'readAt is in the future.' });
    if (at < EARLIEST) errors.push({ path: `reads.${i}.readAt`, message: 'readAt is before 2000.' });
  });
  return errors;
}
