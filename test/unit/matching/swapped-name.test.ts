import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { PRIOR_MODEL, swappedShare, swappedU, type MatchModel } from '../../../shared/domain/matching/model';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { scorePair } from '../../../shared/domain/matching/score';

const named = (given: string, family: string, extra: Partial<PersonFacts> = {}): PersonFacts => ({ ...EMPTY_FACTS, names: [{ given, family }], ...extra });
const ctx = { frequency: () => 0.004, imageMatching: false, people: 800 };
const nameWeight = (a: PersonFacts, b: PersonFacts, model: MatchModel = PRIOR_MODEL) => {
  const scored = scorePair(a, b, { ...ctx, model });
  return { level: scored.comparison.levels.name, weight: scored.reasons.find((r) => r.signal === 'name')!.weight };
};

describe('a name with given and family swapped weighs what the name written in order does, unless the mirrored name is a real one too', () => {
  it('Smith Michael against Michael Smith: the name in order\'s weight (the swap rate cancels)', () => {
    const inOrder = nameWeight(named('Michael', 'Smith'), named('Michael', 'Smith'));
    const swapped = nameWeight(named('Smith', 'Michael'), named('Michael', 'Smith'));
    expect(inOrder.level).toBe('full-exact');
    expect(swapped.level).toBe('swapped');
    // Taking the name's share alone as u, it weighed log2(0.5 / 0.03) ≈ 4 bits less than in order.
    expect(Math.abs(swapped.weight - inOrder.weight)).toBeLessThan(0.1);
  });

  it('James Lee against Lee James: both orders are real names, so strangers show it too, and it weighs less', () => {
    // Shares from the national tables (no retailer counts): Lee is a given name too, James a surname.
    const fromTables = { ...ctx, frequency: () => 0, model: PRIOR_MODEL };
    const weight = (a: PersonFacts, b: PersonFacts) => scorePair(a, b, fromTables);
    const inOrder = weight(named('James', 'Lee'), named('James', 'Lee'));
    const swapped = weight(named('Lee', 'James'), named('James', 'Lee'));
    expect(swapped.comparison.levels.name).toBe('swapped');
    const share = swappedShare(PRIOR_MODEL.signals.name);
    expect(swapped.comparison.mirror!).toBeGreaterThan(swapped.comparison.tf.name! * share);
    expect(swappedU(swapped.comparison.tf.name!, swapped.comparison.mirror, share)).toBe(swapped.comparison.mirror);
    expect(swapped.reasons.find((r) => r.signal === 'name')!.weight).toBeLessThan(inOrder.reasons.find((r) => r.signal === 'name')!.weight);
  });

  it('the swap rate is learned: swapped against in-order agreement among matches', () => {
    expect(swappedShare(PRIOR_MODEL.signals.name)).toBeCloseTo(0.03 / 0.5, 6);
    expect(swappedShare({ ...PRIOR_MODEL.signals.name, swapped: { m: 0.3, u: 1e-5 } })).toBeCloseTo(0.3 / 0.5, 6);
    // A model without the level (older documents): the prior's.
    expect(swappedShare({})).toBeCloseTo(0.03 / 0.5, 6);
  });

  it('estimation weighs it the same way: reports of one person written both ways are learned as matches', () => {
    // Eighty people, each reported twice with a phone kept, once in four with the name swapped.
    const profiles: { facts: PersonFacts }[] = [];
    const given = ['Aroha', 'Ben', 'Carys', 'Dmitri', 'Eli', 'Fatima', 'Grace', 'Hemi', 'Ines', 'Jonah'];
    const family = ['Ngata', 'Okafor', 'Petrov', 'Quinn', 'Rahman', 'Sato', 'Tane', 'Ulloa'];
    for (let i = 0; i < 80; i++) {
      const g = given[i % given.length]!;
      const f = family[Math.floor(i / given.length) % family.length]!;
      const phones = [`+6421${String(i).padStart(6, '0')}`];
      profiles.push({ facts: named(g, f, { phones, eventIds: [`a${i}`] }) });
      profiles.push({ facts: i % 4 === 0 ? named(f, g, { phones, eventIds: [`b${i}`] }) : named(g, f, { phones, eventIds: [`b${i}`] }) });
    }
    const model = estimateModel({ profiles, seed: 3 });
    const share = swappedShare(model.signals.name);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.8);
    const inOrder = nameWeight(named('Ben', 'Okafor'), named('Ben', 'Okafor'), model).weight;
    const swapped = nameWeight(named('Okafor', 'Ben'), named('Ben', 'Okafor'), model).weight;
    expect(Math.abs(swapped - inOrder)).toBeLessThan(1);
  });
});
