import { evidenceCeiling, type Mention } from '../../../eval/evaluate';

/** The evidence ceiling links two reports of one person only through a full name, DOB, phone or plate they share. */
const mention = (id: string, truthId: string, person: Mention['person'], plate?: string): Mention => ({
  id,
  truthId,
  event: { id: `e-${id}`, storeId: 's1', occurredAt: '2026-11-01T10:00:00Z', type: 'theft', ...(plate ? { vehicles: [{ plate }] } : {}) },
  person,
});

describe('evidenceCeiling: the recall a judge reaches on identifying values alone', () => {
  it('links a shared DOB, a shared full name and a shared plate, and so reaches every pair of the person', () => {
    const ms = [
      mention('a', 'p1', { name: { given: 'Tane', family: 'Walker' } }),
      mention('b', 'p1', { name: { given: 'Tane', family: 'Walker' }, dateOfBirth: '1990-04-12' }),
      mention('c', 'p1', { dateOfBirth: '1990-04-12' }, 'ABC123'),
      mention('d', 'p1', {}, 'ABC123'),
    ];
    expect(evidenceCeiling(ms)).toBe(1);
  });

  it('does not link on a surname, a feature or nothing at all', () => {
    const ms = [
      mention('a', 'p1', { name: { given: 'Tane', family: 'Walker' } }),
      mention('b', 'p1', { name: { given: 'Mere', family: 'Walker' } }),
      mention('c', 'p1', { distinguishingFeatures: ['snake tattoo on left forearm'] }),
      mention('d', 'p1', { distinguishingFeatures: ['snake tattoo on left forearm'] }),
    ];
    expect(evidenceCeiling(ms)).toBe(0);
  });
});
