import { z } from 'zod';
import { enqueue } from '../adapters/queues';
import { GroupCommit, REQUEST_PATH_LINGER_MS } from '../batching/group-commit';
import { matchEventsOf, type MatchResult } from './match-event';
import { clearMatchPending } from './match-pending-repository';
import { MATCH_QUEUE, REMATCH_QUEUE } from './match-queue-name';
import { getSettings } from '../orgs/org-repository';

export { MATCH_QUEUE, REMATCH_QUEUE };

/** Well under the 64 KiB a Storage queue message may hold. */
const MAX_EVENTS_PER_MESSAGE = 100;

const EventRef = z.object({ retailerId: z.string().min(1), eventId: z.string().min(1) });
type EventRef = z.infer<typeof EventRef>;

/** One event (`{ retailerId, eventId }`, also what older messages carry) or several (`{ events }`). */
export const MatchMessageSchema = z.union([EventRef, z.object({ events: z.array(EventRef).min(1).max(MAX_EVENTS_PER_MESSAGE), rematch: z.boolean().optional() })]);

/**
 * Requests made while a message is being sent, or within the linger under load, go out together
 * in the next one (group commit): under a burst of intake, one queue message per group of events
 * instead of one per event.
 */
const outbox = new GroupCommit<EventRef, void>(async (_queue, events) => {
  await enqueue(MATCH_QUEUE, events.length === 1 ? events[0] : { events });
  return events.map(() => undefined);
}, MAX_EVENTS_PER_MESSAGE, REQUEST_PATH_LINGER_MS);

/** Asks for Connect the Dots on a stored event; the queue trigger does the work. Resolves once the request is on the queue. */
export function requestMatching(retailerId: string, eventId: string): Promise<void> {
  return outbox.submit(MATCH_QUEUE, { retailerId, eventId });
}

/**
 * An image of the event is ready (evidence processing): where the retailer matches on images, the
 * event goes round the re-match queue, so that its people are compared with the picture too. A
 * re-match alerts no one: the event was alerted on when it was stored.
 */
export async function requestImageMatching(retailerId: string, eventId: string): Promise<void> {
  if (!(await getSettings(retailerId)).settings.connectTheDots.imageMatching) return;
  await requestRematch(retailerId, [eventId]);
}

/** Matches these stored events again, off the request's path and without alerts (at most 100). */
export async function requestRematch(retailerId: string, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length) await enqueue(REMATCH_QUEUE, { events: eventIds.slice(0, MAX_EVENTS_PER_MESSAGE).map((eventId) => ({ retailerId, eventId })), rematch: true });
}

/** What the matching queue's work reads and sends: matching, the pending requests and the queues in the app, fakes in unit tests. */
export interface MatchQueueStore {
  matchEventsOf: typeof matchEventsOf;
  clearMatchPending(retailerId: string, eventIds: string[]): Promise<unknown>;
  enqueue(queue: string, message: unknown): Promise<unknown>;
}

const cosmosRecords: MatchQueueStore = { matchEventsOf, clearMatchPending, enqueue };

/** The matching queue's work, over a store. */
export function matchQueue(store: MatchQueueStore) {
  /**
   * The queue trigger's work for one message: every event in it matched, side by side. A message
   * of one event that fails throws, so the host retries it and in the end keeps it in the poison
   * queue; when some events of a group fail, each of those goes back on the queue as a message of
   * its own (its own retries, its own poison entry) and the others are done.
   */
  async function matchRequested(message: z.infer<typeof MatchMessageSchema>): Promise<MatchResult[]> {
    // An event listed twice is one event: matched, cleared and sent back once.
    const listed = 'events' in message ? message.events : [message];
    const events = listed.filter((e, n) => listed.findIndex((o) => o.retailerId === e.retailerId && o.eventId === e.eventId) === n);
    // A re-match after a new estimate: the events were alerted on when they were stored.
    const alert = !('events' in message && message.rematch);
    // One call per retailer in the message (its events, settings and partners read once); a
    // failure of those shared reads fails each of its events.
    const retailers = [...new Set(events.map((e) => e.retailerId))];
    const byRetailer = new Map(
      await Promise.all(
        retailers.map(async (r) => {
          const ids = [...new Set(events.filter((e) => e.retailerId === r).map((e) => e.eventId))];
          const outcomes = await store.matchEventsOf(r, ids, new Date(), { alert }).catch((reason: unknown) => ids.map((): PromiseSettledResult<MatchResult> => ({ status: 'rejected', reason })));
          return [r, new Map(ids.map((id, i) => [id, outcomes[i]!]))] as const;
        }),
      ),
    );
    const outcomes = events.map((e) => byRetailer.get(e.retailerId)!.get(e.eventId)!);
    // A re-match does not settle a new event's own request: that one (and its alerts) may still be on its way.
    if (alert) await clearDone(events.filter((_, i) => outcomes[i]!.status === 'fulfilled'));
    const failed = events.filter((_, i) => outcomes[i]!.status === 'rejected');
    if (failed.length === events.length && events.length === 1) throw (outcomes[0] as PromiseRejectedResult).reason;
    // Each back on its own queue, a re-match still a re-match (no alert).
    await Promise.all(failed.map((e) => (alert ? store.enqueue(MATCH_QUEUE, e) : store.enqueue(REMATCH_QUEUE, { events: [e], rematch: true }))));
    return outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  }

  /**
   * The events' pending requests are done. A failure here is not the match's: the requests stay
   * pending and the sweep sends them again, which matches those events once more, to no effect.
   */
  async function clearDone(events: EventRef[]): Promise<void> {
    const retailers = [...new Set(events.map((e) => e.retailerId))];
    await Promise.all(
      retailers.map((r) =>
        store.clearMatchPending(
          r,
          events.filter((e) => e.retailerId === r).map((e) => e.eventId),
        ).catch(() => undefined),
      ),
    );
  }

  return { matchRequested };
}

export const { matchRequested } = matchQueue(cosmosRecords);
