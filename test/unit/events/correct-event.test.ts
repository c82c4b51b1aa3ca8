import { Leases } from '../support/leases';
import { withProfileLeases } from '../../../shared/matching/profile-leases';
import { ifMatchOf } from '../../../shared/http/etag';
import { eventCorrections, type EventCorrectionStore } from '../../../shared/events/correct-event';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import { assertCanSeeOwnEvent, buildEvent, checkEventInput, freeTextFields, newProfileId, profileIdsOf } from '../../../shared/domain/events/event-rules';
import { assertNoSensitiveText } from '../../../shared/domain/screening';
import { EventInputSchema, type EventInput, type RetailEvent } from '../../../shared/domain/events/event-schema';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import type { Store } from '../../../shared/domain/organisation';
import { ForbiddenError, NotFoundError, PreconditionFailedError, PreconditionRequiredError, UnprocessableError, ValidationError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Correcting an event over events and profiles in memory: only over the version the caller read
 * (If-Match, 428 without one), screened and validated as a new event, its new profiles joined and
 * the event marked for matching before it is written with its entry, the profiles it no longer
 * names left after, and what follows every write last. The steps themselves (profiles, plates,
 * the outbox) run against the emulator in test/integration/app/events*.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
/** A profile of another event, and an id no profile has. */
const KNOWN = newProfileId('e0', 'a');
const NOBODY = newProfileId('e0', 'z');

class Records implements EventCorrectionStore {
  events = new Map<string, VersionedEvent>();
  profiles = new Map<string, string[]>();
  stores = new Set(['s1', 's2']);
  steps: string[] = [];
  entries: OutboxEntry[] = [];
  private version = 1;
  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : undefined));

  /** As authorizeFor: a refusal on an event that is not the caller's organisation's is 404, never 403. */
  authorize = async (caller: Caller, id: string) => {
    try {
      await this.table.check(caller, 'event.update', id);
    } catch (error) {
      if (this.events.get(id)?.event.retailerId !== caller.principal.orgId) throw new NotFoundError();
      throw error;
    }
    return caller.principal.orgId!;
  };
  /** As the event steps: the retailer's own event, and a Reporter's only when they reported it. */
  visibleEvent = async (caller: Caller, retailerId: string, id: string) => {
    const found = this.events.get(id);
    assertCanSeeOwnEvent(caller.principal, found && found.event.retailerId === retailerId && !found.purging ? found.event : undefined);
    return structuredClone(found!);
  };
  /** As the event steps: the domain's checks, a store of the retailer, the free text screened. */
  validateForRetailer = async (caller: Caller, _retailerId: string, input: EventInput, now: Date) => {
    checkEventInput(input, caller.principal, now);
    if (!this.stores.has(input.storeId)) throw new ValidationError([{ path: 'storeId', message: 'No such store.' }], 'Unknown store.', 'UNKNOWN_STORE');
    assertNoSensitiveText(freeTextFields(input));
    return { id: input.storeId, jurisdiction: 'NZ-AUK' } as Store;
  };
  checkGivenProfiles = async (_retailerId: string, input: EventInput, before: RetailEvent) => {
    for (const [i, p] of (input.people ?? []).entries()) {
      if (p.profileId && !profileIdsOf(before).includes(p.profileId) && !this.profiles.has(p.profileId)) {
        throw new ValidationError([{ path: `people.${i}.profileId`, message: 'No such profile.' }], 'Unknown profile.', 'UNKNOWN_PROFILE');
      }
    }
  };
  joinProfiles = async (event: RetailEvent) => {
    this.steps.push('join');
    for (const id of profileIdsOf(event)) this.profiles.set(id, [...new Set([...(this.profiles.get(id) ?? []), event.id])]);
  };
  markMatchPending = async (_retailerId: string, eventId: string) => void this.steps.push(`pending ${eventId}`);
  /** A correction's note of profiles to leave, as the repository keeps it; its version. */
  note?: { profileIds: string[]; etag: string };
  private notes = 0;
  unfinishedLeaving = async () => this.note?.profileIds ?? [];
  noteLeaving = async (_retailerId: string, _eventId: string, profileIds: readonly string[]) => {
    this.steps.push(`note ${profileIds.join(',')}`);
    this.note = { profileIds: [...profileIds], etag: `n${(this.notes += 1)}` };
    return this.note.etag;
  };
  leavingDone = async (_retailerId: string, _eventId: string, etag: string) => {
    this.steps.push('noted done');
    if (this.note?.etag === etag) this.note = undefined;
  };
  leases = new Leases();
  exclusively = <T>(retailerId: string, profileIds: readonly string[], holder: string, work: () => Promise<T>) => withProfileLeases(this.leases, retailerId, profileIds, holder, work, NOW);
  /** As the batch: over the version read only (a deleted event is 412 too), the purging mark cleared. */
  replaceEvent = async (event: RetailEvent, etag: string, storeJurisdiction: string, audit: OutboxEntry) => {
    const current = this.events.get(event.id);
    if (!current || current.etag !== etag) throw new PreconditionFailedError();
    this.steps.push('replace');
    this.entries.push(audit);
    const next = `"${++this.version}"`;
    this.events.set(event.id, { ...current, event: structuredClone(event), etag: next, storeJurisdiction, purging: false });
    return next;
  };
  /** As updateMembership: a profile left with no event goes. */
  leaveProfiles = async (_retailerId: string, eventId: string, profileIds: string[]) => {
    this.steps.push(`leave ${eventId} ${profileIds.join(',')}`);
    for (const id of profileIds) {
      const left = (this.profiles.get(id) ?? []).filter((e) => e !== eventId);
      if (left.length) this.profiles.set(id, left);
      else this.profiles.delete(id);
    }
  };
  /** Records which version the plates are brought from: the one read, for a correction (not none, as for a new event). */
  afterEventWritten = async (_event: RetailEvent, audit: { entry: OutboxEntry; fresh: boolean }, plates: { before: RetailEvent }) =>
    void this.steps.push(`after ${audit.fresh ? 'fresh' : 'retry'} from ${plates.before?.updatedAt ?? 'nothing'}`);
}

function world() {
  const records = new Records();
  const input = EventInputSchema.parse({
    storeId: 's1',
    occurredAt: '2026-11-01T10:00:00Z',
    type: 'shoplifting',
    prevented: false,
    description: 'Took two drills',
    people: [
      { ref: 'a', role: 'offender', name: { given: 'Tane', family: 'Walker' } },
      { ref: 'b', role: 'offender' },
    ],
  });
  const event = buildEvent('e1', 'shop', input, 'reporter@shop', new Date('2026-11-01T11:00:00Z'));
  records.events.set('e1', { event, etag: '"1"', purging: false, storeJurisdiction: 'NZ-AUK' });
  for (const id of profileIdsOf(event)) records.profiles.set(id, ['e1']);
  records.profiles.set(KNOWN, ['e0']);
  return { records, event, patchEvent: eventCorrections(records) };
}
const investigator = callerAs('shop', 'Investigator');

describe('correcting an event over records in memory', () => {
  it('applies the patch over the version read: new profiles joined and the event marked before the write, the people it dropped left after, then what follows', async () => {
    const { records, event, patchEvent } = world();
    const [a, b] = profileIdsOf(event);
    const out = await patchEvent(investigator, 'e1', { description: 'Took three drills', people: [{ ref: 'a', role: 'offender', name: { given: 'Tane', family: 'Walker' }, profileId: a }, { ref: 'c', role: 'offender', profileId: KNOWN }] }, ifMatchOf('"1"'), NOW);
    expect(out.etag).toBe('"2"');
    expect(out.event).toMatchObject({ description: 'Took three drills', updatedBy: investigator.principal.sub, createdBy: 'reporter@shop' });
    expect(profileIdsOf(out.event)).toEqual([a, KNOWN]);
    // The profile left is noted before the write (a crash before the leaving leaves it to the sweep), under the leases of the profiles it changes.
    expect(records.steps).toEqual(['join', 'pending e1', `note ${b}`, 'replace', `leave e1 ${b}`, 'noted done', `after fresh from ${event.updatedAt}`]);
    expect(records.note).toBeUndefined();
    const touched = [KNOWN, b!].sort();
    expect(records.leases.log).toEqual([...touched.map((id) => `take ${id}`), ...touched.map((id) => `release ${id}`)]);
    expect([records.profiles.get(KNOWN), records.profiles.has(b!)]).toEqual([['e0', 'e1'], false]);
    expect(records.entries[0]!.draft).toMatchObject({ action: 'event.update', target: { type: 'event', id: 'e1' }, details: { fields: ['description', 'people'] } });
  });

  it('a patch that changes nothing writes nothing and answers the version read (the fifth audit saw {} sent as a correction to subscribers)', async () => {
    const { records, event, patchEvent } = world();
    for (const patch of [{}, { description: 'Took two drills' }, { prevented: false }]) {
      const out = await patchEvent(investigator, 'e1', patch, ifMatchOf('"1"'), NOW);
      expect(out).toEqual({ event, etag: '"1"' });
    }
    expect(records.steps).toEqual([]);
    expect(records.entries).toEqual([]);
  });

  it('a profile an earlier correction never left (it stopped before its leaving) is left by the next one', async () => {
    const { records, patchEvent } = world();
    records.note = { profileIds: ['stale-profile'], etag: 'n0' };
    await patchEvent(investigator, 'e1', { description: 'Took three drills' }, ifMatchOf('"1"'), NOW);
    expect(records.steps).toEqual(['join', 'pending e1', 'note stale-profile', 'replace', 'leave e1 stale-profile', 'noted done', expect.stringMatching(/^after/)]);
    expect(records.note).toBeUndefined();
  });

  it('a person cannot leave a profile that a merge, split or erasure holds: 409 PROFILE_BUSY, nothing written', async () => {
    const { records, event, patchEvent } = world();
    const [a, b] = profileIdsOf(event);
    records.leases.held.set(b!, { holder: 'merge:l1', until: NOW.getTime() + 60_000 });
    const patch = { people: [{ ref: 'a', role: 'offender', name: { given: 'Tane', family: 'Walker' }, profileId: a }] };
    await expect(patchEvent(investigator, 'e1', patch, ifMatchOf('"1"'), NOW)).rejects.toMatchObject({ code: 'PROFILE_BUSY' });
    expect(records.steps).toEqual([]);
  });

  it('without If-Match is 428, over another version 412, and nothing is written', async () => {
    const { records, patchEvent } = world();
    await expect(patchEvent(investigator, 'e1', { description: 'x' }, null, NOW)).rejects.toBeInstanceOf(PreconditionRequiredError);
    await expect(patchEvent(investigator, 'e1', { description: 'x' }, ifMatchOf('"0"'), NOW)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.steps).toEqual([]);
  });

  it('a version that moved between the read and the write is refused (412) after the profiles were joined, which a later correction finishes', async () => {
    const { records, patchEvent } = world();
    const read = records.visibleEvent;
    records.visibleEvent = async (caller, retailerId, id) => {
      const found = await read(caller, retailerId, id);
      records.events.set(id, { ...records.events.get(id)!, etag: '"9"' });
      return found;
    };
    await expect(patchEvent(investigator, 'e1', { description: 'x' }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(records.steps).toEqual(['join', 'pending e1']);
    expect(records.entries).toEqual([]);
  });

  it('screened and validated as a new event: sensitive text 422, an unknown store or profile 400, a type error 400, nothing written', async () => {
    const { records, patchEvent } = world();
    await expect(patchEvent(investigator, 'e1', { description: 'looked Indian, about 30' }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(UnprocessableError);
    await expect(patchEvent(investigator, 'e1', { storeId: 'elsewhere' }, ifMatchOf('"1"'), NOW)).rejects.toMatchObject({ code: 'UNKNOWN_STORE' });
    await expect(patchEvent(investigator, 'e1', { people: [{ ref: 'z', role: 'offender', profileId: NOBODY }] }, ifMatchOf('"1"'), NOW)).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE' });
    await expect(patchEvent(investigator, 'e1', { occurredAt: 42 }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(ValidationError);
    // A sensitive field is refused by name, even empty.
    await expect(patchEvent(investigator, 'e1', { ethnicity: null }, ifMatchOf('"1"'), NOW)).rejects.toMatchObject({ code: 'SENSITIVE_FIELD' });
    expect(records.steps).toEqual([]);
  });

  it("asks the one table; an event outside a Reporter's stores, another retailer's, or one being purged is 404", async () => {
    const { records, patchEvent } = world();
    await expect(patchEvent(callerAs('shop', 'RetailerAdmin'), 'e1', { description: 'x' }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(ForbiddenError);
    const otherStore = callerAs('shop', 'Reporter');
    otherStore.principal.stores = ['s2'];
    await expect(patchEvent(otherStore, 'e1', { description: 'x' }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(patchEvent(callerAs('other', 'Investigator'), 'e1', { description: 'x' }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(NotFoundError);
    records.events.get('e1')!.purging = true;
    await expect(patchEvent(investigator, 'e1', { description: 'x' }, ifMatchOf('"1"'), NOW)).rejects.toBeInstanceOf(NotFoundError);
    expect(records.steps).toEqual([]);
  });
});
