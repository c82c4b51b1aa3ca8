import { profileErasureSteps, type EraseProfileStore } from '../../../shared/privacy/erase-profile';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import { EMPTY_STATS } from '../../../shared/matching/reindex-profile';
import { buildEvent, placeHold } from '../../../shared/domain/events/event-rules';
import { EventInputSchema, type RetailEvent } from '../../../shared/domain/events/event-schema';
import { EMPTY_FACTS } from '../../../shared/domain/matching/facts';
import { AppError, ConflictError, NotFoundError, PreconditionFailedError } from '../../../shared/domain/errors';

/**
 * The steps of an erasure on their own (the order they run in is erasure-use-cases.test.ts's),
 * over events and a profile in memory: what each step changes, what it leaves, and what a write
 * that came first, a hold placed since the check or a re-run after a crash meets. Against the
 * emulator in test/integration/app/erasure.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const SHOP = 'shop';
const ANA = 'profile-ana';
const BEN = 'profile-ben';

class Records implements EraseProfileStore {
  events = new Map<string, VersionedEvent>();
  profiles = new Map<string, ProfileDoc>();
  /** Stored idempotent responses, by event id. */
  responses = new Map<string, unknown>();
  /** Writes other than the erasure's, made just before its next write to that document lands. */
  raceOn = new Map<string, () => void>();
  outbox: Omit<OutboxEntry, 'where'>[] = [];
  /** Writes, in order: "event <id>", "plates <id> <people before> -> <after>", "unindex <id>", ... */
  steps: string[] = [];
  links = 3;
  foreignLinks = 2;
  private version = 1;

  readEvent = async (_retailerId: string, id: string) => structuredClone(this.events.get(id));
  replaceEvent = async (event: RetailEvent, etag: string) => {
    this.race(event.id);
    if (this.events.get(event.id)?.etag !== etag) throw new PreconditionFailedError();
    this.events.set(event.id, { ...this.events.get(event.id)!, event: structuredClone(event), etag: this.etag() });
    this.steps.push(`event ${event.id}`);
  };
  syncPlateIndex = async (_retailerId: string, eventId: string, before: RetailEvent | undefined, after: RetailEvent | undefined) =>
    void this.steps.push(`plates ${eventId} ${before?.people.length} -> ${after?.people.length}`);
  rewriteStoredResponses = async (_retailerId: string, eventIds: string[], rewrite: (body: unknown) => unknown) => {
    for (const id of eventIds) if (this.responses.has(id)) this.responses.set(id, rewrite(this.responses.get(id)));
    this.steps.push(`responses ${eventIds.join(',')}`);
  };
  readProfile = async (_retailerId: string, id: string) => structuredClone(this.profiles.get(id));
  replaceProfileIfUnchanged = async (current: ProfileDoc, next: ProfileDoc, audit?: Omit<OutboxEntry, 'where'>) => {
    this.race(current.id);
    if (this.profiles.get(current.id)?._etag !== current._etag) return false;
    this.profiles.set(current.id, { ...structuredClone(next), _etag: this.etag() });
    if (audit) this.outbox.push(audit);
    this.steps.push(`profile ${current.id}`);
    return true;
  };
  unindexProfile = async (_retailerId: string, profile: ProfileDoc) => void this.steps.push(`unindex ${profile.id} ${profile.match?.keys.length}`);
  deleteLinks = async (retailerId: string, of: { profileId: string }) => {
    this.steps.push(`links ${retailerId} ${of.profileId}`);
    return this.links;
  };
  deleteForeignLinksTo = async (retailerId: string, profileId: string) => {
    this.steps.push(`foreign links ${retailerId} ${profileId}`);
    return this.foreignLinks;
  };
  deleteAlertsNaming = async (retailerId: string, of: { profileId: string }) => {
    this.steps.push(`alerts ${retailerId} ${of.profileId}`);
    return 2;
  };
  deleteProfileDoc = async (_retailerId: string, id: string) => {
    this.profiles.delete(id);
    this.steps.push(`delete ${id}`);
  };

  private etag = () => `"${++this.version}"`;
  private race(id: string) {
    const write = this.raceOn.get(id);
    this.raceOn.delete(id);
    write?.();
  }

  /** An event of the shop with these profiles in it. */
  event(id: string, profileIds: string[], more: Partial<VersionedEvent> = {}, hold = false): RetailEvent {
    const input = EventInputSchema.parse({ storeId: 's1', occurredAt: '2026-11-01T10:00:00Z', type: 'shoplifting', prevented: false, people: profileIds.map((profileId, i) => ({ ref: `p${i}`, role: 'offender', profileId })) });
    const event = { ...buildEvent(id, SHOP, input, 'reporter', NOW), legalHold: hold ? placeHold('court order', 'lawyer', NOW) : null };
    this.events.set(id, { event, etag: this.etag(), purging: false, storeJurisdiction: 'NZ-AUK', ...more });
    return event;
  }

  /** A profile of the shop in these events, indexed under `keys` keys. */
  profile(id: string, eventIds: string[], keys = 2): ProfileDoc {
    const profile: ProfileDoc = {
      id,
      orgId: SHOP,
      docType: 'profile',
      eventIds,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      ...(keys ? { match: { facts: EMPTY_FACTS, keys: Array.from({ length: keys }, (_, i) => `k${i}`), stats: EMPTY_STATS, indexedEvents: eventIds }, harm: 4 } : {}),
      _etag: this.etag(),
    };
    this.profiles.set(id, profile);
    return structuredClone(profile);
  }
}

const world = () => {
  const records = new Records();
  return { records, ...profileErasureSteps(records) };
};
const people = (records: Records, id: string) => records.events.get(id)!.event.people.map((p) => p.profileId);
const entry = { key: `profile.erase@${ANA}`, draft: { actor: { sub: 'admin', org: SHOP, roles: [] }, action: 'profile.erase', target: { type: 'profile', id: ANA }, outcome: 'success' as const, requestId: 'r1' } };

describe('heldEvents: what a legal hold keeps from erasure', () => {
  it('names only the events under a hold that still hold the person: not one missing, one being purged, one the person left, nor one without a hold', async () => {
    const { records, heldEvents } = world();
    records.event('event-held', [ANA, BEN], {}, true);
    records.event('event-purging', [ANA], { purging: true }, true);
    records.event('event-left', [BEN], {}, true);
    records.event('event-free', [ANA]);
    const ana = records.profile(ANA, ['event-held', 'event-purging', 'event-left', 'event-free', 'event-missing']);
    expect(await heldEvents(SHOP, ana)).toEqual(['event-held']);
    expect(records.steps).toEqual([]);
  });
});

describe('markErasing (step 1)', () => {
  it('marks the profile with when and by whom, its audit entry in the same write, and answers the profile as stored', async () => {
    const { records, markErasing } = world();
    const ana = records.profile(ANA, []);
    const marked = await markErasing(ana, 'admin', NOW, entry);
    expect(marked.erasing).toEqual({ at: NOW.toISOString(), by: 'admin' });
    expect(marked._etag).toBe(records.profiles.get(ANA)!._etag);
    expect(marked._etag).not.toBe(ana._etag);
    expect(records.outbox).toEqual([entry]);
  });

  it('a profile already marked (a re-run) keeps its first mark, and nothing is written or entered again', async () => {
    const { records, markErasing } = world();
    const first = await markErasing(records.profile(ANA, []), 'admin', NOW, entry);
    const again = await markErasing(first, 'other-admin', new Date('2026-11-03T00:00:00Z'), entry);
    expect(again.erasing).toEqual({ at: NOW.toISOString(), by: 'admin' });
    expect(records.steps).toEqual([`profile ${ANA}`]);
    expect(records.outbox).toHaveLength(1);
  });

  it('a profile changed since it was read is read again and marked over the change, which stays', async () => {
    const { records, markErasing } = world();
    const ana = records.profile(ANA, ['event-0001']);
    records.raceOn.set(ANA, () => records.profiles.set(ANA, { ...records.profiles.get(ANA)!, eventIds: ['event-0001', 'event-0002'], _etag: '"other"' }));
    const marked = await markErasing(ana, 'admin', NOW, entry);
    expect(marked).toMatchObject({ eventIds: ['event-0001', 'event-0002'], erasing: { by: 'admin' } });
    expect(records.outbox).toHaveLength(1);
  });

  it('a profile marked by another run meanwhile keeps that run’s mark', async () => {
    const { records, markErasing } = world();
    const ana = records.profile(ANA, []);
    records.raceOn.set(ANA, () => records.profiles.set(ANA, { ...records.profiles.get(ANA)!, erasing: { at: 'earlier', by: 'first-admin' }, _etag: '"other"' }));
    expect((await markErasing(ana, 'admin', NOW, entry)).erasing).toEqual({ at: 'earlier', by: 'first-admin' });
    expect(records.outbox).toEqual([]);
  });

  it('a profile gone since it was read (erased by another run of the erasure) is a 404', async () => {
    const { records, markErasing } = world();
    const ana = records.profile(ANA, []);
    records.raceOn.set(ANA, () => records.profiles.delete(ANA));
    await expect(markErasing(ana, 'admin', NOW, entry)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.outbox).toEqual([]);
  });
});

describe('removeFromEvents (step 2)', () => {
  it('takes the person out of each event (the others stay) with the plate index, passes over events gone or being purged, and rewrites the stored responses', async () => {
    const { records, removeFromEvents } = world();
    records.event('event-both', [ANA, BEN]);
    records.event('event-alone', [ANA]);
    records.event('event-purging', [ANA], { purging: true });
    records.responses.set('event-both', { id: 'event-both', people: [{ profileId: ANA }, { profileId: BEN }] });
    const ana = records.profile(ANA, ['event-both', 'event-alone', 'event-purging', 'event-missing']);
    expect(await removeFromEvents(ana, 'admin', NOW)).toBe(2);
    expect(people(records, 'event-both')).toEqual([BEN]);
    expect(people(records, 'event-alone')).toEqual([]);
    expect(people(records, 'event-purging')).toEqual([ANA]);
    expect(records.events.get('event-alone')!.event).toMatchObject({ updatedAt: NOW.toISOString(), updatedBy: 'admin' });
    expect(records.responses.get('event-both')).toEqual({ id: 'event-both', people: [{ profileId: BEN }] });
    expect(records.steps).toEqual([
      'event event-both',
      'plates event-both 2 -> 1',
      'event event-alone',
      'plates event-alone 1 -> 0',
      'responses event-both,event-alone,event-purging,event-missing',
    ]);
  });

  it('an event the person already left (a re-run after a crash) is not counted or written, but its plate index is brought in line', async () => {
    const { records, removeFromEvents } = world();
    records.event('event-left', [BEN]);
    const ana = records.profile(ANA, ['event-left']);
    expect(await removeFromEvents(ana, 'admin', NOW)).toBe(0);
    expect(records.steps).toEqual(['plates event-left 1 -> 1', 'responses event-left']);
  });

  it('an event changed between its read and the write is read again, and the other change is kept', async () => {
    const { records, removeFromEvents } = world();
    records.event('event-both', [ANA, BEN]);
    records.raceOn.set('event-both', () => {
      const found = records.events.get('event-both')!;
      records.events.set('event-both', { ...found, event: { ...found.event, description: 'edited meanwhile' }, etag: '"other"' });
    });
    expect(await removeFromEvents(records.profile(ANA, ['event-both']), 'admin', NOW)).toBe(1);
    expect(records.events.get('event-both')!.event).toMatchObject({ description: 'edited meanwhile', people: [{ profileId: BEN }] });
  });

  it('a hold placed since the check stops it with 409 LEGAL_HOLD: events before stay done, the held one keeps the person, responses are not rewritten', async () => {
    const { records, removeFromEvents } = world();
    records.event('event-first', [ANA]);
    records.event('event-held', [ANA], {}, true);
    records.event('event-after', [ANA]);
    const ana = records.profile(ANA, ['event-first', 'event-held', 'event-after']);
    const error = await removeFromEvents(ana, 'admin', NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as AppError).code).toBe('LEGAL_HOLD');
    expect((error as AppError).message).toContain('event-held');
    expect(people(records, 'event-first')).toEqual([]);
    expect(people(records, 'event-held')).toEqual([ANA]);
    expect(people(records, 'event-after')).toEqual([ANA]);
    expect(records.steps).toEqual(['event event-first', 'plates event-first 1 -> 0']);
  });

  it('a held event the person already left does not stop it', async () => {
    const { records, removeFromEvents } = world();
    records.event('event-held', [BEN], {}, true);
    expect(await removeFromEvents(records.profile(ANA, ['event-held']), 'admin', NOW)).toBe(0);
  });
});

describe('removeKeys (step 3)', () => {
  it('takes the profile out of its keys, then drops its facts and harm, answering how many keys it had', async () => {
    const { records, removeKeys } = world();
    const ana = records.profile(ANA, [], 3);
    expect(await removeKeys(ana)).toBe(3);
    expect(records.steps).toEqual([`unindex ${ANA} 3`, `profile ${ANA}`]);
    const stored = records.profiles.get(ANA)!;
    expect(stored.match).toBeUndefined();
    expect(stored.harm).toBeUndefined();
    expect(stored.eventIds).toEqual([]);
  });

  it('a profile without keys (a re-run, or never indexed) answers 0 and changes nothing', async () => {
    const { records, removeKeys } = world();
    expect(await removeKeys(records.profile(ANA, [], 0))).toBe(0);
    expect(records.steps).toEqual([]);
  });

  it('a profile changed since it was read is read again; one whose keys went meanwhile answers 0', async () => {
    const { records, removeKeys } = world();
    const ana = records.profile(ANA, [], 2);
    records.raceOn.set(ANA, () => {
      const { match: _m, ...rest } = records.profiles.get(ANA)!;
      records.profiles.set(ANA, { ...rest, _etag: '"other"' });
    });
    expect(await removeKeys(ana)).toBe(0);
    expect(records.steps).toEqual([`unindex ${ANA} 2`]);
  });
});

describe('removeLinks and deleteProfile (steps 4 and 5)', () => {
  it('suggestions and decisions go in the retailer’s partition and in partners’, counted together, and the LPR alerts naming the person; then the profile document goes', async () => {
    const { records, removeLinks, deleteProfile } = world();
    const ana = records.profile(ANA, []);
    expect(await removeLinks(ana)).toBe(5);
    await deleteProfile(ana);
    expect(records.profiles.has(ANA)).toBe(false);
    expect(records.steps).toEqual([`links ${SHOP} ${ANA}`, `foreign links ${SHOP} ${ANA}`, `alerts ${SHOP} ${ANA}`, `delete ${ANA}`]);
  });
});
