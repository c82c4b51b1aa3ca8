import { readPlateIndexes } from '../../../shared/lpr/plate-index-repository';
import { canonicalPlate, plateIndexId } from '../../../shared/domain/lpr/plate-index';
import { randomUUID } from 'node:crypto';
import { container, placed, readIfExists } from '../../../shared/adapters/cosmos-containers';
import { buildEvent } from '../../../shared/domain/events/event-rules';
import { EventInputSchema } from '../../../shared/domain/events/event-schema';
import { writeNewEventAtOnce } from '../../../shared/events/write-new-event';
import { markMatchPending, matchPendingId, type MatchPendingDoc } from '../../../shared/matching/match-pending-repository';
import { requestMatching } from '../../../shared/matching/match-queue';
import { MATCH_OVERDUE_MS, MAX_MATCH_RESENDS, resendOverdueMatching } from '../../../shared/matching/match-pending-sweep';
import { eventBody, retailerWorld } from '../support/world';
import { matched } from '../support/retention';
import { waitFor } from '../local-host/helpers';

const pending = (orgId: string, eventId: string) => readIfExists<MatchPendingDoc>('match-pending', orgId, matchPendingId(eventId));
const later = (ms: number) => new Date(Date.now() + ms);
const quietLog = () => {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  return { warnings, warn: (message: string, fields?: Record<string, unknown>) => warnings.push({ message, fields }) };
};

const until = <T>(probe: () => Promise<T | undefined>, what: string) => waitFor(probe, 20_000, what);

/** A pending request as the sweep would find it after `resent` resends. */
const pendingResent = (orgId: string, eventId: string, resent: number) =>
  container('match-pending').items.upsert(placed('match-pending', { id: matchPendingId(eventId), orgId, docType: 'match-pending', eventId, requestedAt: new Date().toISOString(), resent }));

/** Sweeps the test's own retailer, as a run at `now` would, and checks `eventId`'s request was sent again (or already matched and cleared). */
async function sweepUntilResent(orgId: string, eventId: string, now: Date): Promise<void> {
  const run = await resendOverdueMatching(quietLog(), now, orgId);
  expect(run.resent).toBe(1);
  expect((await pending(orgId, eventId))?.resent ?? 1).toBe(1);
}

/** The event's audit entry, as createEvent gives it (here the batch alone is written, as a process that died would leave it). */
const outboxOf = (event: { id: string }) => ({
  key: `event.create@${event.id}`,
  proofId: event.id,
  draft: { actor: { sub: 'rep-1', org: null, roles: [] }, requestId: randomUUID(), action: 'event.create', target: { type: 'event', id: event.id }, outcome: 'success' as const },
});

describe('matching requests are pending until matched, and sent again when left behind', () => {
  it("a new event's batch holds its pending request; left without a queue message or its plates (the process died), the sweep sends it and the matcher indexes its plate and clears it", async () => {
    const w = await retailerWorld();
    const now = new Date();
    const event = buildEvent(randomUUID(), w.org, EventInputSchema.parse(eventBody()), 'rep-1', now);
    const plate = plateIndexId(canonicalPlate(event.vehicles[0]!.normalisedPlate));
    // The batch alone, as a process that died before its plates and its queue message would leave it.
    expect(await writeNewEventAtOnce(event, 'NZ-AKL', new Map(), now, outboxOf(event))).toBeDefined();
    expect((await readPlateIndexes(w.org, [plate])).get(plate)).toBeUndefined();
    expect(await pending(w.org, event.id)).toMatchObject({ eventId: event.id, docType: 'match-pending', resent: 0 });

    // Not overdue yet: nothing is sent.
    expect((await resendOverdueMatching(quietLog(), later(MATCH_OVERDUE_MS / 2), w.org)).resent).toBe(0);
    expect((await pending(w.org, event.id))?.resent).toBe(0);

    await sweepUntilResent(w.org, event.id, later(MATCH_OVERDUE_MS + 60_000));
    await matched(w.org, [event.people[0]!.profileId]);
    await until(async () => ((await pending(w.org, event.id)) ? undefined : true), 'the matcher to clear the request');
    expect((await readPlateIndexes(w.org, [plate])).get(plate)?.entries.map((e) => e.eventId)).toEqual([event.id]);
  });

  it('an event matched through the queue leaves nothing pending', async () => {
    const w = await retailerWorld();
    const now = new Date();
    const event = buildEvent(randomUUID(), w.org, EventInputSchema.parse(eventBody()), 'rep-1', now);
    await writeNewEventAtOnce(event, 'NZ-AKL', new Map(), now, outboxOf(event));
    await requestMatching(w.org, event.id);
    await matched(w.org, [event.people[0]!.profileId]);
    await until(async () => ((await pending(w.org, event.id)) ? undefined : true), 'the matcher to clear the request');
  });

  it('two sweeps at once send a request once; one sent the most times is left alone, with a warning the last time', async () => {
    const w = await retailerWorld();
    // Requests for events that do not exist: the matcher finds nothing and clears them.
    const once = `gone-${randomUUID()}`;
    const last = `gone-${randomUUID()}`;
    await markMatchPending(w.org, once, new Date());
    await pendingResent(w.org, last, MAX_MATCH_RESENDS - 1);
    const at = later(MATCH_OVERDUE_MS + 60_000);
    const logs = [quietLog(), quietLog()];
    const runs = await Promise.all(logs.map((log) => resendOverdueMatching(log, at, w.org)));
    // Each of the two requests was sent by exactly one of the sweeps.
    expect(runs.reduce((n, r) => n + r.resent, 0)).toBe(2);
    expect(logs.flatMap((l) => l.warnings).filter((m) => m.fields?.eventId === last)).toEqual([
      { message: 'Matching request sent again for the last time', fields: { retailerId: w.org, eventId: last, resent: MAX_MATCH_RESENDS } },
    ]);
    await until(async () => ((await pending(w.org, once)) ?? (await pending(w.org, last)) ? undefined : true), 'the matcher to clear both');

    // One at its limit is never picked up again.
    const stuck = `stuck-${randomUUID()}`;
    await pendingResent(w.org, stuck, MAX_MATCH_RESENDS);
    for (let i = 0; i < 3; i += 1) expect((await resendOverdueMatching(quietLog(), at, w.org)).resent).toBe(0);
    expect((await pending(w.org, stuck))?.resent).toBe(MAX_MATCH_RESENDS);
  });
});
