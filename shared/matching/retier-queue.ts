import { z } from 'zod';
import { enqueue } from '../adapters/queues';
import { REMATCH_QUEUE } from './match-queue-name';

/**
 * After a retailer's risk tiers change (PRODUCT §6b), every profile's tiers are worked out again:
 * a page of profiles per message on the re-match queue (background work that never holds up the
 * matching of new events), the next page sent on by the one before. In a module of its own so
 * the settings can ask for it without importing the matcher.
 */
export const RetierMessageSchema = z.object({ retier: z.object({ retailerId: z.string().min(1), after: z.string().optional() }).strict() }).strict();
export type RetierMessage = z.infer<typeof RetierMessageSchema>;

export const requestRetier = (retailerId: string, after?: string): Promise<void> =>
  enqueue(REMATCH_QUEUE, { retier: { retailerId, ...(after ? { after } : {}) } } satisfies RetierMessage);
