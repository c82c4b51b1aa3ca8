import { z } from 'zod';

/** A bound of a time range in a query: a date-time with its offset, or a date alone (UTC), which stands for that whole day. */
const Bound = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** `from`: a date alone is its first instant. */
export const RangeFromSchema = Bound.transform((v) => (v.length === 10 ? `${v}T00:00:00.000Z` : v));

/** `to` (inclusive): a date alone is its last instant. */
export const RangeToSchema = Bound.transform((v) => (v.length === 10 ? `${v}T23:59:59.999Z` : v));
