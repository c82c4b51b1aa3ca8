import type { LeavingDoc } from '../../../shared/events/leaving-repository';
import type { KeyNoteDoc } from '../../../shared/matching/key-note-repository';
import { MATCH_OVERDUE_MS, MAX_MATCH_RESENDS, matchPendingSweeping, type MatchPendingSweepStore } from '../../../shared/matching/match-pending-sweep';
import { matchPendingId, type MatchPendingDoc } from '../../../shared/matching/match-pending-repository';

/**
 * The sweep of pending matching requests over requests and a queue in memory. Which requests it
 * sends again, in what order it notes and sends, and what it logs are its own; storage is faked as
 * it behaves: the query answers requests pending since before the cutoff and resent fewer than
 * `maxResends` times, at most `max` of them; the note replaces the version read only (an etag),
 * so a request changed or removed since is refused. The sweep against the emulators runs in
 * test/integration/app/match-pending.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const MINUTE = 60_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

class Requests implements MatchPendingSweepStore {
  /** "retailer|id" → the request, with its etag. */
  docs = new Map<string, MatchPendingDoc>();
  /** What happened, in order. */
  ops: string[] = [];
  queries: { cutoff: string; maxResends: number; max: number; orgId?: string }[] = [];
  queueFault?: Error;
  private version = 0;

  overdueMatchRequests = async (cutoff: Date, maxResends: number, max: number, orgId?: string) => {
    this.queries.push({ cutoff: cutoff.toISOString(), maxResends, max, ...(orgId ? { orgId } : {}) });
    return [...this.docs.values()]
      .filter((d) => d.requestedAt < cutoff.toISOString() && d.resent < maxResends && (orgId === undefined || d.orgId === orgId))
      .slice(0, max)
      .map((d) => structuredClone(d));
  };
  noteResent = async (doc: MatchPendingDoc, now: Date) => {
    const key = `${doc.orgId}|${doc.id}`;
    const stored = this.docs.get(key);
    if (!stored || stored._etag !== doc._etag) return false;
    this.docs.set(key, { ...stored, requestedAt: now.toISOString(), resent: doc.resent + 1, _etag: this.etag() });
    this.ops.push(`note ${doc.eventId}`);
    return true;
  };
  requestMatching = async (retailerId: string, eventId: string) => {
    if (this.queueFault) throw this.queueFault;
    this.ops.push(`send ${retailerId}/${eventId}`);
  };
  leavings: LeavingDoc[] = [];
  overdueLeavings = async (cutoff: Date) => this.leavings.filter((n) => n.notedAt < cutoff.toISOString());
  leavingFault?: Error;
  finishLeaving = async (note: LeavingDoc) => {
    if (this.leavingFault && note.eventId === 'ev-busy') throw this.leavingFault;
    this.ops.push(`leave ${note.orgId}/${note.eventId} ${note.profileIds.join(',')}`);
  };

  keyNotes: KeyNoteDoc[] = [];
  overdueKeyNotes = async (cutoff: Date) => this.keyNotes.filter((n) => n.at < cutoff.toISOString());
  settleKeyNote = async (note: KeyNoteDoc) => {
    if (note.profileId === 'p-busy') throw new Error('503');
    this.ops.push(`settle ${note.id}`);
    return true;
  };

  pending(eventId: string, age: number, resent = 0, orgId = 'shop'): void {
    this.docs.set(`${orgId}|${matchPendingId(eventId)}`, { id: matchPendingId(eventId), orgId, docType: 'match-pending', eventId, requestedAt: ago(age), resent, _etag: this.etag() });
  }
  /** The matcher (or another sweep) changes or removes the request. */
  touch(eventId: string, orgId = 'shop'): void {
    const key = `${orgId}|${matchPendingId(eventId)}`;
    this.docs.set(key, { ...this.docs.get(key)!, _etag: this.etag() });
  }
  get = (eventId: string, orgId = 'shop') => this.docs.get(`${orgId}|${matchPendingId(eventId)}`);
  private etag = () => `"${++this.version}"`;
}

function world() {
  const store = new Requests();
  const warnings: { message: string; props: unknown }[] = [];
  const log = { warn: (message: string, props?: unknown) => void warnings.push({ message, props }) };
  const { resendOverdueMatching } = matchPendingSweeping(store);
  const run = (at = NOW, orgId?: string) => resendOverdueMatching(log, at, orgId);
  return { store, warnings, run };
}

test('an overdue request is noted, then sent again; a young one, or one resent MAX_MATCH_RESENDS times, is left alone', async () => {
  const { store, warnings, run } = world();
  store.pending('ev-old', 11 * MINUTE);
  store.pending('ev-edge', MATCH_OVERDUE_MS);
  store.pending('ev-young', MATCH_OVERDUE_MS - 1);
  store.pending('ev-spent', 60 * MINUTE, MAX_MATCH_RESENDS);
  store.pending('ev-other', 30 * MINUTE, 0, 'other');
  expect(await run()).toEqual({ resent: 2, more: false });
  expect(store.queries).toEqual([{ cutoff: ago(MATCH_OVERDUE_MS), maxResends: MAX_MATCH_RESENDS, max: 500 }]);
  expect(store.ops).toEqual(['note ev-old', 'send shop/ev-old', 'note ev-other', 'send other/ev-other']);
  expect(store.get('ev-old')).toMatchObject({ requestedAt: NOW.toISOString(), resent: 1 });
  expect(store.get('ev-edge')).toMatchObject({ resent: 0 });
  expect(store.get('ev-young')).toMatchObject({ resent: 0 });
  expect(store.get('ev-spent')).toMatchObject({ resent: MAX_MATCH_RESENDS });
  expect(warnings).toEqual([]);
});

test('the last resend is logged, once, and then the request is left to the poison queue', async () => {
  const { store, warnings, run } = world();
  store.pending('ev-tired', 11 * MINUTE, MAX_MATCH_RESENDS - 2);
  store.pending('ev-last', 11 * MINUTE, MAX_MATCH_RESENDS - 1);
  expect(await run()).toEqual({ resent: 2, more: false });
  expect(warnings).toEqual([{ message: 'Matching request sent again for the last time', props: { retailerId: 'shop', eventId: 'ev-last', resent: MAX_MATCH_RESENDS } }]);
  // An hour later: ev-tired goes a last time, ev-last never again.
  store.ops = [];
  expect(await run(new Date(NOW.getTime() + 60 * MINUTE))).toEqual({ resent: 1, more: false });
  expect(store.ops).toEqual(['note ev-tired', 'send shop/ev-tired']);
  expect(warnings.map((w) => (w.props as { eventId: string }).eventId)).toEqual(['ev-last', 'ev-tired']);
  store.ops = [];
  expect(await run(new Date(NOW.getTime() + 120 * MINUTE))).toEqual({ resent: 0, more: false });
  expect(store.ops).toEqual([]);
});

test('a re-run finds nothing to do: a request just sent again is not overdue', async () => {
  const { store, run } = world();
  store.pending('ev-old', 11 * MINUTE);
  await run();
  store.ops = [];
  expect(await run()).toEqual({ resent: 0, more: false });
  expect(await run(new Date(NOW.getTime() + MATCH_OVERDUE_MS - 1))).toEqual({ resent: 0, more: false });
  expect(store.ops).toEqual([]);
  expect(store.get('ev-old')).toMatchObject({ resent: 1 });
});

test('a request changed or removed between the query and the note (the matcher, another sweep) is neither sent nor counted; the rest go on', async () => {
  const { store, run } = world();
  store.pending('ev-a', 11 * MINUTE);
  store.pending('ev-b', 11 * MINUTE);
  store.pending('ev-c', 11 * MINUTE);
  const query = store.overdueMatchRequests;
  store.overdueMatchRequests = async (...args) => {
    const found = await query(...args);
    store.touch('ev-a');
    store.docs.delete(`shop|${matchPendingId('ev-b')}`);
    return found;
  };
  expect(await run()).toEqual({ resent: 1, more: false });
  expect(store.ops).toEqual(['note ev-c', 'send shop/ev-c']);
  expect(store.get('ev-a')).toMatchObject({ resent: 0 });
});

test('a queue that refuses fails the run after the note: the request, noted, is sent again once overdue anew', async () => {
  const { store, run } = world();
  store.pending('ev-a', 11 * MINUTE);
  store.pending('ev-b', 11 * MINUTE);
  store.queueFault = new Error('queue unavailable');
  await expect(run()).rejects.toThrow('queue unavailable');
  expect(store.ops).toEqual(['note ev-a']);
  expect(store.get('ev-a')).toMatchObject({ resent: 1, requestedAt: NOW.toISOString() });
  expect(store.get('ev-b')).toMatchObject({ resent: 0 });
  store.queueFault = undefined;
  store.ops = [];
  expect(await run()).toEqual({ resent: 1, more: false });
  expect(store.ops).toEqual(['note ev-b', 'send shop/ev-b']);
  store.ops = [];
  expect(await run(new Date(NOW.getTime() + 11 * MINUTE))).toEqual({ resent: 2, more: false });
  expect(store.ops).toEqual(['note ev-a', 'send shop/ev-a', 'note ev-b', 'send shop/ev-b']);
});

test('a full page (500) says there is more; `orgId` narrows the query to one retailer', async () => {
  const { store, run } = world();
  for (let i = 0; i < 501; i++) store.pending(`ev-${i}`, 11 * MINUTE);
  store.pending('ev-mine', 11 * MINUTE, 0, 'mine');
  expect(await run(NOW, 'mine')).toEqual({ resent: 1, more: false });
  expect(store.queries[0]).toEqual({ cutoff: ago(MATCH_OVERDUE_MS), maxResends: MAX_MATCH_RESENDS, max: 500, orgId: 'mine' });
  expect(await run()).toEqual({ resent: 500, more: true });
  expect(await run()).toEqual({ resent: 1, more: false });
});

test('a correction that stopped before its leaving is finished by the sweep; one that fails is left for the next run, the others go on', async () => {
  const { store, warnings, run } = world();
  const note = (eventId: string, age: number): LeavingDoc => ({ id: `leaving@${eventId}`, orgId: 'shop', docType: 'leaving', eventId, profileIds: ['p-gone'], notedAt: ago(age) });
  store.leavings = [note('ev-busy', 11 * MINUTE), note('ev-left', 11 * MINUTE), note('ev-young', MINUTE)];
  store.leavingFault = new Error('PROFILE_BUSY');
  await run();
  expect(store.ops).toEqual(['leave shop/ev-left p-gone']);
  expect(warnings.map((w) => w.message)).toEqual(['A correction left unfinished could not be finished yet']);
});

test('a re-index that stopped between a profile and its keys has its note settled by the sweep once overdue; one that fails is left for the next run, the others go on', async () => {
  const { store, warnings, run } = world();
  const note = (profileId: string, age: number): KeyNoteDoc => ({ id: `key-note:w@${profileId}`, orgId: 'shop', docType: 'key-note', profileId, at: ago(age), add: ['dob:abc'], remove: [] });
  store.keyNotes = [note('p-busy', 11 * MINUTE), note('p-left', 11 * MINUTE), note('p-young', MINUTE)];
  await run();
  expect(store.ops).toEqual(['settle key-note:w@p-left']);
  expect(warnings.map((w) => w.message)).toEqual(['A key note left behind could not be settled yet']);
});
