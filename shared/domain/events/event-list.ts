import { z } from 'zod';
import { decodeToken, encodeToken } from '../paging';
import { StoreIdSchema } from '../organisation';
import { EventTypeSchema, ResourceIdSchema } from './event-schema';

const IsoDateTime = z.iso.datetime({ offset: true });

export const EventListQuerySchema = z
  .object({
    storeId: StoreIdSchema.optional(),
    type: EventTypeSchema.optional(),
    from: IsoDateTime.optional(),
    to: IsoDateTime.optional(),
    profileId: ResourceIdSchema.optional(),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
    continuationToken: z.string().max(512).optional(),
  })
  .strict();
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
