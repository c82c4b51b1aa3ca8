import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { PRIOR_MODEL, swappedShare, type MatchModel } from '../../../shared/domain/matching/model';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { scorePair } from '../../../shared/domain/matching/score';

const named = (given: string, family: string, extra: Partial<PersonFacts> = {}): PersonFacts => ({ ...EMPTY_FACTS, names: [{ given, family }], ...extra });
const ctx = { frequency: () => 0.004, imageMatching: false, people: 800 };
const nameWeight = (a: PersonFacts, b: PersonFacts, model: MatchModel = PRIOR_MODEL) => {
  const scored = scorePair(a, b, { ...ctx, model });
  return { level: scored.comparison.levels.name, weight: scored.reasons.find((r) => r.signal === 'name')!.weight };
};

describe('a name with given and family swapped weighs what the name written in order does', () => {
  it('Smith Michael against Michael Smith: within the share of agreeing names that are swapped', () => {
    const inOrder = nameWeight(named('Michael', 'Smith'), named('Michael', 'Smith'));
    const swapped = nameWeight(named('Smith', 'Michael'), named('Michael', 'Smith'));
    expect(inOrder.level).toBe('full-exact');
    expect(swapped.level).toBe('swapped');
    const { name } = PRIOR_MODEL.signals;
    // u = the name's share × the swapped share of agreeing names: the swap rate cancels, and the
    // level weighs log2((m exact + m fuzzy + m swapped) / share), a little more than in order.
    // Taking the name's share alone as u, it weighed log2(0.03 / 0.5) ≈ 4 bits less than in order.
    const agreeing = name['full-exact']!.m + name['full-fuzzy']!.m + name.swapped!.m;
    expect(swapped.weight - inOrder.weight).toBeCloseTo(Math.log2(agreeing / name['full-exact']!.m), 1);
  });

  it('a rarer name still weighs more swapped than a common one', () => {
    const common = nameWeight(named('Smith', 'Michael'), named('Michael', 'Smith'), PRIOR_MODEL);
    const rare = scorePair(named('Wharerau', 'Tamati'), named('Tamati', 'Wharerau'), { ...ctx, frequency: () => 0, model: PRIOR_MODEL });
    expect(rare.reasons.find((r) => r.signal === 'name')!.weight).toBeGreaterThan(common.weight);
  });

  it('the share is learned: more swaps among agreeing names, a larger u', () => {
    expect(swappedShare(PRIOR_MODEL.signals.name)).toBeCloseTo(0.03 / 0.73, 6);
    expect(swappedShare({ ...PRIOR_MODEL.signals.name, swapped: { m: 0.3, u: 1e-5 } })).toBeCloseTo(0.3 / 1.0, 6);
    expect(swappedShare({})).toBe(1);
  });

  it('estimation weighs it the same way: reports of one person written both ways are learned as matches', () => {
    // Forty people, each reported twice with a phone kept, once in four with the name swapped.
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
    expect(share).toBeLessThan(0.5);
    const inOrder = nameWeight(named('Ben', 'Okafor'), named('Ben', 'Okafor'), model).weight;
    const swapped = nameWeight(named('Okafor', 'Ben'), named('Ben', 'Okafor'), model).weight;
    expect(Math.abs(swapped - inOrder)).toBeLessThan(1);
  });
});
