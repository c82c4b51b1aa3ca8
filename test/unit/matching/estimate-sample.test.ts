import { compareFacts } from '../../../shared/domain/matching/compare';
import { estimateModel } from '../../../shared/domain/matching/estimate';
import { factsOfPerson } from '../../../shared/domain/matching/facts';
import { REGIMES } from '../../../eval/datasets';
import { mentionsOf } from '../../../eval/evaluate';

/**
 * EM learns from the candidates of a sample of people (ESTIMATE_SUBJECTS); each stands for its
 * share of the population, so that decided pairs weigh against the sample's tallies as they would
 * against everyone's. 2,000 reports of the project's noisy regime with 600 decided pairs: the
 * share of matches learned from a fifth of them is that of all of them, for three samples
 * (counted unscaled, it was 0.04 above in each).
 */
describe('the estimate from a sample of people', () => {
  const mentions = mentionsOf(REGIMES.find((r) => r.name === 'daybreak-1000-noisy')!.make(11)).slice(0, 2000);
  const facts = mentions.map((m) => factsOfPerson(m.event, m.person, m.imageHashes));
  const ctx = { frequency: () => 0.001, imageMatching: false, people: facts.length };
  const byPerson = new Map<string, number[]>();
  mentions.forEach((m, i) => byPerson.set(m.truthId!, [...(byPerson.get(m.truthId!) ?? []), i]));
  const twice = [...byPerson.values()].filter((x) => x.length > 1).slice(0, 300);
  const labelled = [
    ...twice.map((x) => ({ comparison: compareFacts(facts[x[0]!]!, facts[x[1]!]!, ctx), match: true })),
    ...twice.map((x, i) => ({ comparison: compareFacts(facts[x[0]!]!, facts[twice[(i + 1) % twice.length]![0]!]!, ctx), match: false })),
  ];
  const profiles = facts.map((f) => ({ facts: f }));

  it('learns the share of matches that every subject gives, with decided pairs', () => {
    const all = estimateModel({ profiles, labelled, maxSubjects: profiles.length, seed: 1 });
    for (const seed of [1, 2, 3]) {
      const sampled = estimateModel({ profiles, labelled, maxSubjects: 400, seed });
      expect(Math.abs(sampled.matchesPerPerson - all.matchesPerPerson)).toBeLessThan(0.01);
    }
  });
});
