import { eventCreation, type EventCreationStore } from '../../../shared/events/create-event';
import type { VersionedEvent } from '../../../shared/events/event-repository';
import type { ProfileDoc } from '../../../shared/events/profile-repository';
import { checkEventInput, freeTextFields, newProfileId, profileIdsOf, unknownProfile } from '../../../shared/domain/events/event-rules';
import { EventInputSchema, type EventInput, type RetailEvent } from '../../../shared/domain/events/event-schema';
import { assertNoSensitiveText } from '../../../shared/domain/screening';
import type { OutboxEntry } from '../../../shared/audit/audit-outbox-repository';
import type { Caller } from '../../../shared/audit/audited-authorize';
import type { Action } from '../../../shared/domain/authorization';
import type { Store } from '../../../shared/domain/organisation';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError, ValidationError } from '../../../shared/domain/errors';
import { TableAuthorizer } from '../support/table-authorize';
import { callerAs } from '../support/caller';

/**
 * Reporting an event over events, profiles and an outbox in memory: written at once where the
 * batch takes it, one write at a time where it does not (marked for matching, profiles joined and
 * the entry in the outbox before the event), and a retry of the same id (an Idempotency-Key's)
 * that finds the event written finishing what the first attempt left, never a second copy. The
 * batch, the shards and the outbox run against the emulator in test/integration/app/events*.test.ts,
 * idempotency.test.ts and store-faults.test.ts.
 */
const NOW = new Date('2026-11-02T12:00:00Z');
const KNOWN = newProfileId('e0', 'a');

class Records implements EventCreationStore {
  events = new Map<string, VersionedEvent>();
  profiles = new Map<string, string[]>([[KNOWN, ['e0']]]);
  outbox = new Map<string, OutboxEntry>();
  steps: string[] = [];
  /** The batch is refused (another shard, a fault): the one-by-one path writes instead. */
  batchRefused = false;
  /** Another attempt writes the event between this attempt's read and its create. */
  raceOnInsert = false;
  table = new TableAuthorizer((org) => (org === 'shop' ? 'retailer' : undefined));

  /** As authorizeFor: on an id that should exist and is not the caller's organisation's, a refusal is 404; on a new id, the refusal itself. */
  authorize = async (caller: Caller, action: Action, targetId: string, existing: boolean) => {
    try {
      await this.table.check(caller, action, targetId);
    } catch (error) {
      if (existing && !this.events.has(targetId)) throw new NotFoundError();
      throw error;
    }
    return caller.principal.orgId!;
  };
  /** As the event steps: the domain's checks, a store of the retailer, the free text screened. */
  validateForRetailer = async (caller: Caller, _retailerId: string, input: EventInput, now: Date) => {
    checkEventInput(input, caller.principal, now);
    if (input.storeId !== 's1') throw new ValidationError([{ path: 'storeId', message: 'No such store.' }], 'Unknown store.', 'UNKNOWN_STORE');
    assertNoSensitiveText(freeTextFields(input));
    return { id: input.storeId, jurisdiction: 'NZ-AUK' } as Store;
  };
  checkGivenProfiles = async (_retailerId: string, input: EventInput) => {
    const found = new Map<string, ProfileDoc>();
    for (const [i, p] of (input.people ?? []).entries()) {
      if (!p.profileId) continue;
      if (!this.profiles.has(p.profileId)) throw new ValidationError([{ path: `people.${i}.profileId`, message: 'No such profile.' }], 'Unknown profile.', 'UNKNOWN_PROFILE');
      found.set(p.profileId, { id: p.profileId } as ProfileDoc);
    }
    return found;
  };
  private store(event: RetailEvent, jurisdiction: string): string {
    this.events.set(event.id, { event: structuredClone(event), etag: '"1"', purging: false, storeJurisdiction: jurisdiction });
    for (const id of profileIdsOf(event)) this.profiles.set(id, [...new Set([...(this.profiles.get(id) ?? []), event.id])]);
    return '"1"';
  }
  /** As the batch: all or nothing, refused on a taken id. */
  writeNewEventAtOnce = async (event: RetailEvent, jurisdiction: string, _given: ReadonlyMap<string, ProfileDoc>, _now: Date, audit: OutboxEntry) => {
    if (this.batchRefused || this.events.has(event.id)) return undefined;
    this.steps.push('batch');
    this.outbox.set(audit.key, audit);
    return this.store(event, jurisdiction);
  };
  readEvent = (_retailerId: string, id: string) => Promise.resolve(structuredClone(this.events.get(id)));
  markMatchPending = async (_retailerId: string, eventId: string) => void this.steps.push(`pending ${eventId}`);
  joinProfiles = async (event: RetailEvent) => {
    this.steps.push('join');
    for (const id of profileIdsOf(event)) this.profiles.set(id, [...new Set([...(this.profiles.get(id) ?? []), event.id])]);
  };
  writeAuditOutbox = async (_retailerId: string, entry: OutboxEntry) => {
    this.steps.push('outbox');
    this.outbox.set(entry.key, entry);
  };
  insertEvent = async (event: RetailEvent, jurisdiction: string) => {
    if (this.raceOnInsert) {
      this.raceOnInsert = false;
      this.store(event, jurisdiction);
    }
    if (this.events.has(event.id)) throw new ConflictError('EVENT_EXISTS', `Event ${event.id} already exists.`);
    this.steps.push('insert');
    return this.store(event, jurisdiction);
  };
  settleAudit = async (_retailerId: string, key: string) => {
    this.steps.push(`settle ${this.outbox.has(key) ? key : 'nothing'}`);
    this.outbox.delete(key);
  };
  afterEventWritten = async (event: RetailEvent, audit: { entry: OutboxEntry; fresh: boolean }, plates: { before: undefined }) => {
    this.steps.push(`after ${event.id} ${audit.fresh ? 'fresh' : 'retry'}${plates.before === undefined ? ' new' : ''}`);
    this.outbox.delete(audit.entry.key);
  };
}

const reporter = callerAs('shop', 'Reporter');
const input = (more: Record<string, unknown> = {}) =>
  EventInputSchema.parse({ storeId: 's1', occurredAt: '2026-11-01T10:00:00Z', type: 'shoplifting', prevented: false, description: 'Took two drills', people: [{ ref: 'a', role: 'offender', name: { given: 'Tane', family: 'Walker' } }, { ref: 'b', role: 'offender', profileId: KNOWN }], ...more });

function world() {
  const records = new Records();
  return { records, ...eventCreation(records) };
}

describe('reporting an event over records in memory', () => {
  it('at once: the batch, then what follows a new event (entry, plates, matching)', async () => {
    const { records, createEvent } = world();
    const { event, etag } = await createEvent(reporter, input(), 'e1', NOW);
    expect([event.id, etag, event.createdBy]).toEqual(['e1', '"1"', reporter.principal.sub]);
    expect(records.steps).toEqual(['batch', 'after e1 fresh new']);
    expect(records.profiles.get(KNOWN)).toEqual(['e0', 'e1']);
    expect(records.profiles.get(newProfileId('e1', 'a'))).toEqual(['e1']);
    expect(records.outbox.size).toBe(0);
  });

  it('one at a time when the batch is refused: profiles joined, marked and the entry in the outbox before the event, then what follows', async () => {
    const { records, createEvent } = world();
    records.batchRefused = true;
    await createEvent(reporter, input(), 'e1', NOW);
    expect(records.steps).toEqual(['join', 'pending e1', 'outbox', 'insert', 'after e1 fresh new']);
    expect(records.events.get('e1')!.storeJurisdiction).toBe('NZ-AUK');
  });

  it('one at a time, a profile the caller gave that went since it was checked (merged away) refuses the report before anything is marked or written', async () => {
    const { records, createEvent } = world();
    records.batchRefused = true;
    records.joinProfiles = async (event: RetailEvent) => {
      records.steps.push('join');
      throw unknownProfile(event.people, event.people[0]!.profileId);
    };
    await expect(createEvent(reporter, input(), 'e1', NOW)).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE' });
    expect([records.steps, records.events.size, records.outbox.size]).toEqual([['join'], 0, 0]);
  });

  it("a retry after the first attempt stopped once the event was written finishes that attempt's entry, by the same key", async () => {
    const { records, createEvent } = world();
    records.batchRefused = true;
    const after = records.afterEventWritten;
    records.afterEventWritten = () => Promise.reject(new Error('stopped'));
    await expect(createEvent(reporter, input(), 'e1', NOW)).rejects.toThrow('stopped');
    expect([...records.outbox.keys()]).toEqual(['event.create@e1']);
    records.afterEventWritten = after;
    records.steps = [];
    await createEvent(reporter, input(), 'e1', NOW);
    expect(records.steps).toEqual(['after e1 retry new']);
    expect(records.outbox.size).toBe(0);
  });

  it("a retry of the same id that finds the event written answers with it and finishes the first attempt's entry, writing nothing again", async () => {
    const { records, createEvent } = world();
    const first = await createEvent(reporter, input(), 'e1', NOW);
    records.steps = [];
    const again = await createEvent(reporter, input({ description: 'A retry with another body' }), 'e1', NOW);
    expect(again).toEqual(first);
    expect(records.steps).toEqual(['after e1 retry new']);
  });

  it('a retry whose first attempt wrote the event, naming a profile merged away since, answers with the event as written (not 400, which would free the key for a second copy)', async () => {
    const { records, createEvent } = world();
    const known = newProfileId('e0', 'k');
    records.profiles.set(known, ['e0']);
    const asked = input({ people: [{ ref: 'k', role: 'offender', profileId: known }] });
    const first = await createEvent(reporter, asked, 'e1', NOW);
    records.profiles.delete(known);
    records.steps = [];
    expect(await createEvent(reporter, asked, 'e1', NOW)).toEqual(first);
    expect(records.steps).toEqual(['after e1 retry new']);
    // A new report naming it is refused.
    await expect(createEvent(reporter, asked, 'e2', NOW)).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE' });
  });

  it('a retry that loses the race to create answers with the event the other attempt wrote; one being purged only settles its entry', async () => {
    const { records, createEvent } = world();
    records.batchRefused = true;
    records.raceOnInsert = true;
    const raced = await createEvent(reporter, input(), 'e1', NOW);
    expect(raced.event.id).toBe('e1');
    expect(records.steps).toEqual(['join', 'pending e1', 'outbox', 'after e1 retry new']);
    records.events.get('e1')!.purging = true;
    records.steps = [];
    await createEvent(reporter, input(), 'e1', NOW);
    expect(records.steps).toEqual(['settle nothing']);
  });

  it('validated and screened before anything is written: sensitive text 422, an unknown store or profile 400, a future time 400', async () => {
    const { records, createEvent } = world();
    await expect(createEvent(reporter, input({ description: 'looked Indian, about 30' }), 'e1', NOW)).rejects.toBeInstanceOf(UnprocessableError);
    await expect(createEvent(reporter, input({ storeId: 's9' }), 'e1', NOW)).rejects.toMatchObject({ code: 'UNKNOWN_STORE' });
    await expect(createEvent(reporter, input({ people: [{ ref: 'z', role: 'offender', profileId: newProfileId('e0', 'z') }] }), 'e1', NOW)).rejects.toMatchObject({ code: 'UNKNOWN_PROFILE' });
    await expect(createEvent(reporter, input({ occurredAt: '2027-01-01T00:00:00Z' }), 'e1', NOW)).rejects.toBeInstanceOf(ValidationError);
    expect([records.steps, records.events.size]).toEqual([[], 0]);
  });

  it('asks the one table: the police and a compliance officer do not report', async () => {
    const { records, createEvent } = world();
    await expect(createEvent(callerAs('shop', 'Compliance'), input(), 'e1', NOW)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createEvent(callerAs('police', 'PoliceOfficer'), input(), 'e1', NOW)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.table.asked).toEqual(['event.create e1', 'event.create e1']);
    // A refusal on a new id is the refusal itself, never 404 (nothing exists to hide).
    await expect(createEvent(callerAs('shop', 'Compliance'), input(), 'e2', NOW)).rejects.toBeInstanceOf(ForbiddenError);
    expect(records.events.size).toBe(0);
  });
});
