import { z } from 'zod';
import { RangeFromSchema, RangeToSchema } from './time-range';

/**
 * The query of the audit endpoints: an optional time range (ISO 8601, inclusive, any offset; a date alone is that whole UTC day)
 * plus the endpoint's own parameters; unknown parameters and `to` before `from` are 400s.
 */
export function auditRangeQuery<S extends z.ZodRawShape>(extra: S) {
  return z
    .object({ from: RangeFromSchema.optional(), to: RangeToSchema.optional(), ...extra })
    .strict()
    .refine((q) => inOrder(q as { from?: string; to?: string }), {
      path: ['to'],
      message: 'to must not be before from.',
    });
}

function inOrder({ from, to }: { from?: string; to?: string }): boolean {
  return !from || !to || Date.parse(from) <= Date.parse(to);
}
