import { MATCH_QUEUE, REMATCH_QUEUE, matchQueue, type MatchQueueStore } from '../../../shared/matching/match-queue';
import type { MatchResult } from '../../../shared/matching/match-event';

/**
 * The matching queue's work over a matcher, pending requests and queues in memory: which events
 * are matched in one call, which requests are cleared, what goes back on which queue and when the
 * message itself fails (so the host retries it). The queue trigger against the emulators runs in
 * test/integration/app/match-pending.test.ts.
 */
class World implements MatchQueueStore {
  /** Events whose matching fails, and retailers whose shared reads fail. */
  failing = new Set<string>();
  failingRetailers = new Set<string>();
  clearFault?: Error;
  calls: { retailerId: string; eventIds: string[]; alert: boolean | undefined }[] = [];
  cleared: { retailerId: string; eventIds: string[] }[] = [];
  sent: { queue: string; message: unknown }[] = [];

  matchEventsOf = async (retailerId: string, eventIds: string[], _now?: Date, options: { alert?: boolean } = {}): Promise<PromiseSettledResult<MatchResult>[]> => {
    this.calls.push({ retailerId, eventIds, alert: options.alert });
    if (this.failingRetailers.has(retailerId)) throw new Error(`settings of ${retailerId} unreadable`);
    return eventIds.map((eventId) =>
      this.failing.has(eventId) ? { status: 'rejected', reason: new Error(`${eventId} failed`) } : { status: 'fulfilled', value: { eventId, people: 1, candidates: 0, suggestions: 0 } },
    );
  };
  clearMatchPending = async (retailerId: string, eventIds: string[]) => {
    if (this.clearFault) throw this.clearFault;
    this.cleared.push({ retailerId, eventIds });
  };
  enqueue = async (queue: string, message: unknown) => {
    this.sent.push({ queue, message });
  };
}

const ref = (retailerId: string, eventId: string) => ({ retailerId, eventId });

describe('the matching queue', () => {
  it("matches a message's events in one call per retailer, each event once, and clears their pending requests", async () => {
    const world = new World();
    const { matchRequested } = matchQueue(world);
    const results = await matchRequested({ events: [ref('r1', 'a'), ref('r2', 'x'), ref('r1', 'b'), ref('r1', 'a')] });
    expect(world.calls).toEqual([
      { retailerId: 'r1', eventIds: ['a', 'b'], alert: true },
      { retailerId: 'r2', eventIds: ['x'], alert: true },
    ]);
    expect(results.map((r) => r.eventId)).toEqual(['a', 'x', 'b']);
    expect(world.cleared).toEqual([
      { retailerId: 'r1', eventIds: ['a', 'b'] },
      { retailerId: 'r2', eventIds: ['x'] },
    ]);
    expect(world.sent).toEqual([]);
  });

  it('an event listed twice that fails is one event: it throws as a single event does, and nothing is sent back twice', async () => {
    const world = new World();
    world.failing.add('a');
    await expect(matchQueue(world).matchRequested({ events: [ref('r1', 'a'), ref('r1', 'a')] })).rejects.toThrow('a failed');
    expect(world.sent).toEqual([]);
  });

  it('a message of one event that fails throws, so the host retries it; its request stays pending', async () => {
    const world = new World();
    world.failing.add('a');
    await expect(matchQueue(world).matchRequested(ref('r1', 'a'))).rejects.toThrow('a failed');
    expect(world.cleared).toEqual([]);
    expect(world.sent).toEqual([]);
  });

  it("in a group, each failed event goes back on its own and the rest are done; a retailer's failed shared reads fail each of its events", async () => {
    const world = new World();
    world.failing.add('b');
    world.failingRetailers.add('r2');
    const results = await matchQueue(world).matchRequested({ events: [ref('r1', 'a'), ref('r1', 'b'), ref('r2', 'x'), ref('r2', 'y')] });
    expect(results.map((r) => r.eventId)).toEqual(['a']);
    expect(world.cleared).toEqual([{ retailerId: 'r1', eventIds: ['a'] }]);
    expect(world.sent).toEqual([
      { queue: MATCH_QUEUE, message: ref('r1', 'b') },
      { queue: MATCH_QUEUE, message: ref('r2', 'x') },
      { queue: MATCH_QUEUE, message: ref('r2', 'y') },
    ]);
  });

  it('a re-match after a new estimate alerts no one, and its failures go back as re-matches', async () => {
    const world = new World();
    world.failing.add('b');
    await matchQueue(world).matchRequested({ events: [ref('r1', 'a'), ref('r1', 'b')], rematch: true });
    expect(world.calls).toEqual([{ retailerId: 'r1', eventIds: ['a', 'b'], alert: false }]);
    expect(world.sent).toEqual([{ queue: REMATCH_QUEUE, message: { events: [ref('r1', 'b')], rematch: true } }]);
    // Nor does it settle the events' own requests: a new event's match (and its alerts) may be still to come.
    expect(world.cleared).toEqual([]);
  });

  it('a group of one that fails throws as a single event does (nothing to split off)', async () => {
    const world = new World();
    world.failing.add('a');
    await expect(matchQueue(world).matchRequested({ events: [ref('r1', 'a')] })).rejects.toThrow('a failed');
    expect(world.sent).toEqual([]);
  });

  it("a failure to clear the requests is not the match's: the answer stands and the sweep sends them again", async () => {
    const world = new World();
    world.clearFault = new Error('503 from the store');
    const results = await matchQueue(world).matchRequested(ref('r1', 'a'));
    expect(results).toHaveLength(1);
    expect(world.sent).toEqual([]);
  });
});
