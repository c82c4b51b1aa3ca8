import { EMPTY_FACTS, type PersonFacts } from '../../../shared/domain/matching/facts';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { MATCHES_PER_PERSON_FLOOR, priorMatchShare, PRIOR_MODEL, SUGGEST_PROBABILITY } from '../../../shared/domain/matching/model';
import { scorePair } from '../../../shared/domain/matching/score';

/** Sixty-two different people, as a new retailer's first reports may be: nobody reported twice yet. */
function distinctPeople(n: number): { facts: PersonFacts }[] {
  const given = ['Aroha', 'Ben', 'Carys', 'Dmitri', 'Eli', 'Fatima', 'Grace', 'Hemi', 'Ines', 'Jonah', 'Kiri', 'Liam', 'Mele'];
  const family = ['Ngata', 'Okafor', 'Petrov', 'Quinn', 'Rahman', 'Sato', 'Tane', 'Ulloa', 'Vaipulu'];
  return Array.from({ length: n }, (_, i) => ({
    facts: {
      ...EMPTY_FACTS,
      names: [{ given: given[i % given.length]!, family: family[Math.floor(i / given.length) % family.length]! }],
      dobs: [`19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`],
      phones: [`+6421${String(100000 + i * 7919)}`],
      stores: [`s-${i % 5}`],
      eventIds: [`e${i}`],
      times: [new Date(Date.UTC(2026, 9, 1 + (i % 28))).toISOString()],
    },
  }));
}

describe("a retailer whose first reports are all different people still learns that people return", () => {
  const profiles = distinctPeople(62);
  const model = estimateModel({ profiles, seed: 62 });
  const people = profiles.length + 2;

  it("the share of matches stays at least a tenth of the prior's instead of collapsing to nothing", () => {
    // Before the floor, EM drove it to about 2e-19 here.
    expect(model.matchesPerPerson).toBeGreaterThanOrEqual(PRIOR_MODEL.matchesPerPerson / 10);
    expect(model.matchesPerPerson).toBeLessThanOrEqual(PRIOR_MODEL.matchesPerPerson);
  });

  it('one person then reported twice, with the same name, DOB and phone, is suggested', () => {
    const report = (eventId: string): PersonFacts => ({
      ...EMPTY_FACTS,
      names: [{ given: 'Tumanako', family: 'Wharepapa' }],
      dobs: ['1991-04-12'],
      phones: ['+64211234567'],
      eventIds: [eventId],
    });
    const scored = scorePair(report('x1'), report('x2'), { frequency: () => 0, imageMatching: false, model, people });
    expect(scored.probability).toBeGreaterThanOrEqual(SUGGEST_PROBABILITY);
  });

  it('a model stored before the floor is read with it', () => {
    const collapsed = { ...model, matchesPerPerson: 2e-19 };
    expect(priorMatchShare(collapsed, people)).toBeCloseTo(priorMatchShare({ ...model, matchesPerPerson: MATCHES_PER_PERSON_FLOOR }, people), 12);
  });
});
