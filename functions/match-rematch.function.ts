import { z } from 'zod';
import { MatchMessageSchema, matchRequested, REMATCH_QUEUE } from '../shared/matching/match-queue';
import { RetierMessageSchema } from '../shared/matching/retier-queue';
import { retierProfiles } from '../shared/matching/retier-profiles';
import { queueTrigger } from '../shared/triggers/trigger';

/**
 * Connect the Dots again over a retailer's people after a new estimate of its model: the same work
 * as match-event, from a queue of its own so it never delays the matching of new events. Its
 * profiles' risk tiers again after the retailer changed them, a page a message, on the same queue.
 */
queueTrigger({
  name: 'match-rematch',
  queueName: REMATCH_QUEUE,
  schema: z.union([RetierMessageSchema, MatchMessageSchema]),
  handler: async (message) => ('retier' in message ? { retiered: await retierProfiles(message) } : { rematched: (await matchRequested(message)).length }),
});
