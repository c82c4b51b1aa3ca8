import { enqueue } from '../adapters/queues';

export const MATCH_QUEUE = 'match-events';

/** Asks for Connect the Dots on a stored event; the queue trigger does the work. */
export function requestMatching(retailerId: string, eventId: string): Promise<void> {
  return enqueue(MATCH_QUEUE, { retailerId, eventId });
}
