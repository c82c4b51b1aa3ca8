import { z } from 'zod';
import { ValidationError } from './errors';

/**
 * A page size as a query string gives it: digits only, 1–100. Plain coercion would also take
 * "0x10", "1e2" or " 5" (Number() reads them), which no client means.
 */
export const pageSizeSchema = (fallback: number) =>
  z.preprocess((v) => (typeof v === 'string' && /^\d{1,6}$/.test(v) ? Number(v) : v), z.number().int().min(1).max(100)).default(fallback);

/** The one paging style of the API (issue 23): `pageSize` and an opaque `continuationToken`. */
export const PageQuerySchema = z
  .object({
    pageSize: pageSizeSchema(50),
    continuationToken: z.string().max(512).optional(),
  })
  .strict();
export type PageQuery = z.infer<typeof PageQuerySchema>;

export const pageOfSchema = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), continuationToken: z.string().nullable() });

/** A continuation token: where a page ended, opaque to clients (base64url JSON). */
export const encodeToken = (position: object): string => Buffer.from(JSON.stringify(position)).toString('base64url');

/** The position a token holds, or 400 when it is not one this API made. */
export function decodeToken<T>(token: string, schema: z.ZodType<T>): T {
  try {
    return schema.parse(JSON.parse(Buffer.from(token, 'base64url').toString('utf8')));
  } catch {
    throw new ValidationError([{ path: 'continuationToken', message: 'Not a continuation token from this API.' }]);
  }
}

const TokenSchema = z.object({ k: z.string().max(400) }).strict();

/**
 * One page of a short list held whole (an organisation's stores, agreements, subscriptions, one
 * event's messages), ordered by `keyOf` (unique): the items after the token's key. A token not
 * made here is 400.
 */
export function pageOf<T>(items: readonly T[], keyOf: (item: T) => string, query: PageQuery): { items: T[]; continuationToken: string | null } {
  const after = query.continuationToken ? decodeToken(query.continuationToken, TokenSchema).k : undefined;
  // In code-point order of the key, the order the token's comparison uses.
  const sorted = [...items].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const rest = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const page = rest.slice(0, query.pageSize);
  const last = page.at(-1);
  return { items: page, continuationToken: rest.length > page.length && last ? encodeToken({ k: keyOf(last) }) : null };
}
