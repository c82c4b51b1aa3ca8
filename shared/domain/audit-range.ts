import { z } from 'zod';

const IsoDateTime = z.iso.datetime({ offset: true });

/**
 * The query of the audit endpoints: an optional time range (ISO 8601, inclusive, any offset)
 * plus the endpoint's own parameters; unknown parameters and `to` before `from` are 400s.
 */
export function auditRangeQuery<S extends z.ZodRawShape>(extra: S) {
  return z
    .object({ from: IsoDateTime.optional(), to: IsoDateTime.optional(), ...extra })
    .strict()
    .refine((q) => inOrder(q as { from?: string; to?: string }), {
      path: ['to'],
      message: 'to must not be before from.',
    });
}

function inOrder({ from, to }: { from?: string; to?: string }): boolean {
  return !from || !to || Date.parse(from) <= Date.parse(to);
}
