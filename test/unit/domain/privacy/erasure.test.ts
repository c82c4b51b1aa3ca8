import type { RetailEvent } from '../../../../shared/domain/events/event-schema';
import { ERASURE_STEPS, responseWithoutPerson, withoutPerson } from '../../../../shared/domain/privacy/erasure';

const event = {
  id: 'evt-00000001',
  retailerId: 'ret-a',
  storeId: 'akl-042',
  occurredAt: '2026-11-20T14:05:00Z',
  type: 'shoplifting',
  prevented: false,
  people: [
    { ref: 'p1', role: 'offender', profileId: 'prof-aaaaaaaa', name: { given: 'Jon', family: 'Smith' } },
    { ref: 'p2', role: 'accomplice', profileId: 'prof-bbbbbbbb', name: { given: 'Mere', family: 'Hohepa' } },
  ],
  vehicles: [{ plate: 'abc 123', normalisedPlate: 'ABC123' }],
  sensitive: false,
  policeSharing: { mode: 'default', excludeAgencies: [] },
  legalHold: null,
  createdAt: '2026-11-20T15:00:00Z',
  createdBy: 'rep-1',
  updatedAt: '2026-11-20T15:00:00Z',
  updatedBy: 'rep-1',
} as RetailEvent;

describe('withoutPerson', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  it('takes out only that person; vehicles, other people and the rest stay', () => {
    const next = withoutPerson(event, 'prof-aaaaaaaa', 'admin-1', now)!;
    expect(next.people.map((p) => p.ref)).toEqual(['p2']);
    expect(next.vehicles).toEqual(event.vehicles);
    expect(next).toMatchObject({ id: event.id, createdAt: event.createdAt, updatedAt: now.toISOString(), updatedBy: 'admin-1' });
  });
  it('is undefined when the person is not in the event (nothing to write)', () => {
    expect(withoutPerson(event, 'prof-cccccccc', 'admin-1', now)).toBeUndefined();
  });
});

describe('responseWithoutPerson', () => {
  it('rewrites a stored 201 body; leaves anything else as it is', () => {
    expect((responseWithoutPerson(event, 'prof-bbbbbbbb') as RetailEvent).people.map((p) => p.ref)).toEqual(['p1']);
    expect(responseWithoutPerson({ code: 'X' }, 'prof-bbbbbbbb')).toEqual({ code: 'X' });
    expect(responseWithoutPerson(null, 'prof-bbbbbbbb')).toBeNull();
  });
});

it('the steps run in the crash-safe order: marked first, deleted last', () => {
  expect(ERASURE_STEPS[0]).toBe('marked');
  expect(ERASURE_STEPS.at(-1)).toBe('deleted');
});
