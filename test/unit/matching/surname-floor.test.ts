import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { PRIOR_MODEL, type MatchModel } from '../../../shared/domain/matching/model';
import { scorePair } from '../../../shared/domain/matching/score';

const named = (given: string, family: string): PersonFacts => ({ ...EMPTY_FACTS, names: [{ given, family }] });

describe('one surname and two given names weigh at most what the surname is worth', () => {
  const ctx = { frequency: () => 0, imageMatching: false, people: 800 };
  // A model learned where people use aliases: the level's own u far below any surname's share.
  const aliases: MatchModel = {
    ...PRIOR_MODEL,
    signals: { ...PRIOR_MODEL.signals, name: { ...PRIOR_MODEL.signals.name, 'family-given-differs': { m: 0.3, u: 0.00002 } } },
  };
  const nameWeight = (a: PersonFacts, b: PersonFacts, model: MatchModel) => {
    const scored = scorePair(a, b, { ...ctx, model });
    return { level: scored.comparison.levels.name, weight: scored.reasons.find((r) => r.signal === 'name')!.weight };
  };

  it('Maria Garcia and Arturo Garcia: the level, and no more bits than the surname is rare', () => {
    const r = nameWeight(named('Maria', 'Garcia'), named('Arturo', 'Garcia'), aliases);
    expect(r.level).toBe('family-given-differs');
    // Without the floor this was log2(0.3 / 0.00002) ≈ 13.9 bits.
    expect(r.weight).toBeLessThan(10);
    expect(r.weight).toBeGreaterThan(0);
  });

  it('a common surname weighs less than a rare one at this level', () => {
    const common = nameWeight(named('Maria', 'Smith'), named('Arturo', 'Smith'), aliases).weight;
    const rare = nameWeight(named('Maria', 'Ashingova'), named('Arturo', 'Ashingova'), aliases).weight;
    expect(common).toBeLessThan(rare);
  });

  it("under the prior too: a common surname's share lowers the level's weight, a rare one leaves the prior's u", () => {
    const weight = (family: string) => nameWeight(named('Maria', family), named('Arturo', family), PRIOR_MODEL).weight;
    const { m, u } = PRIOR_MODEL.signals.name['family-given-differs']!;
    // Smith's share (1.5 %) and Garcia's (0.6 %) are above the prior's u (0.3 %); a rare surname's is not.
    expect(weight('Smith')).toBeCloseTo(Math.log2(m / 0.015), 1);
    expect(weight('Garcia')).toBeCloseTo(Math.log2(m / 0.006), 1);
    expect(weight('Ashingova')).toBeCloseTo(Math.log2(m / u), 1);
  });
});
