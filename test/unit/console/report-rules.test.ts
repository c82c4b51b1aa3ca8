import { EVENT_TYPES as API_EVENT_TYPES, EventInputSchema } from '../../../shared/domain/events/event-schema';
import { checkReport, emptyPerson, emptyProduct, emptyReport, emptyVehicle, EVENT_TYPES, type ReportDraft } from '../../../console/src/report/report-rules';

/** The report form checks a draft before sending it only to say so early: by the API's rules, never its own. */
const NOW = new Date('2026-12-01T00:00:00Z');

function filled(): ReportDraft {
  return {
    ...emptyReport(),
    storeId: 'akl-042',
    occurredAt: '2026-11-20T14:05',
    description: 'Concealed razor blades in a bag.',
    products: [{ ...emptyProduct(), name: 'Razor blades 8pk', quantity: '3', unitValue: '24.99' }],
    people: [{ ...emptyPerson(), given: 'Jon', family: 'Smith', aliases: 'Smithy, JS', ageMin: '25', ageMax: '35', phone: '+64 21 123 4567', features: 'snake tattoo\n\nlimp', clothing: 'grey hoodie' }],
    vehicles: [{ ...emptyVehicle(), plate: 'abc 123', colour: 'silver' }],
  };
}

const apiPaths = (body: unknown): string[] => {
  const parsed = EventInputSchema.safeParse(body);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('console: the report rules', () => {
  it('lists every event type the API knows, and only those', () => {
    expect(Object.keys(EVENT_TYPES).sort()).toEqual([...API_EVENT_TYPES].sort());
  });

  it('turns a filled form into a body the API accepts', () => {
    const checked = checkReport(filled(), NOW);
    expect('input' in checked && apiPaths(checked.input)).toEqual([]);
    expect('input' in checked && checked.input.people?.[0]).toMatchObject({ phone: '+64211234567', name: { aliases: ['Smithy', 'JS'] }, distinguishingFeatures: ['snake tattoo', 'limp'] });
  });

  // Each: a change to the form the console refuses at a path, and the same value in the API's body, refused at that path.
  it.each<[string, (d: ReportDraft) => void, (b: Record<string, any>) => void, string]>([
    ['a plate of punctuation', (d) => (d.vehicles[0]!.plate = '!!'), (b) => (b.vehicles[0].plate = '!!'), 'vehicles.0.plate'],
    ['a plate too long once normalised', (d) => (d.vehicles[0]!.plate = 'ABCDEFGHIJKLM'), (b) => (b.vehicles[0].plate = 'ABCDEFGHIJKLM'), 'vehicles.0.plate'],
    ['a phone not in E.164', (d) => (d.people[0]!.phone = '021 123 4567'), (b) => (b.people[0].phone = '0211234567'), 'people.0.phone'],
    ['an age range upside down', (d) => ((d.people[0]!.ageMin = '40'), (d.people[0]!.ageMax = '30')), (b) => (b.people[0].ageRange = { min: 40, max: 30 }), 'people.0.ageRange.min'],
    ['a height out of range', (d) => (d.people[0]!.heightCm = '20'), (b) => (b.people[0].heightCm = 20), 'people.0.heightCm'],
    ['a quantity of nought', (d) => (d.products[0]!.quantity = '0'), (b) => (b.products[0].quantity = 0), 'products.0.quantity'],
    ['a description too long', (d) => (d.description = 'x'.repeat(2001)), (b) => (b.description = 'x'.repeat(2001)), 'description'],
    ['a police reference with spaces', (d) => (d.policeReference = 'P 123'), (b) => (b.policeReference = 'P 123'), 'policeReference'],
  ])('refuses %s where the API does', (_, changeDraft, changeBody, path) => {
    const draft = filled();
    changeDraft(draft);
    const checked = checkReport(draft, NOW);
    expect('errors' in checked && Object.keys(checked.errors)).toContain(path);
    const valid = checkReport(filled(), NOW);
    const body = structuredClone('input' in valid ? valid.input : {}) as Record<string, any>;
    changeBody(body);
    expect(apiPaths(body)).toContain(path);
  });

  it('refuses a time in the future, beyond the API’s minute of skew', () => {
    const checked = checkReport({ ...filled(), occurredAt: '2026-12-02T12:00' }, NOW);
    expect('errors' in checked && checked.errors.occurredAt).toBe('This time is in the future.');
  });
});
