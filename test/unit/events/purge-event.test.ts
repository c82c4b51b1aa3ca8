import { eventPurge, type PurgeStore } from '../../../shared/events/purge-event';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { RetailEvent } from '../../../shared/domain/events/event-schema';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import { DEFAULT_SETTINGS } from '../../../shared/domain/retailer-settings';
import { ConflictError, NotFoundError, PreconditionFailedError } from '../../../shared/domain/errors';

/**
 * The one purge over events, profiles and what hangs on them in memory: the event is marked
 * purging first (with a deletion's entry in the same write) and its document goes last, so a run
 * that stops part-way is finished by the next; a profile left with nothing is taken out of the
 * index with its suggestions before it goes, one that keeps other events is re-indexed; a held
 * event is never touched. The same against the emulator in test/integration/app/events*.test.ts,
 * retention.test.ts and store-faults.test.ts.
 */
class Records implements PurgeStore {
  events = new Map<string, VersionedEvent>();
  profiles = new Map<string, ProfileDoc>();
  /** What happened, in order: the purge's crash safety rests on it. */
  steps: string[] = [];
  /** Stops the run (as a crash would) when this step is reached. */
  crashAt?: string;

  private step(name: string): void {
    if (this.crashAt && name.startsWith(this.crashAt)) throw new Error(`crash at ${name}`);
    this.steps.push(name);
  }
  readEvent = (_retailerId: string, id: string) => Promise.resolve(structuredClone(this.events.get(id)));
  markPurging = async (found: VersionedEvent, audit?: OutboxEntry) => {
    const current = this.events.get(found.event.id)!;
    if (current.etag !== found.etag) throw new PreconditionFailedError();
    this.step(`mark${audit ? ` with ${audit.draft.action}` : ''}`);
    this.events.set(found.event.id, { ...current, purging: true, etag: `${current.etag}+` });
  };
  deleteLinks = async (_retailerId: string, of: { eventId: string } | { profileId: string }, pendingOnly?: boolean) => {
    this.step(`${'eventId' in of ? `links of ${of.eventId}` : `links of ${of.profileId}`}${pendingOnly ? ' (pending)' : ''}`);
    return 0;
  };
  retireLinksOfEvent = async (_retailerId: string, eventId: string) => {
    this.step(`retire links of ${eventId}`);
    return 0;
  };
  deleteForeignLinksTo = async (_retailerId: string, profileId: string, pendingOnly?: boolean) => {
    this.step(`foreign links of ${profileId}${pendingOnly ? ' (pending)' : ''}`);
    return 0;
  };
  crossRetailer = false;
  getSettings = () => Promise.resolve({ settings: { ...structuredClone(DEFAULT_SETTINGS), connectTheDots: { crossRetailer: this.crossRetailer, imageMatching: false } } });
  readProfile = (_retailerId: string, id: string) => Promise.resolve(structuredClone(this.profiles.get(id)));
  unindexProfile = async (_retailerId: string, profile: ProfileDoc) => this.step(`unindex ${profile.id}`);
  leaveProfile = async (_retailerId: string, profileId: string, eventId: string) => {
    const p = this.profiles.get(profileId);
    if (!p) return 'missing' as const;
    const eventIds = p.eventIds.filter((id) => id !== eventId);
    if (eventIds.length === p.eventIds.length) return 'unchanged' as const;
    this.step(`leave ${profileId}`);
    if (eventIds.length === 0) {
      this.profiles.delete(profileId);
      return 'deleted' as const;
    }
    this.profiles.set(profileId, { ...p, eventIds });
    return 'updated' as const;
  };
  /** As reindexProfile: the facts and keys from the events the profile still has. */
  reindexProfile = async (_retailerId: string, profileId: string) => {
    this.step(`reindex ${profileId}`);
    const p = this.profiles.get(profileId)!;
    this.profiles.set(profileId, { ...p, match: { ...p.match!, indexedEvents: [...p.eventIds] } });
    return this.profiles.get(profileId);
  };
  requestRematch = async (_retailerId: string, eventIds: readonly string[]) => void this.step(`rematch ${eventIds.join(',')}`);
  syncPlateIndex = async (_retailerId: string, eventId: string, before: RetailEvent | undefined, after: RetailEvent | undefined) => {
    this.step(`plates of ${eventId} ${before?.vehicles?.length ?? 0}→${after?.vehicles?.length ?? 0}`);
  };
  deleteAlertsNaming = async (_retailerId: string, of: { eventIds: readonly string[] }) => {
    this.step(`alerts of ${of.eventIds.join(',')}`);
    return 1;
  };
  purgeEvidenceOfEvent = async (_retailerId: string, eventId: string) => {
    this.step(`evidence of ${eventId}`);
    return 2;
  };
  deleteMessagesOf = async (_retailerId: string, eventIds: readonly string[]) => {
    this.step(`messages of ${eventIds.join(',')}`);
    return 1;
  };
  retireStoredResponses = async (_retailerId: string, eventIds: readonly string[]) => void this.step(`responses of ${eventIds.join(',')}`);
  /** Outbox keys marked proven, each just before an event document went. */
  settled: string[] = [];
  markOutboxProven = async (_retailerId: string, key: string) => void this.settled.push(`${key} before ${[...this.events.keys()].join(',')}`);
  deleteEventDoc = async (_retailerId: string, id: string) => {
    this.step(`delete ${id}`);
    this.events.delete(id);
  };

  addEvent(id: string, profileIds: string[], more: { legalHold?: boolean; purging?: boolean } = {}): void {
    const event = { id, retailerId: 'shop', storeId: 's1', occurredAt: '2026-10-01T10:00:00Z', people: profileIds.map((profileId, i) => ({ ref: `p${i}`, profileId })), vehicles: [{ plate: 'ABC123' }], ...(more.legalHold ? { legalHold: { by: 'admin', at: '', reason: 'court' } } : {}) } as unknown as RetailEvent;
    this.events.set(id, { event, etag: '"1"', purging: more.purging ?? false, storeJurisdiction: 'NZ-AUK' });
    for (const profileId of profileIds) {
      const p = this.profiles.get(profileId) ?? ({ id: profileId, orgId: 'shop', docType: 'profile', eventIds: [], createdAt: '', updatedAt: '', match: { indexedEvents: [] } } as unknown as ProfileDoc);
      this.profiles.set(profileId, { ...p, eventIds: [...p.eventIds, id], match: { ...p.match!, indexedEvents: [...p.eventIds, id] } });
    }
  }
}

const NOW = new Date('2026-11-02T12:00:00Z');
const deletion: OutboxEntry = { key: 'event.delete:k1', draft: { action: 'event.delete', target: { type: 'event', id: 'e1' }, actor: { type: 'user', id: 'admin@shop' } } as unknown as OutboxEntry['draft'] };

function world() {
  const records = new Records();
  records.addEvent('e1', ['alone', 'returning']);
  records.addEvent('e2', ['returning']);
  return { records, purgeEvent: eventPurge(records) };
}

describe('the purge over events and profiles in memory', () => {
  it('marks first (with the deletion entry), then suggestions, people, plates and alerts, evidence and messages, and the document last', async () => {
    const { records, purgeEvent } = world();
    const result = await purgeEvent('shop', 'e1', { now: NOW, audit: deletion });
    expect(result).toEqual({ eventId: 'e1', purged: true, profilesUpdated: 1, profilesDeleted: 1, evidenceDeleted: 2 });
    expect(records.steps).toEqual([
      'mark with event.delete',
      'retire links of e1',
      // A profile left with nothing leaves the index and loses its suggestions before it goes.
      'unindex alone',
      'links of alone',
      'leave alone',
      // One that keeps other events loses its pending suggestions (their reasons hold the facts that left) and is indexed again from them.
      'leave returning',
      'links of returning (pending)',
      'reindex returning',
      // And is matched again: its suggestions are made anew from what it holds now.
      'rematch e2',
      'plates of e1 1→0',
      'alerts of e1',
      'evidence of e1',
      'messages of e1',
      // A retry of the request that created it gets 410, not the deleted person (a sixth audit).
      'responses of e1',
      'delete e1',
    ]);
    expect([...records.profiles.keys()]).toEqual(['returning']);
    expect(records.profiles.get('returning')!.eventIds).toEqual(['e2']);
    expect(records.profiles.get('returning')!.match!.indexedEvents).toEqual(['e2']);
  });

  it('a caller that removed the messages and alerts of a batch of events already (the retention sweep) has the purge skip them', async () => {
    const { records, purgeEvent } = world();
    await purgeEvent('shop', 'e1', { now: NOW, dependentsGone: true });
    expect(records.steps.filter((x) => x.startsWith('alerts') || x.startsWith('messages'))).toEqual([]);
    expect(records.steps.at(-1)).toBe('delete e1');
  });

  it("of a retailer matching across retailers, a profile that goes takes its partners' suggestions about it along, before it goes; one that stays their pending ones", async () => {
    const { records, purgeEvent } = world();
    records.crossRetailer = true;
    await purgeEvent('shop', 'e1', { now: NOW, audit: deletion });
    expect(records.steps.slice(2, 6)).toEqual(['unindex alone', 'links of alone', 'foreign links of alone', 'leave alone']);
    expect(records.steps.slice(6, 10)).toEqual(['leave returning', 'links of returning (pending)', 'foreign links of returning (pending)', 'reindex returning']);
  });

  it('a run stopped at any step is finished by the next, which does not mark again; nothing is left', async () => {
    for (const crashAt of ['retire links of e1', 'unindex', 'leave returning', 'reindex', 'plates', 'alerts', 'evidence', 'messages', 'delete']) {
      const { records, purgeEvent } = world();
      records.crashAt = crashAt;
      await expect(purgeEvent('shop', 'e1', { now: NOW, audit: deletion })).rejects.toThrow(/crash/);
      expect(records.events.get('e1')!.purging).toBe(true);
      records.crashAt = undefined;
      records.steps = [];
      expect(await purgeEvent('shop', 'e1', { now: NOW })).toMatchObject({ purged: true });
      expect(records.steps[0]).not.toMatch(/^mark/);
      expect(records.steps.at(-1)).toBe('delete e1');
      expect(records.events.has('e1')).toBe(false);
      // Nothing of the purged event lingers in what the matcher holds of the person who stays.
      expect([...records.profiles.values()].map((p) => [p.id, p.eventIds, p.match?.indexedEvents])).toEqual([['returning', ['e2'], ['e2']]]);
    }
  });

  it('a run again after the profile was indexed without the event does not index it again', async () => {
    const { records, purgeEvent } = world();
    records.events.set('e1', { ...records.events.get('e1')!, purging: true });
    const p = records.profiles.get('returning')!;
    records.profiles.set('returning', { ...p, eventIds: ['e2'], match: { ...p.match!, indexedEvents: ['e2'] } });
    await purgeEvent('shop', 'e1', { now: NOW });
    expect(records.steps.filter((s) => s.startsWith('reindex'))).toEqual([]);
  });

  it('an event under legal hold is refused with 409 and nothing is touched; an event already gone is nothing to do', async () => {
    const { records, purgeEvent } = world();
    records.addEvent('held', ['returning'], { legalHold: true });
    await expect(purgeEvent('shop', 'held', { now: NOW })).rejects.toBeInstanceOf(ConflictError);
    expect(records.steps).toEqual([]);
    expect(records.events.get('held')!.purging).toBe(false);
    expect(await purgeEvent('shop', 'never', { now: NOW })).toEqual({ eventId: 'never', purged: false, profilesUpdated: 0, profilesDeleted: 0, evidenceDeleted: 0 });
  });

  it('an event that keeps changing under the mark is never marked over a change (412 in the end), and nothing else is removed', async () => {
    const { records, purgeEvent } = world();
    const read = records.readEvent;
    let version = 1;
    records.readEvent = async (retailerId, id) => {
      const found = await read(retailerId, id);
      version += 1;
      records.events.set(id, { ...records.events.get(id)!, etag: `"${version}"` });
      return found;
    };
    await expect(purgeEvent('shop', 'e1', { now: NOW, audit: deletion })).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.steps).toEqual([]);
    expect(records.profiles.get('alone')!.eventIds).toEqual(['e1']);
  });

  it('an event changed once since it was read is read again and purged; one another deletion marked meanwhile is 404 to this one, which removes nothing', async () => {
    const changedOnce = world();
    const read = changedOnce.records.readEvent;
    let reads = 0;
    changedOnce.records.readEvent = async (retailerId, id) => {
      const found = await read(retailerId, id);
      if ((reads += 1) === 1) changedOnce.records.events.set(id, { ...changedOnce.records.events.get(id)!, etag: '"2"' });
      return found;
    };
    expect(await changedOnce.purgeEvent('shop', 'e1', { now: NOW, audit: deletion })).toMatchObject({ purged: true });
    // Its creation's outbox document, if still there, is marked proven while the event (its proof) is there.
    expect(changedOnce.records.settled).toEqual([expect.stringMatching(/^event\.create@e1 before .*e1/)]);

    const raced = world();
    raced.records.events.set('e1', { ...raced.records.events.get('e1')!, purging: true });
    await expect(raced.purgeEvent('shop', 'e1', { now: NOW, audit: deletion })).rejects.toBeInstanceOf(NotFoundError);
    expect(raced.records.steps).toEqual([]);
    // The sweep (no deletion's entry) finishes what another run marked.
    expect(await raced.purgeEvent('shop', 'e1', { now: NOW })).toMatchObject({ purged: true });
  });
});
