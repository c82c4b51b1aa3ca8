import { z } from 'zod';
import { decodeToken, encodeToken, pageSizeSchema } from '../paging';
import { StoreIdSchema } from '../organisation';
import { RangeFromSchema, RangeToSchema } from '../time-range';
import { EventTypeSchema, ResourceIdSchema } from './event-schema';


export const EventListQuerySchema = z
  .object({
    storeId: StoreIdSchema.optional(),
    type: EventTypeSchema.optional(),
    from: RangeFromSchema.optional(),
    to: RangeToSchema.optional(),
    profileId: ResourceIdSchema.optional(),
    pageSize: pageSizeSchema(25),
    continuationToken: z.string().max(512).optional(),
  })
  .strict()
  // As the other ranges of the API: a window that ends before it starts is a mistake, not an empty list.
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { message: 'from is after to.', path: ['from'] });
export type EventListQuery = z.infer<typeof EventListQuerySchema>;

/** Where a page ended: newest first, so the next page holds what sorts after (t, id). */
export interface Cursor {
  t: string;
  id: string;
}

const CursorSchema = z.object({ t: z.iso.datetime(), id: ResourceIdSchema }).strict();

export const encodeCursor = (c: Cursor): string => encodeToken(c);

export const decodeCursor = (token: string): Cursor => decodeToken(token, CursorSchema);

export const toUtc = (iso: string): string => new Date(iso).toISOString();
